import { StreamsError } from '../errors';
import type { SourceNode } from '../graph/GraphNode';
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

  // Repartition topics with a partition count of their own (`repartition({ numberOfPartitions })`).
  for (const sub of topology.subTopologies) {
    for (const source of sub.sources) {
      if (source.internal && source.numberOfPartitions !== undefined) for (const topic of source.topics) forced.set(topic, source.numberOfPartitions);
    }
  }

  const visiting = new Set<number>();
  const countFor = (sub: SubTopology): number => {
    const known = tasks.get(sub.id);
    if (known !== undefined) return known;
    if (visiting.has(sub.id)) throw new CycleError(`sub-topology ${sub.id} reads its own output through a repartition topic`);
    visiting.add(sub.id);
    let count = 0;
    try {
      for (const source of sub.sources) {
        for (const topic of source.topics) {
          const n = source.internal ? forced.get(topic) ?? countFor(writerOf(topic)) : external(topic);
          if (source.internal) internalTopics.set(topic, n);
          count = Math.max(count, n);
        }
      }
    } finally {
      visiting.delete(sub.id);
    }
    tasks.set(sub.id, count);
    return count;
  };
  /** The count of a repartition topic's writer, or `undefined` when it depends on a co-partitioned topic not sized yet. */
  const tryCount = (topic: string): number | undefined => {
    try {
      return forced.get(topic) ?? countFor(writerOf(topic));
    } catch (error) {
      if (error instanceof CycleError) return undefined;
      throw error;
    }
  };
  const writerOf = (topic: string): SubTopology => {
    const writer = repartitionWriters.get(topic);
    if (!writer) throw new StreamsError(`no sub-topology writes the repartition topic '${topic}'`);
    return writer;
  };

  // Co-partitioning first: it may force repartition topics to a size. Groups holding user
  // topics (or fixed repartition topics) go first; their sizes may resolve the others, as
  // the two topics of a foreign-key join depend on each other.
  const groups = topology.subTopologies.flatMap((sub) => sub.copartitionGroups);
  const known = (group: readonly SourceNode[]) =>
    group.flatMap((s) =>
      s.topics.flatMap((t) => (!s.internal ? [{ topic: t, partitions: external(t) }] : forced.has(t) && s.numberOfPartitions !== undefined ? [{ topic: t, partitions: forced.get(t)! }] : [])),
    );
  const force = (group: readonly SourceNode[], size: number) => {
    for (const source of group) if (source.internal && source.numberOfPartitions === undefined) for (const topic of source.topics) forced.set(topic, size);
  };
  const pending: (readonly SourceNode[])[] = [];
  for (const group of groups) {
    const sized = known(group);
    const first = sized[0];
    if (!first) {
      pending.push(group);
      continue;
    }
    for (const other of sized.slice(1)) {
      if (other.partitions !== first.partitions) {
        throw new StreamsError(
          `topics '${first.topic}' (${first.partitions} partitions) and '${other.topic}' (${other.partitions} partitions) must be co-partitioned for a join: give them the same number of partitions, or repartition one side`,
        );
      }
    }
    force(group, first.partitions);
  }
  for (const group of pending) {
    const sizes = group.flatMap((s) => s.topics.map(tryCount)).filter((n): n is number => n !== undefined);
    if (sizes.length > 0) force(group, Math.max(...sizes));
  }
  // Counts worked out before a topic was forced may be stale: start over with the forced sizes.
  tasks.clear();
  internalTopics.clear();
  for (const sub of topology.subTopologies) countFor(sub);
  for (const topic of topology.internalTopics()) {
    if (topic.kind === 'changelog') internalTopics.set(topic.name, tasks.get(topic.subTopology)!);
  }
  return { tasks, internalTopics };
}

/** A repartition topic whose size depends on itself; an error unless co-partitioning sizes it. */
class CycleError extends StreamsError {}
