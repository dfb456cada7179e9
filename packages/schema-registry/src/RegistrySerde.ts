import { SchemaValidationError, StreamsError, type Headers, type Serde, type SerdeUsage } from '@tributary/core';
import type { Schema } from './client/SchemaRegistryClient';
import { SchemaNotRegisteredError, SchemaRegistryError } from './errors';
import type { SchemaCodec, SchemaFormat } from './formats/SchemaFormat';
import type { SchemaRegistry } from './SchemaRegistry';
import { TopicNameStrategy, type SubjectNameStrategy } from './subjectNameStrategy';
import { describeUnframed, HEADER_SIZE, readSchemaId, writeHeader } from './wireFormat';

/** The options every Schema Registry serde takes. */
export interface RegistrySerdeOptions {
  /** True for a key serde: the subject is `<topic>-key` instead of `<topic>-value` (TopicNameStrategy). Defaults to `false`. */
  isKey?: boolean;
  /** How the subject is named from the topic and the record type. Defaults to {@link TopicNameStrategy}. */
  subjectNameStrategy?: SubjectNameStrategy;
  /**
   * Register the serde's schema under its subject when it is not there yet. Off by default, as
   * schemas usually go through review and CI into the registry: a schema not registered is
   * then an error ({@link SchemaNotRegisteredError}) at start-up, naming the subject and the
   * registry. Defaults to `false`.
   */
  autoRegister?: boolean;
  /**
   * Register the schema under the subjects of the application's own topics (changelogs,
   * repartition topics) even with `autoRegister` off: those subjects belong to the application,
   * and a store inherits its input's serde, so they change whenever the topology does. `false`
   * treats them as any subject. Defaults to `true`.
   */
  autoRegisterInternal?: boolean;
  /**
   * Write with the latest version registered under the subject instead of the serde's own
   * schema (Confluent's `use.latest.version`): the serde needs no schema to write, and values
   * must fit that latest version. Defaults to `false`.
   */
  useLatestVersion?: boolean;
}

interface Writer<T> {
  readonly id: number;
  readonly header: Buffer;
  readonly codec: SchemaCodec<T>;
}

/**
 * A serde in the Confluent wire format (magic byte 0, 4-byte schema id, payload) on a Schema
 * Registry. `serialize` and `deserialize` are synchronous, as every Tributary serde, so the
 * registry is asked beforehand:
 *
 * - writing: {@link prepare} (awaited by `KafkaStreams` at start-up for each topic the
 *   topology writes) finds the schema's id under its subject, or registers it with
 *   `autoRegister`; `serialize` for a topic it was not prepared for is an error;
 * - reading: {@link prepare} fetches the schemas registered under the subject of each topic
 *   read, and {@link prepareDeserialize} (awaited by `KafkaStreams` before a fetched batch is
 *   processed) fetches any other id a record carries. Schemas are fetched once per id and kept.
 */
