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
  return topology.internalTopics().map(({ name, kind, store }) => {
    const partitions = plan.internalTopics.get(name);
    if (partitions === undefined) throw new StreamsError(`the partition plan has no count for internal topic '${name}'`);
    return {
      name: `${applicationId}-${name}`,
      kind,
      partitions,
      replicationFactor,
      config: kind === 'changelog' ? changelogConfig(store?.retentionMs) : REPARTITION_CONFIG,
    };
  });
}

/**
 * Repartition records carry their event time, which may be far in the past (a replay):
 * time-based retention would delete them before they are processed. As in Kafka Streams,
 * they are kept until purged after commit.
 */
const REPARTITION_CONFIG = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': '52428800' } as const;

/** Kafka Streams' extra retention on windowed changelogs (`windowstore.changelog.additional.retention.ms`). */
const WINDOWED_CHANGELOG_EXTRA_RETENTION_MS = 86_400_000;

/**
 * Key-value changelogs are compacted: the latest value per key is all a restore needs.
 * Window and session changelogs are compacted and also deleted past the store's retention.
 */
function changelogConfig(retentionMs: number | undefined): Record<string, string> {
  if (retentionMs === undefined) return { 'cleanup.policy': 'compact' };
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs + WINDOWED_CHANGELOG_EXTRA_RETENTION_MS) };
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
