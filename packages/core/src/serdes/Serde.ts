import type { Headers } from '../KeyValue';

/**
 * Turns values into the bytes a topic carries and back. `null` stays `null` in both
 * directions (a tombstone), as in Kafka. Either direction may throw: a value that cannot be
 * read is a deserialization error, one that cannot be written a production error. A serde
 * that checks values against a schema throws a `SchemaValidationError` with the issues, so
 * error messages and handlers see which fields were wrong.
 */
export interface Serde<T> {
  /** A short name for error messages, e.g. `json` or `string`. */
  readonly name: string;
  serialize(topic: string, value: T, headers?: Headers): Buffer | null;
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T;
  /**
   * Optional, for a serde that must look something up before it can work synchronously (a
   * Schema Registry serde finds or registers its schema's id). A runtime awaits it once for
   * each topic and role the topology uses the serde for, before the first record:
   * `KafkaStreams` at start-up (a rejection fails the start); with the TopologyTestDriver,
   * `await prepareSerdes(topology)` (`@tributary/core/testing`) before creating the driver.
   */
  prepare?(usage: SerdeUsage): Promise<void>;
  /**
   * Optional, for a serde whose bytes may refer to something it has not fetched yet (a schema
   * id it has not seen): `KafkaStreams` calls it with each key and value a stream task fetches,
   * before the batch is queued for processing. It returns a promise when there is something to
   * fetch (the batch waits until it settles), else `undefined`. It should not reject: what it
   * could not fetch, `deserialize` reports, so the deserialization error handler decides. Global
   * tables and store restoration do not call it: they rely on what `prepare` fetched.
   */
  prepareDeserialize?(topic: string, data: Buffer | null, headers?: Headers): Promise<void> | undefined;
}

/** How a runtime will use a serde: what {@link Serde.prepare} is told. */
export interface SerdeUsage {
  /** The topic as the broker names it (internal topics carry the application id). */
  readonly topic: string;
  /** True when the serde serves the records' keys, false for their values. */
  readonly isKey: boolean;
  /** True for the application's own topics (repartition topics, changelogs), false for user topics. */
  readonly internal: boolean;
  /** The topology reads the topic with it: a source, or a changelog restored. */
  readonly reads: boolean;
  /** The topology writes the topic with it: a sink, or a changelog. */
  readonly writes: boolean;
}

/** The type a serde reads and writes. */
export type SerdeType<S> = S extends Serde<infer T> ? T : never;
