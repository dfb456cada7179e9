import { Serdes, StreamsError, type Serde, type SubTopology, type Topology } from '@tributary/core';
import { defaultPartition, sinkPartition } from '@tributary/core/runtime';

/** The task that holds a key of a store. */
export interface KeyPartition {
  readonly subTopology: number;
  /** The key's partition of the sub-topology's input topics, and of the store's changelog. */
  readonly partition: number;
  /** `<subTopology>_<partition>`. */
  readonly taskId: string;
}

type Sink = SubTopology['sinks'][number];

const jsonSerde = Serdes.json();
const stringSerde = Serdes.string();

/**
 * Finds the partition that holds a key of a store: the partition the key's records arrive on
 * at the store's sub-topology, since the task of that partition wrote it. Records get there
 * the way the runtime sends them (Kafka Streams' `queryMetadataForKey` does the same with the
 * default partitioner):
 * - a user topic: Kafka's default partitioner, murmur2 of the key serialized with the
 *   source's key serde (or the application's default key serde), as a producer writing that
 *   topic with the same serde places it;
 * - a repartition topic: as its writing sink places records. A partitioner decides (it sees
 *   the key and a `null` value); without one, murmur2 of the key serialized with the sink's
 *   key serde, or, when the sink declares none, with the default key serde, so that
 *   repartitioned keys meet the keys of user topics (a join): core's `sinkPartition`, which
 *   the runtime places records with.
 *
 * `keySerde` replaces the serde that serializes the key, as in Kafka Streams.
 */
export class StoreKeyPartitioner {
  constructor(
    private readonly topology: Topology,
    private readonly applicationId: string,
    /** How many tasks (partitions) a sub-topology has; `0` before the application started. */
    private readonly partitionsOf: (subTopology: number) => number,
    private readonly defaultKeySerde: Serde<unknown> | undefined,
  ) {}

  /** The sub-topology holding `store`, or `undefined` (a global store, or none). */
  subTopologyOf(store: string): SubTopology | undefined {
    return this.topology.subTopologies.find((sub) => sub.stores.some((s) => s.name === store));
  }

  /** Throws a {@link StreamsError} when the store is not partitioned here or the key cannot be serialized. */
  partition(store: string, key: unknown, keySerde?: Serde<unknown>): KeyPartition {
    const sub = this.subTopologyOf(store);
    if (!sub) throw new StreamsError(`store '${store}' belongs to no sub-topology (a global store is whole on every instance)`);
    const count = this.partitionsOf(sub.id);
    if (count <= 0) throw new StreamsError(`the partitions of store '${store}' are not known before the application has started`);
    if (key === null || key === undefined) throw new StreamsError(`a ${String(key)} key has no partition (store '${store}')`);
    const partition = this.place(sub, key, count, keySerde);
    return { subTopology: sub.id, partition, taskId: `${sub.id}_${partition}` };
  }

  private place(sub: SubTopology, key: unknown, count: number, given: Serde<unknown> | undefined): number {
    // Co-partitioned sources place every key alike: a user topic's serde is the user's own.
    const user = sub.sources.find((s) => !s.internal);
    if (user) return this.murmur(user.topics[0]!, key, given ?? user.keySerde ?? this.defaultKeySerde ?? stringSerde, count);
    const declared = sub.sources[0]!.topics[0]!;
    const topic = `${this.applicationId}-${declared}`;
    const sink = this.writerOf(declared);
    if (sink && (!given || sink.partitioner)) {
      const chosen = safely(() => sinkPartition(sink, topic, { key, value: null }, count, this.defaultKeySerde));
      if (typeof chosen === 'number' && Number.isInteger(chosen) && chosen >= 0 && chosen < count) return chosen;
    }
    return this.murmur(topic, key, given ?? sink?.keySerde ?? jsonSerde, count);
  }

  private writerOf(declared: string): Sink | undefined {
    for (const sub of this.topology.subTopologies) {
      const sink = sub.sinks.find((s) => s.internal && s.topic === declared);
      if (sink) return sink;
    }
    return undefined;
  }

  private murmur(topic: string, key: unknown, serde: Serde<unknown>, count: number): number {
    return defaultPartition(this.serialize(topic, key, serde), count);
  }

  private serialize(topic: string, key: unknown, serde: Serde<unknown>): Buffer {
    let bytes: Buffer | null;
    try {
      bytes = serde.serialize(topic, key);
    } catch (error) {
      throw new StreamsError(`the key ${describe(key)} cannot be serialized with the ${serde.name} serde of topic '${topic}': ${(error as Error).message}`, { cause: error });
    }
    if (!Buffer.isBuffer(bytes)) throw new StreamsError(`the ${serde.name} serde of topic '${topic}' wrote no bytes for the key ${describe(key)}`);
    return bytes;
  }
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function describe(key: unknown): string {
  const text = typeof key === 'string' ? `'${key}'` : safely(() => JSON.stringify(key)) ?? String(key);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
