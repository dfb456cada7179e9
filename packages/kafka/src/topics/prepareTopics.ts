import { StreamsError, type Topology } from '@tributary/core';
import { planPartitions, type PartitionPlan } from '@tributary/core/runtime';
import { TaskLayout } from '../assignment/TaskLayout';
import type { StreamsAdmin } from '../client/StreamsClient';
import { ensureInternalTopics, internalTopicSpecs, type InternalTopicSpec } from './InternalTopics';

export interface PreparedTopics {
  /** Partition counts of every topic the topology reads or writes, internal ones by broker name. */
  readonly counts: Map<string, number>;
  readonly plan: PartitionPlan;
  readonly internal: readonly InternalTopicSpec[];
  readonly layout: TaskLayout;
}

/**
 * What `start()` does before it joins the group: checks that every source and sink topic
 * exists (an error names the missing one), plans partitions with the real counts, and
 * creates the internal topics (KafkaJS on KRaft fails when subscribing to a missing topic).
 */
export async function prepareTopics(
  admin: Pick<StreamsAdmin, 'partitionCounts' | 'createTopics'>,
  topology: Topology,
  applicationId: string,
  replicationFactor: number,
): Promise<PreparedTopics> {
  const sources = topology.sourceTopics();
  const sinks = topology.sinkTopics();
  const counts = await partitionCountsSettled(admin, [...sources, ...sinks]);
  for (const topic of sources) if (!counts.has(topic)) throw new StreamsError(`source topic '${topic}' does not exist; create it before starting the application`);
  for (const topic of sinks) if (!counts.has(topic)) throw new StreamsError(`sink topic '${topic}' does not exist; create it before starting the application`);
  const plan = planPartitions(topology, (topic) => counts.get(topic));
  const internal = internalTopicSpecs(topology, plan, applicationId, replicationFactor);
  await ensureInternalTopics(admin, internal);
  for (const spec of internal) counts.set(spec.name, spec.partitions);
  const layout = new TaskLayout(topology, plan, applicationId, (topic) => counts.get(topic));
  return { counts, plan, internal, layout };
}

/** How long a topic missing from the metadata is looked up again before it counts as missing. */
const METADATA_SETTLE_MS = 5_000;

/**
 * Partition counts, asking again for a while about topics the first answer lacked: on a
 * cluster of several brokers, a topic created a moment ago is known to its controller before
 * every broker has it in its metadata, and the broker asked may be one of the late ones.
 */
async function partitionCountsSettled(admin: Pick<StreamsAdmin, 'partitionCounts'>, topics: readonly string[]): Promise<Map<string, number>> {
  const counts = await admin.partitionCounts(topics);
  const deadline = Date.now() + METADATA_SETTLE_MS;
  let missing = topics.filter((t) => !counts.has(t));
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const [topic, count] of await admin.partitionCounts(missing)) counts.set(topic, count);
    missing = missing.filter((t) => !counts.has(t));
  }
  return counts;
}

