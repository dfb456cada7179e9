import type { Schema, SchemaType } from '../client/SchemaRegistryClient';

/** Writes and reads values with one schema: the payload after the 5 header bytes. */
export interface SchemaCodec<T> {
  /** The payload for `value`; throws a `SchemaValidationError` (with paths) for a value outside the schema. */
  encode(value: T): Buffer;
  /** The value in `payload`. */
  decode(payload: Buffer): T;
}

/**
 * One schema language (Avro, Protobuf, JSON Schema) for {@link RegistrySerde}: the serde's own
 * schema in the form the registry stores, and how to compile any schema of that language.
 */
export interface SchemaFormat<T> {
  /** `avro`, `protobuf` or `json-schema`, for the serde's name. */
  readonly name: string;
  readonly schemaType: SchemaType;
  /** The serde's own schema as text, or `undefined` for a serde that only reads, or writes the subject's latest version. */
  readonly own: Schema | undefined;
  /** The type name of the own schema, for the record name strategies. */
  readonly recordName: string | undefined;
  /**
   * Compiles a schema of this language. `'write'`: the codec writes with it. `'read'`: it is a
   * writer's schema (found by the id a record carries) and the codec reads records written with
   * it, into the serde's own schema where the language resolves one into another (Avro).
   */
  compile(schema: Schema, use: 'write' | 'read'): SchemaCodec<T>;
}
