import { StreamsError, type Topology } from '@tributary/core';
import type { PartitionPlan } from '@tributary/core/runtime';
import type { NewTopic, StreamsAdmin } from '../client/StreamsClient';

export interface InternalTopicSpec extends NewTopic {
  readonly kind: 'repartition' | 'changelog';
}

/**
 * The repartition topics and changelogs of an application, as the broker names them
 * (`<applicationId>-<name>`), with the partition counts of the plan. Changelogs are
 * compacted (the latest value per key is all a restore needs); repartition topics use the
 * delete policy and are purged as their records are committed.
 */
export function internalTopicSpecs(topology: Topology, plan: PartitionPlan, applicationId: string, replicationFactor: number): InternalTopicSpec[] {
  return topology.internalTopics().map(({ name, kind }) => {
    const partitions = plan.internalTopics.get(name);
    if (partitions === undefined) throw new StreamsError(`the partition plan has no count for internal topic '${name}'`);
    return {
      name: `${applicationId}-${name}`,
      kind,
      partitions,
      replicationFactor,
      config: kind === 'changelog' ? { 'cleanup.policy': 'compact' } : { 'cleanup.policy': 'delete' },
    };
  });
}

/**
 * Creates the internal topics that do not exist yet, before the consumer subscribes (KafkaJS
 * on KRaft fails on a subscription to a missing topic). An existing one must have the
 * planned partition count: tasks and stores are laid out by it.
 */
export async function ensureInternalTopics(admin: Pick<StreamsAdmin, 'partitionCounts' | 'createTopics'>, specs: readonly InternalTopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  const existing = await admin.partitionCounts(specs.map((s) => s.name));
  for (const spec of specs) {
    const count = existing.get(spec.name);
    if (count !== undefined && count !== spec.partitions) {
      throw new StreamsError(
        `internal ${spec.kind} topic '${spec.name}' has ${count} partitions but the topology needs ${spec.partitions}; ` +
          `delete the application's internal topics (reset it) after changing its source topics`,
      );
    }
  }
  await admin.createTopics(specs.filter((s) => !existing.has(s.name)));
}
