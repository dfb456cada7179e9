import { HttpSchemaRegistryClient, type HttpSchemaRegistryClientOptions } from './client/HttpSchemaRegistryClient';
import type { Schema, SchemaRegistryClient, SubjectVersion } from './client/SchemaRegistryClient';
import { avroFormat, type AvroFormatOptions } from './formats/avroFormat';
import { jsonSchemaFormat, type JsonSchemaFormatOptions } from './formats/jsonSchemaFormat';
import { protobufFormat, type ProtobufFormatOptions } from './formats/protobufFormat';
import { RegistrySerde, type RegistrySerdeOptions } from './RegistrySerde';

export type SchemaRegistryOptions =
  /** A registry over HTTP: its URL, and auth, timeout and retries if needed. */
  | HttpSchemaRegistryClientOptions
  /** Any client: an {@link InMemorySchemaRegistry} in unit tests, or your own. */
  | { client: SchemaRegistryClient };

export type AvroSerdeOptions = RegistrySerdeOptions & AvroFormatOptions;
export type ProtobufSerdeOptions = RegistrySerdeOptions & ProtobufFormatOptions;
export type JsonSchemaSerdeOptions = RegistrySerdeOptions & JsonSchemaFormatOptions;

/**
 * A Schema Registry and the serdes that use it: Avro, Protobuf and JSON Schema in the Confluent
 * wire format. Schemas fetched by id, and the ids of the serdes' own schemas, are kept for the
 * life of this object and shared by its serdes (ids never change meaning in a registry).
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, Serdes } from '@tributary/core';
 * import { SchemaRegistry } from '@tributary/schema-registry';
 *
 * const registry = new SchemaRegistry({ url: 'http://localhost:8081' });
 * const order = registry.avro<Order>({ schema: orderSchema });
 * builder
 *   .stream('orders', { keySerde: Serdes.string(), valueSerde: registry.avro<Order>() })
 *   .filter((_id, o) => o.total > 100)
 *   .to('large-orders', { keySerde: Serdes.string(), valueSerde: order });
 * ```
 */
export class SchemaRegistry {
  readonly client: SchemaRegistryClient;
  private readonly byId = new Map<number, Promise<Schema>>();
  private readonly ids = new Map<string, Promise<number>>();
  private readonly versions = new Map<string, Promise<SubjectVersion>>();

  constructor(options: SchemaRegistryOptions) {
    this.client = 'client' in options ? options.client : new HttpSchemaRegistryClient(options);
  }

  /** An Avro serde (avsc). Without `schema` it reads any Avro record with its writer's schema. */
  avro<T = unknown>(options: AvroSerdeOptions = {}): RegistrySerde<T> {
    return new RegistrySerde<T>(this, avroFormat<T>(options), options);
  }

  /** A Protobuf serde (protobufjs): messages are plain objects with the `.proto` field names. */
  protobuf<T = Record<string, unknown>>(options: ProtobufSerdeOptions = {}): RegistrySerde<T> {
    return new RegistrySerde<T>(this, protobufFormat<T>(options), options);
  }

  /** A JSON Schema serde (Ajv): values are checked against the schema when written, and by default when read. */
  jsonSchema<T = unknown>(options: JsonSchemaSerdeOptions = {}): RegistrySerde<T> {
    return new RegistrySerde<T>(this, jsonSchemaFormat<T>(options), options);
  }

  /** The schema with id `id`, fetched once. */
  schemaById(id: number): Promise<Schema> {
    return this.remember(this.byId, id, () => this.client.schemaById(id));
  }

  /** The id of `schema` under `subject`: looked up, or registered when `register` is true. Asked once per subject and schema. */
  idOf(subject: string, schema: Schema, register: boolean): Promise<number> {
    const key = `${register ? 'register' : 'lookup'}\u0000${subject}\u0000${schema.schemaType}\u0000${schema.schema}`;
    return this.remember(this.ids, key, async () => (register ? this.client.register(subject, schema) : (await this.client.lookup(subject, schema)).id));
  }

  /** One version of a subject, fetched once (a version never changes). */
  versionOf(subject: string, version: number): Promise<SubjectVersion> {
    return this.remember(this.versions, `${subject}\u0000${version}`, async () => {
      const found = await this.client.version(subject, version);
      this.byId.set(found.id, Promise.resolve(found));
      return found;
    });
  }

  /** Keeps successes; a failure is forgotten, so the next call asks again. */
  private remember<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }
}
