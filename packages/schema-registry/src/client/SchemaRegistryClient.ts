/** The schema languages of the Confluent API; a schema without `schemaType` is Avro. */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** Another subject's schema that a schema imports (a Protobuf import, an Avro named type). */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores it: its text and language. */
export interface Schema {
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly references?: readonly SchemaReference[];
}

/** A schema registered under a subject. */
export interface SubjectVersion extends Schema {
  readonly subject: string;
  readonly version: number;
  /** The registry-wide id, the one records carry. */
  readonly id: number;
}

/**
 * The requests the serdes make to a Schema Registry, in the terms of Confluent's REST API
 * (which Apicurio Registry, Redpanda and Karapace serve too). {@link HttpSchemaRegistryClient}
 * talks to a real registry; {@link InMemorySchemaRegistry} stands in for one in unit tests.
 * Failures are {@link SchemaRegistryError}s; a refused incompatible schema is an
 * {@link IncompatibleSchemaError}.
 */
export interface SchemaRegistryClient {
  /** Where the registry is, for error messages. */
  readonly url: string;
  /** The schema with registry-wide id `id` (`GET /schemas/ids/{id}`). */
  schemaById(id: number): Promise<Schema>;
  /** The version of `subject` that holds `schema`, if registered there (`POST /subjects/{subject}`); else a 404 error. */
  lookup(subject: string, schema: Schema): Promise<SubjectVersion>;
  /** Registers `schema` under `subject` (`POST /subjects/{subject}/versions`) and returns its id; registering it again returns the same id. */
  register(subject: string, schema: Schema): Promise<number>;
  /** The version numbers of `subject` (`GET /subjects/{subject}/versions`); a 404 error when the subject does not exist. */
  versions(subject: string): Promise<number[]>;
  /** One version of `subject`, or its latest (`GET /subjects/{subject}/versions/{version}`). */
  version(subject: string, version: number | 'latest'): Promise<SubjectVersion>;
  /** The compatibility level in force for `subject`: its own, else the registry's default. */
  compatibility(subject: string): Promise<string>;
}
