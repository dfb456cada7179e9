import type { StreamRecord } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import type { StoreOptions } from '../state/StateStore';
import type { VersionedStoreSpec } from '../state/versionedStoreSpec';
import type { Duration } from '../duration';

/** Names the node an operation adds (otherwise `KSTREAM-FILTER-0000000003` style). */
export interface NamedOptions {
  /** Defaults to a generated name, e.g. `KSTREAM-FILTER-0000000003`. */
  name?: string;
}

/** How a source reads its topic (Kafka Streams' `Consumed`). */
export interface ConsumedOptions<K, V> extends NamedOptions {
  /** Defaults to the application's default key serde, `Serdes.string()`. */
  keySerde?: Serde<K>;
  /** Defaults to the application's default value serde, `Serdes.json()`. */
  valueSerde?: Serde<V>;
  /** Event time of a record. Defaults to the record's own timestamp. */
  timestampExtractor?: (record: StreamRecord<K, V>) => number;
}

/** How a sink writes its topic (Kafka Streams' `Produced`). */
export interface ProducedOptions<K, V> extends NamedOptions {
  /** Defaults to the stream's key serde, else the application's default key serde, `Serdes.string()`. */
  keySerde?: Serde<K>;
  /** Defaults to the stream's value serde, else the application's default value serde, `Serdes.json()`. */
  valueSerde?: Serde<V>;
  /** Picks the partition; `undefined` falls back to murmur2 of the serialized key. */
  partitioner?: (topic: string, key: K, value: V, partitions: number) => number | undefined;
}

/**
 * Names a stateful operation and its store (Kafka Streams' `Materialized`): the test
 * driver reads it with `getKeyValueStore(name)`, the changelog is `<applicationId>-<name>-changelog`.
 */
export interface MaterializedOptions<K, V> extends NamedOptions {
  /** The store's keys, for its changelog. Defaults to the input's key serde, else JSON. */
  keySerde?: Serde<K>;
  /** The store's values, for its changelog. Defaults to the input's value serde where the value type is unchanged (`reduce`, `toTable`, `filter`), else JSON. */
  valueSerde?: Serde<V>;
  /** Defaults to an in-memory store logged to its changelog. */
  store?: StoreOptions;
}

/**
 * How a table read from a topic or a stream is kept (`builder.table`, `KStream.toTable`):
 * like {@link MaterializedOptions}, and `store` may also be a versioned store
 * (`Stores.versionedKeyValueStore(name, { historyRetention })`, Kafka Streams'
 * `Materialized.as(Stores.persistentVersionedKeyValueStore(...))`), which names the store.
 */
export interface TableMaterializedOptions<K, V> extends Omit<MaterializedOptions<K, V>, 'store'> {
  /** Defaults to an in-memory key-value store logged to its changelog. */
  store?: StoreOptions | VersionedStoreSpec;
}

/**
 * Serdes and name of the repartition topic a grouping may need (Kafka Streams' `Grouped`):
 * `<applicationId>-<name>-repartition`, named after the aggregation's store when unnamed.
 */
export interface GroupedOptions<K, V> extends NamedOptions {
  /** Defaults to the stream's key serde. */
  keySerde?: Serde<K>;
  /** Defaults to the stream's value serde. */
  valueSerde?: Serde<V>;
}

/**
 * Names and serdes of a stream-stream join (Kafka Streams' `StreamJoined`). Its nodes are
 * named `<name>-this-windowed`, `<name>-this-join`, ..., `<name>-merge`; its two window
 * stores `<storeName>-this-join-store` and `<storeName>-other-join-store` (and, for left
 * and outer joins, `<storeName>-left-shared-join-store` / `-outer-shared-join-store`).
 */
export interface StreamJoinedOptions<K, V, VO> extends NamedOptions {
  /** Base name of the join's stores and changelogs. Defaults to `name`, else generated (`KSTREAM-JOINTHIS-0000000004-store`). */
  storeName?: string;
  /** For repartitioning (after a key change) and the stores' changelogs. Defaults to the streams' key serde. */
  keySerde?: Serde<K>;
  /** This stream's values, for its repartition topic and store changelog. Defaults to this stream's value serde. */
  valueSerde?: Serde<V>;
  /** The other stream's values, likewise. Defaults to the other stream's value serde. */
  otherValueSerde?: Serde<VO>;
  /** `{ logging: false }` turns the stores' changelogs off. Defaults to logged stores. */
  store?: StoreOptions;
}

/** Name and serdes of a stream-table join (Kafka Streams' `Joined`); the name also names its repartition topic. */
export interface JoinedOptions<K, V> extends NamedOptions {
  /** For the repartition topic after a key change. Defaults to the stream's key serde, then the table's. */
  keySerde?: Serde<K>;
  /** For the repartition topic. Defaults to the stream's value serde. */
  valueSerde?: Serde<V>;
  /**
   * Holds each stream record back in a buffer (store `<name>-Buffer`) until stream time has
   * passed its timestamp by this much, then joins it with the table's version as of its
   * timestamp, so table updates arriving up to this late are seen (Kafka Streams'
   * `Joined.withGracePeriod`). The table must be versioned, with a history retention of at
   * least the grace period. Defaults to none: each record joins on arrival.
   */
  gracePeriod?: Duration;
}

/** An explicit repartition (Kafka Streams' `Repartitioned`): topic `<applicationId>-<name>-repartition`. */
export interface RepartitionedOptions<K, V> extends NamedOptions {
  /** Defaults to the stream's key serde; without one, keys travel as JSON but are placed as the default key serde would place them. */
  keySerde?: Serde<K>;
  /** Defaults to the stream's value serde, else JSON. */
  valueSerde?: Serde<V>;
  /** The topic's partition count. Defaults to the partition count of the sub-topology writing it. */
  numberOfPartitions?: number;
  /** Picks the partition of each record; `undefined` falls back to murmur2 of the key. */
  partitioner?: (topic: string, key: K, value: V, partitions: number) => number | undefined;
}
