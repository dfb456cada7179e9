import type { StandardSchemaV1 } from '@standard-schema/spec';
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
 * JSON as UTF-8. With a Standard Schema validator (zod, valibot, arktype...), a value that
 * fails validation is a deserialization error with the issues in its message, never a crash
 * further down the topology.
 */
function json<T = unknown>(schema?: StandardSchemaV1<unknown, T>): Serde<T> {
  const parse = (data: Buffer): T => {
    const parsed: unknown = JSON.parse(utf8(data));
    if (!schema) return parsed as T;
    const result = schema['~standard'].validate(parsed);
    if (result instanceof Promise) {
      throw new TypeError('Serdes.json(schema) needs a synchronous validator; this schema validates asynchronously');
    }
    if (result.issues) {
      const issues = result.issues
        .map((issue) => {
          const path = issue.path?.map((part) => (typeof part === 'object' ? String(part.key) : String(part))).join('.');
          return path ? `${path}: ${issue.message}` : issue.message;
        })
        .join('; ');
      throw new TypeError(`schema validation failed: ${issues}`);
    }
    return result.value;
  };
  return nullable<T>(schema ? 'json(schema)' : 'json', (value) => Buffer.from(JSON.stringify(value), 'utf8'), parse);
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
