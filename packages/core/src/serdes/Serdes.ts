import type { StandardSchemaV1 } from '@standard-schema/spec';
import { SchemaValidationError } from '../errors';
import type { Serde } from './Serde';

const utf8 = (data: Buffer) => data.toString('utf8');

function nullable<T>(name: string, write: (value: T) => Buffer, read: (data: Buffer) => T): Serde<T> {
  return {
    name,
    serialize: (_topic, value) => (value === null || value === undefined ? null : write(value)),
    deserialize: (_topic, data) => (data === null || data === undefined ? (null as T) : read(data)),
  };
}

/** UTF-8 text (Kafka's `StringSerde`); writing anything but a string is an error. */
function string(): Serde<string> {
  return nullable<string>(
    'string',
    (value) => {
      if (typeof value !== 'string') throw new TypeError(`Serdes.string() cannot write a ${typeof value}`);
      return Buffer.from(value, 'utf8');
    },
    utf8,
  );
}

/** Kafka's `DoubleSerde`: eight bytes, big-endian IEEE 754, so Java clients read the same numbers. */
function number(): Serde<number> {
  return nullable<number>(
    'number',
    (value) => {
      if (typeof value !== 'number') throw new TypeError(`Serdes.number() cannot write a ${typeof value}`);
      const data = Buffer.allocUnsafe(8);
      data.writeDoubleBE(value);
      return data;
    },
    (data) => {
      if (data.length !== 8) throw new TypeError(`Serdes.number() expects 8 bytes, got ${data.length}`);
      return data.readDoubleBE(0);
    },
  );
}

/** The bytes themselves (Kafka's `BytesSerde`). */
function buffer(): Serde<Buffer> {
  return nullable<Buffer>('buffer', (value) => value, (data) => data);
}

/**
 * JSON as UTF-8. With a Standard Schema validator (zod, valibot, arktype...) the schema guards
 * both directions, and a value outside it is a {@link SchemaValidationError} listing every issue
 * with its path (`amount: Expected integer, received float`):
 *
 * - reading, a deserialization error, never a crash further down the topology; the value read is
 *   the schema's output (its defaults and transforms applied);
 * - writing, a serialization error, before anything is sent: the bytes are checked as a reader
 *   will check them (the JSON parsed back and validated), so a topic written through this serde
 *   holds only values its readers accept. The bytes written are the JSON of the value given, not
 *   the schema's output: that output is what a reader gets, not what it accepts (a transform
 *   would be applied twice), and readers apply defaults themselves.
 *
 * The validator must be synchronous.
 */
function json<T = unknown>(schema?: StandardSchemaV1<unknown, T>): Serde<T> {
  const write = (value: T): Buffer => {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Serdes.json() cannot write a ${typeof value}`);
    if (schema) validate(schema, JSON.parse(text));
    return Buffer.from(text, 'utf8');
  };
  const read = (data: Buffer): T => {
    const parsed: unknown = JSON.parse(utf8(data));
    return schema ? validate(schema, parsed) : (parsed as T);
  };
  return nullable<T>(schema ? 'json(schema)' : 'json', write, read);
}

/** The schema's output for `value`, or a {@link SchemaValidationError} with its issues. */
function validate<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): T {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw new TypeError('Serdes.json(schema) needs a synchronous validator; this schema validates asynchronously');
  }
  if (result.issues) throw new SchemaValidationError(result.issues);
  return result.value;
}

/**
 * Hands values through untouched: for in-memory topics (the test driver, the embedded
 * engine, benchmarks) where nothing needs bytes. A Kafka sink rejects it.
 */
function passthrough<T = unknown>(): Serde<T> {
  return {
    name: 'passthrough',
    serialize: (_topic, value) => value as unknown as Buffer | null,
    deserialize: (_topic, data) => data as unknown as T,
  };
}

/** The serdes that come with Tributary. */
export const Serdes = { string, number, buffer, json, passthrough } as const;