export class RegistrySerde<T> implements Serde<T> {
  readonly name: string;
  readonly isKey: boolean;
  private readonly strategy: SubjectNameStrategy;
  private readonly autoRegister: boolean;
  private readonly autoRegisterInternal: boolean;
  private readonly useLatestVersion: boolean;
  /** By subject; the promise while the registry is asked. */
  private readonly writers = new Map<string, Writer<T> | Promise<Writer<T>>>();
  private readonly subjectsByTopic = new Map<string, string>();
  private readonly readers = new Map<number, SchemaCodec<T>>();
  private readonly fetching = new Map<number, Promise<void>>();
  /** Why an id could not be fetched or compiled, for deserialize's message. */
  private readonly unreadable = new Map<number, Error>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly format: SchemaFormat<T>,
    options: RegistrySerdeOptions = {},
  ) {
    this.isKey = options.isKey ?? false;
    this.strategy = options.subjectNameStrategy ?? TopicNameStrategy;
    this.autoRegister = options.autoRegister ?? false;
    this.autoRegisterInternal = options.autoRegisterInternal ?? true;
    this.useLatestVersion = options.useLatestVersion ?? false;
    this.name = `schema-registry ${format.name}${format.recordName ? `(${format.recordName})` : ''}`;
  }

  /** The subject this serde uses for `topic`. Throws when the strategy needs a record name the serde has not got. */
  subjectOf(topic: string): string {
    let subject = this.subjectsByTopic.get(topic);
    if (subject === undefined) {
      subject = this.strategy({ topic, isKey: this.isKey, recordName: this.format.recordName });
      this.subjectsByTopic.set(topic, subject);
    }
    return subject;
  }

  /** The schema id this serde writes to `topic` with; undefined until prepared for it. */
  schemaIdFor(topic: string): number | undefined {
    const writer = this.writers.get(this.subjectOf(topic));
    return writer instanceof Promise ? undefined : writer?.id;
  }

  async prepare(usage: SerdeUsage): Promise<void> {
    if (usage.isKey !== this.isKey) {
      const role = (isKey: boolean) => (isKey ? 'keys' : 'values');
      throw new StreamsError(
        `the serde ${this.name} was made for record ${role(this.isKey)} but serves the ${role(usage.isKey)} of topic '${usage.topic}': keys and values have different subjects, so create it with isKey: ${usage.isKey}`,
      );
    }
    if (usage.writes) await this.writerFor(usage.topic, this.autoRegister || (usage.internal && this.autoRegisterInternal));
    if (usage.reads) await this.fetchSubject(usage.topic);
  }

  serialize(topic: string, value: T, _headers?: Headers): Buffer | null {
    if (value === null || value === undefined) return null;
    const writer = this.writers.get(this.subjectOf(topic));
    if (!writer || writer instanceof Promise) {
      throw new StreamsError(
        `the serde ${this.name} has no schema id for topic '${topic}' (subject '${this.subjectOf(topic)}'): it was not prepared for that topic. KafkaStreams prepares the topics a topology names at start-up; for a topic chosen per record, or with the TopologyTestDriver, await serde.prepare(...) or prepareSerdes(topology) first`,
      );
    }
    const payload = writer.codec.encode(value);
    return Buffer.concat([writer.header, payload], HEADER_SIZE + payload.length);
  }

  deserialize(topic: string, data: Buffer | null, _headers?: Headers): T {
    if (data === null || data === undefined) return null as T;
    const id = readSchemaId(data);
    if (id === undefined) throw new StreamsError(describeUnframed(data));
    const reader = this.readers.get(id);
    if (!reader) throw this.unknownId(id, topic);
    try {
      return reader.decode(data.subarray(HEADER_SIZE));
    } catch (error) {
      if (error instanceof SchemaValidationError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StreamsError(`the ${this.format.name} payload with schema id ${id} cannot be decoded: ${reason}`, { cause: error });
    }
  }

  prepareDeserialize(_topic: string, data: Buffer | null, _headers?: Headers): Promise<void> | undefined {
    if (!data) return undefined;
    const id = readSchemaId(data);
    if (id === undefined || this.readers.has(id)) return undefined;
    const failed = this.unreadable.get(id);
    // A schema that is not there, or not of our language, will not be there on the next record either.
    if (failed && !(failed instanceof SchemaRegistryError && failed.retriable)) return undefined;
    return this.fetchId(id);
  }

  private writerFor(topic: string, register: boolean): Promise<Writer<T>> | Writer<T> {
    const subject = this.subjectOf(topic);
    const known = this.writers.get(subject);
    if (known) return known;
    const pending = this.resolveWriter(subject, topic, register).then(
      (writer) => {
        this.writers.set(subject, writer);
        return writer;
      },
      (error: unknown) => {
        this.writers.delete(subject);
        throw error;
      },
    );
    this.writers.set(subject, pending);
    return pending;
  }

  private async resolveWriter(subject: string, topic: string, register: boolean): Promise<Writer<T>> {
    let schema: Schema;
    let id: number;
    if (this.useLatestVersion) {
      const latest = await this.registry.client.version(subject, 'latest').catch((error: unknown) => {
        throw notRegistered(error, { registryUrl: this.registry.client.url, subject, topic, useLatestVersion: true });
      });
      this.checkType(latest, `the latest version of subject '${subject}'`);
      schema = latest;
      id = latest.id;
    } else {
      const own = this.format.own;
      if (!own) {
        throw new StreamsError(
          `the serde ${this.name} has no schema to write topic '${topic}' with (subject '${subject}'): give it a schema, or useLatestVersion: true to write with the subject's latest version`,
        );
      }
      schema = own;
      id = await this.registry.idOf(subject, own, register).catch((error: unknown) => {
        throw notRegistered(error, { registryUrl: this.registry.client.url, subject, topic });
      });
    }
    const codec = this.format.compile(schema, 'write');
    // What this serde writes it can read back without asking (a changelog restored, a test driver).
    if (!this.readers.has(id)) this.readers.set(id, this.format.compile(schema, 'read'));
    return { id, header: writeHeader(id), codec };
  }

  /** Fetches every version of the subject of `topic`, so records written before the start read without a lookup each. */
  private async fetchSubject(topic: string): Promise<void> {
    let subject: string;
    try {
      subject = this.subjectOf(topic);
    } catch {
      return; // a record name strategy without a schema: the subject is known only per record
    }
    const versions = await this.registry.client.versions(subject).catch((error: unknown) => {
      if (error instanceof SchemaRegistryError && error.status === 404) return [];
      throw error;
    });
    await Promise.all(
      versions.map(async (version) => {
        const registered = await this.registry.versionOf(subject, version);
        if (!this.readers.has(registered.id)) this.addReader(registered.id, registered);
      }),
    );
  }

  private fetchId(id: number): Promise<void> {
    let pending = this.fetching.get(id);
    if (pending) return pending;
    pending = this.registry
      .schemaById(id)
      .then(
        (schema) => this.addReader(id, schema),
        (error: unknown) => {
          this.unreadable.set(id, error instanceof Error ? error : new Error(String(error)));
        },
      )
      .finally(() => this.fetching.delete(id));
    this.fetching.set(id, pending);
    return pending;
  }

  private addReader(id: number, schema: Schema): void {
    try {
      this.checkType(schema, `schema id ${id}`);
      this.readers.set(id, this.format.compile(schema, 'read'));
      this.unreadable.delete(id);
    } catch (error) {
      this.unreadable.set(id, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private checkType(schema: Schema, what: string): void {
    if (schema.schemaType !== this.format.schemaType) {
      throw new StreamsError(`${what} in Schema Registry ${this.registry.client.url} is a ${schema.schemaType} schema; the serde ${this.name} reads and writes ${this.format.schemaType}`);
    }
  }

  private unknownId(id: number, topic: string): StreamsError {
    const failure = this.unreadable.get(id);
    const where = `Schema Registry ${this.registry.client.url}`;
    if (failure) return new StreamsError(`schema id ${id} (topic '${topic}') cannot be used: ${failure.message}`, { cause: failure, retriable: failure instanceof StreamsError && failure.retriable });
    return new StreamsError(
      `schema id ${id} (topic '${topic}') was not fetched from ${where} before the record was read. KafkaStreams fetches the ids of the records it consumes before processing them; elsewhere await serde.prepareDeserialize(topic, data) first`,
    );
  }
}

/** A 404 from a lookup becomes the error that says what to do; anything else stays as it is. */
function notRegistered(error: unknown, details: { registryUrl: string; subject: string; topic: string; useLatestVersion?: boolean }): unknown {
  if (!(error instanceof SchemaRegistryError) || error.status !== 404) return error;
  const registryMessage = (error.cause as { message?: string } | undefined)?.message ?? error.message;
  return new SchemaNotRegisteredError({ ...details, errorCode: error.errorCode, registryMessage });
}
