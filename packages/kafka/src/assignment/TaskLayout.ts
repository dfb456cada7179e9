import type { SubTopology, Topology } from '@tributary/core';
import type { PartitionPlan } from '@tributary/core/runtime';
import { partitionKey, type TopicPartition } from '../client/StreamsClient';

/** One task: a sub-topology and a partition number, and the topic partitions it reads. */
export interface TaskSpec {
  /** `<subTopologyId>_<partition>`, as Kafka Streams names tasks. */
  readonly id: string;
  readonly subTopology: SubTopology;
  readonly partition: number;
  /** Partition `partition` of every source topic (broker names) that has it. */
  readonly inputs: readonly TopicPartition[];
}

/**
 * Every task of an application and the topic partitions each one reads: the unit the
 * group assignor hands out, so the partitions a join needs always land together.
 */
export class TaskLayout {
  readonly tasks: readonly TaskSpec[];
  /** Every source topic, as the broker names it: what the consumer subscribes to. */
  readonly topics: readonly string[];
  private readonly byId: Map<string, TaskSpec>;
  private readonly byPartition = new Map<string, TaskSpec>();

  /**
   * `partitionsOf(topic)` answers for user source topics (declared names); internal topics
   * take their counts from the plan.
   */
  constructor(topology: Topology, plan: PartitionPlan, applicationId: string, partitionsOf: (topic: string) => number | undefined) {
    const tasks: TaskSpec[] = [];
    const topics = new Set<string>();
    for (const sub of topology.subTopologies) {
      const sources = sub.sources.flatMap((source) =>
        source.topics.map((declared) => {
          const topic = source.internal ? `${applicationId}-${declared}` : declared;
          const partitions = source.internal ? plan.internalTopics.get(declared) : partitionsOf(declared);
          return { topic, partitions: partitions ?? 0 };
        }),
      );
      sources.forEach(({ topic }) => topics.add(topic));
      const count = plan.tasks.get(sub.id) ?? 0;
      for (let partition = 0; partition < count; partition++) {
        const inputs = sources.filter((s) => partition < s.partitions).map(({ topic }) => ({ topic, partition }));
        tasks.push({ id: `${sub.id}_${partition}`, subTopology: sub, partition, inputs });
      }
    }
    this.tasks = tasks;
    this.topics = [...topics];
    this.byId = new Map(tasks.map((t) => [t.id, t]));
    for (const task of tasks) for (const { topic, partition } of task.inputs) this.byPartition.set(partitionKey(topic, partition), task);
  }

  task(id: string): TaskSpec | undefined {
    return this.byId.get(id);
  }

  /** The task that reads `topic` partition `partition`. */
  taskOf(topic: string, partition: number): TaskSpec | undefined {
    return this.byPartition.get(partitionKey(topic, partition));
  }

  /** The tasks whose every input partition is in `partitions`. */
  tasksFor(partitions: readonly TopicPartition[]): TaskSpec[] {
    const owned = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    const seen = new Set<string>();
    const result: TaskSpec[] = [];
    for (const { topic, partition } of partitions) {
      const task = this.taskOf(topic, partition);
      if (!task || seen.has(task.id)) continue;
      seen.add(task.id);
      if (task.inputs.every((i) => owned.has(partitionKey(i.topic, i.partition)))) result.push(task);
    }
    return result;
  }
}
