import type { StreamRecord } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import type { StoreOptions } from '../state/StateStore';

/** Names the node an operation adds (otherwise `KSTREAM-FILTER-0000000003` style). */
export interface NamedOptions {
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
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  /** Picks the partition; `undefined` falls back to murmur2 of the serialized key. */
  partitioner?: (topic: string, key: K, value: V, partitions: number) => number | undefined;
}

/**
 * Names a stateful operation and its store (Kafka Streams' `Materialized`): the test
 * driver reads it with `getKeyValueStore(name)`, the changelog is `<applicationId>-<name>-changelog`.
 */
export interface MaterializedOptions<K, V> extends NamedOptions {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
  store?: StoreOptions;
}

/** Serdes and name of the repartition topic a grouping may need (Kafka Streams' `Grouped`). */
export interface GroupedOptions<K, V> extends NamedOptions {
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}
