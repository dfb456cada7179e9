import * as avscModule from 'avsc';
import type { ForSchemaOptions, Schema as AvscSchema, Type } from 'avsc';
import { SchemaValidationError } from '@tributary/core';
import type { Schema } from '../client/SchemaRegistryClient';
import type { SchemaCodec, SchemaFormat } from './SchemaFormat';

// avsc is CommonJS and Node does not see its named exports from an ES module.
const avsc = (avscModule as unknown as { default?: typeof avscModule }).default ?? avscModule;

/** An Avro schema: its JSON text, the parsed JSON, or an avsc `Type`. */
export type AvroSchema = string | object | Type;

export interface AvroFormatOptions {
  /**
   * The schema the serde writes with, and reads into (a writer's schema is resolved into it by
   * Avro's rules, so a field added with a default reads as that default). Without it the serde
   * writes only with `useLatestVersion`, and reads each record with its writer's schema.
   */
  schema?: AvroSchema;
  /** Passed to avsc's `Type.forSchema` for every schema (logical types, `wrapUnions`...). Defaults to avsc's defaults. */
  typeOptions?: Partial<ForSchemaOptions>;
}

/** Avro in the Confluent format: the payload is the value's Avro binary encoding. */
export function avroFormat<T>(options: AvroFormatOptions): SchemaFormat<T> {
  const typeOptions = options.typeOptions ?? {};
  const ownType = options.schema === undefined ? undefined : toType(options.schema, typeOptions);
  const own: Schema | undefined = ownType === undefined ? undefined : { schema: schemaText(options.schema!, ownType), schemaType: 'AVRO' };
  return {
    name: 'avro',
    schemaType: 'AVRO',
    own,
    recordName: ownType?.name,
    compile(schema, use) {
      const writer = schema === own ? ownType! : toType(schema.schema, typeOptions);
      if (use === 'write') return writerCodec<T>(writer);
      // The same schema: nothing to resolve.
      const resolver = ownType && !ownType.equals(writer) ? ownType.createResolver(writer) : undefined;
      return {
        encode: () => {
          throw new Error('a read codec does not write');
        },
        decode: (payload) => (resolver ? ownType!.fromBuffer(payload, resolver) : writer.fromBuffer(payload)) as T,
      };
    },
  };
}

function writerCodec<T>(type: Type): SchemaCodec<T> {
  return {
    encode: (value) => {
      try {
        return type.toBuffer(value);
      } catch (error) {
        // avsc checks while it writes; its error names no field, so find every issue with its path.
        const issues: SchemaValidationError['issues'][number][] = [];
        type.isValid(value, { errorHook: (path, found, expected) => issues.push(describe(path, found, expected)) });
        if (issues.length > 0) throw new SchemaValidationError(issues);
        throw error;
      }
    },
    decode: (payload) => type.fromBuffer(payload) as T,
  };
}

function describe(path: string[], found: unknown, expected: Type): { message: string; path: string[] } {
  const shown = found === undefined ? 'nothing' : typeof found === 'string' ? JSON.stringify(found) : typeof found === 'object' && found !== null ? (Array.isArray(found) ? 'an array' : 'an object') : String(found);
  return { message: `Expected Avro ${describeType(expected)}, received ${shown}`, path };
}

function describeType(type: Type): string {
  const name = type.name ?? type.typeName;
  return type.name ? `${type.typeName} ${name}` : name;
}

function toType(schema: AvroSchema, options: Partial<ForSchemaOptions>): Type {
  if (avsc.Type.isType(schema)) return schema as Type;
  const parsed = typeof schema === 'string' ? (JSON.parse(schema) as AvscSchema) : (schema as AvscSchema);
  // avsc records named types in the options' registry: a fresh one per schema, or versions of one record collide.
  return avsc.Type.forSchema(parsed, { ...options, registry: { ...options.registry } });
}

/** The text registered: the user's own text when given, else the JSON of the schema (with its docs and extra attributes). */
function schemaText(schema: AvroSchema, type: Type): string {
  if (typeof schema === 'string') return schema;
  if (avsc.Type.isType(schema)) return JSON.stringify(type.schema({ exportAttrs: true }));
  return JSON.stringify(schema);
}
