import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SchemaValidationError, StreamsError } from '@tributary/core';
import type { Schema } from '../client/SchemaRegistryClient';
import type { SchemaCodec, SchemaFormat } from './SchemaFormat';

export interface JsonSchemaFormatOptions {
  /** The JSON Schema the serde writes with (an object or its JSON text). Without it the serde writes only with `useLatestVersion`. */
  schema?: object | string;
  /**
   * Check each record read against its writer's schema (a deserialization error when it does
   * not fit). Writes are always checked. Defaults to `true`.
   */
  validateReads?: boolean;
}

/**
 * JSON Schema in the Confluent format: the payload is the value's JSON as UTF-8, checked
 * against the schema with Ajv (draft-07 by default; 2019-09 and 2020-12 by their `$schema`;
 * the `format` keywords of ajv-formats).
 */
export function jsonSchemaFormat<T>(options: JsonSchemaFormatOptions): SchemaFormat<T> {
  const own: Schema | undefined = options.schema === undefined ? undefined : { schema: typeof options.schema === 'string' ? options.schema : JSON.stringify(options.schema), schemaType: 'JSON' };
  const ownParsed = own && parseSchema(own.schema);
  const validateReads = options.validateReads ?? true;
  return {
    name: 'json-schema',
    schemaType: 'JSON',
    own,
    recordName: typeof ownParsed?.title === 'string' ? ownParsed.title : undefined,
    compile(schema, use) {
      const validate = compileSchema(schema === own ? ownParsed! : parseSchema(schema.schema));
      const check = (value: unknown) => {
        if (!validate(value)) throw new SchemaValidationError((validate.errors ?? []).map(toIssue));
      };
      return {
        encode: (value) => {
          if (use !== 'write') throw new Error('a read codec does not write');
          const text = JSON.stringify(value);
          if (text === undefined) throw new TypeError(`JSON cannot represent a ${typeof value}`);
          // Checked as a reader will see it: what JSON drops or changes (undefined, NaN) is checked as dropped or changed.
          check(JSON.parse(text));
          return Buffer.from(text, 'utf8');
        },
        decode: (payload) => {
          const value: unknown = JSON.parse(payload.toString('utf8'));
          if (validateReads) check(value);
          return value as T;
        },
      };
    },
  };
}

function parseSchema(text: string): AnySchemaObject {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StreamsError(`a JSON Schema must be an object, got ${text.slice(0, 80)}`);
  return parsed as AnySchemaObject;
}

function compileSchema(schema: AnySchemaObject): ValidateFunction {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  // A validator per schema: schemas from the registry may reuse $ids, which one Ajv instance refuses.
  const ajv = draft.includes('2020-12') ? new Ajv2020(AJV_OPTIONS) : draft.includes('2019-09') ? new Ajv2019(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new StreamsError(`the JSON Schema cannot be compiled: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

// allErrors: every issue in one message; strict off: schemas written for other validators keep their extra keywords.
const AJV_OPTIONS = { allErrors: true, strict: false } as const;

function toIssue(error: ErrorObject): { message: string; path: string[] } {
  const path = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Ajv reports a missing or extra property at its object; the property's own path says more.
  if (error.keyword === 'required') return { message: 'Required property is missing', path: [...path, String((error.params as { missingProperty: string }).missingProperty)] };
  if (error.keyword === 'additionalProperties') {
    return { message: 'Property is not in the schema (additionalProperties is false)', path: [...path, String((error.params as { additionalProperty: string }).additionalProperty)] };
  }
  return { message: error.message ?? error.keyword, path };
}
