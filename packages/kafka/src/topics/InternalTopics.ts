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
 * delete policy and are purged as their records are committed. With three replicas or more
 * they take a write only while two replicas have it (see {@link durabilityConfig}).
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
      config: {
        ...(kind === 'changelog' ? { ...changelogConfig(store?.retentionMs), ...store?.changelogConfig } : REPARTITION_CONFIG),
        ...durabilityConfig(replicationFactor),
      },
    };
  });
}

/**
 * Repartition records carry their event time, which may be far in the past (a replay):
 * time-based retention would delete them before they are processed. As in Kafka Streams,
 * they are kept until purged after commit.
 */
const REPARTITION_CONFIG = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': '52428800' } as const;

/**
 * `min.insync.replicas=2` when the topic has three replicas or more: with acks=all a record is
 * then acknowledged only once two brokers have it, so losing the leader after the in-sync
 * replicas shrank to it loses nothing (the broker default is 1, which acknowledges records
 * held by the leader alone). One broker down still leaves two replicas to write to. Kafka
 * Streams leaves this to the broker; Tributary sets it because its durability rests on acks=all
 * meaning two copies (packages/kafka/README.md, "Producer settings and leader changes").
 * With two replicas it would stop writes whenever a broker restarts, and with the broker's
 * default replication factor (-1) the count is unknown: both keep the broker's setting.
 */
function durabilityConfig(replicationFactor: number): Record<string, string> {
  return replicationFactor >= 3 ? { 'min.insync.replicas': '2' } : {};
}

/** Kafka Streams' extra retention on windowed changelogs (`windowstore.changelog.additional.retention.ms`). */
const WINDOWED_CHANGELOG_EXTRA_RETENTION_MS = 86_400_000;

/**
 * Key-value changelogs are compacted: the latest value per key is all a restore needs.
 * Window and session changelogs are compacted and also deleted past the store's retention.
 * A store may add settings of its own (`StoreSpec.changelogConfig`): a versioned store keeps
 * its history from compaction with `min.compaction.lag.ms`.
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
