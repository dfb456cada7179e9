import type { TopologyBuilder } from '../graph/TopologyBuilder';

/**
 * A table replicated in full to every task (Kafka Streams' `GlobalKTable`): filled from all
 * partitions of its topic by one global task, so a stream can join it on any key it
 * computes, with no co-partitioning and no repartition. Made by `builder.globalTable(topic)`;
 * used by `KStream.join/leftJoin(globalTable, keySelector, joiner)`.
 */
export class GlobalKTable<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly builder: TopologyBuilder,
    private readonly storeName: string,
  ) {}

  /** @internal phantom types, never set: they make `GlobalKTable<string, A>` and `GlobalKTable<number, B>` different types */
  declare readonly __types?: { key: K; value: V };

  /** The name of the global store, for `getKeyValueStore` and interactive queries. */
  queryableStoreName(): string {
    return this.storeName;
  }
}
