import { StreamsError } from '../errors';
import type { SubTopology, Topology } from '../graph/Topology';

/** How many tasks each sub-topology gets, and how many partitions each internal topic needs. */
export interface PartitionPlan {
  /** Sub-topology id -> partition count (= its number of tasks). */
  readonly tasks: ReadonlyMap<number, number>;
  /** Internal topic (unprefixed) -> partition count: repartition topics and changelogs. */
  readonly internalTopics: ReadonlyMap<string, number>;
}

/**
 * Works out partition counts as Kafka Streams does: a sub-topology has as many tasks as
 * the largest partition count among its source topics; a repartition topic takes the
 * count of the sub-topology writing it; a changelog the count of its store's
 * sub-topology. Sources that must be co-partitioned (join inputs) are checked: a mismatch
 * between user topics is an error naming both topics; repartition topics are sized to match.
 *
 * `partitionsOf(topic)` answers for user topics (declared names); `undefined` means the
 * topic does not exist.
 */
export function planPartitions(topology: Topology, partitionsOf: (topic: string) => number | undefined): PartitionPlan {
  const repartitionWriters = new Map<string, SubTopology>();
  for (const sub of topology.subTopologies) {
    for (const sink of sub.sinks) if (sink.internal && typeof sink.topic === 'string') repartitionWriters.set(sink.topic, sub);
  }
  const tasks = new Map<number, number>();
  const internalTopics = new Map<string, number>();
  const forced = new Map<string, number>();

  const external = (topic: string): number => {
    const count = partitionsOf(topic);
    if (count === undefined) throw new StreamsError(`source topic '${topic}' does not exist; create it before starting the application`);
    return count;
  };

  const visiting = new Set<number>();
  const countFor = (sub: SubTopology): number => {
    const known = tasks.get(sub.id);
    if (known !== undefined) return known;
    if (visiting.has(sub.id)) throw new StreamsError(`sub-topology ${sub.id} reads its own output through a repartition topic`);
    visiting.add(sub.id);
    let count = 0;
    for (const source of sub.sources) {
      for (const topic of source.topics) {
        const n = source.internal ? forced.get(topic) ?? countFor(writerOf(topic)) : external(topic);
        if (source.internal) internalTopics.set(topic, n);
        count = Math.max(count, n);
      }
    }
    visiting.delete(sub.id);
    tasks.set(sub.id, count);
    return count;
  };
  const writerOf = (topic: string): SubTopology => {
    const writer = repartitionWriters.get(topic);
    if (!writer) throw new StreamsError(`no sub-topology writes the repartition topic '${topic}'`);
    return writer;
  };

  // Co-partitioning first: it may force repartition topics to a size.
  for (const sub of topology.subTopologies) {
    for (const group of sub.copartitionGroups) {
      const userTopics = group.filter((s) => !s.internal).flatMap((s) => s.topics.map((t) => ({ topic: t, partitions: external(t) })));
      const first = userTopics[0];
      for (const other of userTopics.slice(1)) {
        if (other.partitions !== first!.partitions) {
          throw new StreamsError(
            `topics '${first!.topic}' (${first!.partitions} partitions) and '${other.topic}' (${other.partitions} partitions) must be co-partitioned for a join: give them the same number of partitions, or repartition one side`,
          );
        }
      }
      const size = first?.partitions ?? Math.max(...group.flatMap((s) => s.topics.map((t) => countFor(writerOf(t)))));
      for (const source of group) if (source.internal) for (const topic of source.topics) forced.set(topic, size);
    }
  }
  for (const sub of topology.subTopologies) countFor(sub);
  for (const topic of topology.internalTopics()) {
    if (topic.kind === 'changelog') internalTopics.set(topic.name, tasks.get(topic.subTopology)!);
  }
  return { tasks, internalTopics };
}
