import { StreamsError } from '@tributary/core';
import { ConfigResourceTypes, ListOffsetTimestamps, type Admin } from '@platformatic/kafka';
import type { NewTopic, PartitionOffsets, StreamsAdmin, TopicPartitionOffset } from '../StreamsClient';
import { connectionFailureReason, permanentConnectionFailure, type ConnectionIntent } from './connectionFailure';
import { asKafkaError, brokerErrorName } from './kafkaErrors';

const TOPIC_READY_TIMEOUT_MS = 30_000;
/** Longer than the default transaction timeout: an open transaction ends within it. */
const STABLE_OFFSETS_TIMEOUT_MS = 90_000;
/** How often a topic the broker does not list yet is looked for again (200 ms apart). */
const METADATA_ATTEMPTS = 5;

/** The admin operations the runtime needs, on a `@platformatic/kafka` admin client. */
export class PlatformaticAdmin implements StreamsAdmin {
  /**
   * @param probe makes an admin client that does not retry, for the first connection
   * @param intent the security and timeouts the connection is meant to have (explains a mismatch)
   */
  constructor(
    private readonly admin: Admin,
    private readonly probe: () => Admin,
    private readonly intent: ConnectionIntent,
  ) {}

  /**
   * A metadata request, the first thing that fails when the brokers, TLS or SASL are wrong.
   * A first attempt without retries tells a failure retrying cannot mend (a refused login,
   * an untrusted certificate, a TLS mismatch) at once, with what to change; the rest (a
   * broker not up yet) get the admin's retries.
   */
  async connect(): Promise<void> {
    const probe = this.probe();
    try {
      await probe.metadata({ topics: [] });
    } catch (error) {
      const permanent = permanentConnectionFailure(error, this.intent);
      if (permanent) throw permanent;
    } finally {
      await probe.close().catch(() => undefined);
    }
    try {
      await this.admin.metadata({ topics: [] });
    } catch (error) {
      throw permanentConnectionFailure(error, this.intent) ?? new StreamsError(connectionFailureReason(error, this.intent), { cause: error, retriable: true });
    }
  }

  disconnect(): Promise<void> {
    return this.admin.close();
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const wanted = await this.existing(topics);
    if (wanted.length === 0) return counts;
    const metadata = await this.admin.metadata({ topics: wanted, forceUpdate: true });
    for (const topic of wanted) {
      const count = metadata.topics.get(topic)?.partitionsCount;
      if (count !== undefined) counts.set(topic, count);
    }
    return counts;
  }

  /** As on KafkaJS: a topic created a moment ago may not be listed by every broker yet, so missing ones are asked for again. */
  async maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>> {
    const limits = new Map<string, number>();
    let missing = [...new Set(topics)];
    for (let attempt = 0; missing.length > 0 && attempt < METADATA_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const listed = await this.existing(missing);
      if (listed.length === 0) continue;
      try {
        const described = await this.admin.describeConfigs({
          resources: listed.map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName, configurationKeys: ['max.message.bytes'] })),
        });
        for (const { resourceName, configs } of described) {
          const value = Number(configs.find((c) => c.name === 'max.message.bytes')?.value);
          if (Number.isInteger(value) && value > 0) limits.set(resourceName, value);
        }
      } catch (error) {
        if (attempt === METADATA_ATTEMPTS - 1) throw asKafkaError(`describing topics ${listed.join(', ')}`, error);
      }
      missing = missing.filter((topic) => !limits.has(topic));
    }
    return limits;
  }

  /** One request per topic (the client's request shares partitions and configs among its topics), then waits for leaders that answer. */
  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    for (const topic of topics) {
      try {
        await this.admin.createTopics({
          topics: [topic.name],
          partitions: topic.partitions,
          replicas: topic.replicationFactor,
          configs: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
        });
      } catch (error) {
        // Another instance of the application created it a moment ago (they start together): it is there.
        if (brokerErrorName(error) === 'TOPIC_ALREADY_EXISTS') continue;
        throw asKafkaError(`creating topic '${topic.name}'`, error);
      }
    }
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    for (const topic of topics) {
      while (!(await this.isReady(topic.name, topic.partitions))) {
        if (Date.now() > deadline) throw new Error(`topic '${topic.name}' has no leader for all ${topic.partitions} partitions after ${TOPIC_READY_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async offsets(topics: readonly string[]): Promise<PartitionOffsets[]> {
    const counts = await this.partitionCounts(topics);
    if (counts.size === 0) return [];
    const [low, high] = await Promise.all([this.listOffsets(counts, ListOffsetTimestamps.EARLIEST), this.listOffsets(counts, ListOffsetTimestamps.LATEST)]);
    const result: PartitionOffsets[] = [];
    for (const [topic, count] of counts) {
      for (let partition = 0; partition < count; partition++) {
        const key = `${topic}\u0000${partition}`;
        result.push({ topic, partition, low: low.get(key) ?? 0, high: high.get(key) ?? 0 });
      }
    }
    return result;
  }

  /**
   * With `requireStable`, an offset an open transaction committed (KIP-447) makes the broker
   * answer UNSTABLE_OFFSET_COMMIT: asked again, with a growing pause, until that transaction
   * ends (it commits, aborts, or the broker times it out) or `STABLE_OFFSETS_TIMEOUT_MS` passed.
   */
  async committedOffsets(groupId: string, topics: readonly string[], options: { readonly requireStable?: boolean } = {}): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const wanted = new Set(topics);
    const requireStable = options.requireStable ?? false;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const groups = await this.admin.listConsumerGroupOffsets({ groups: [groupId], requireStable });
        return groups.flatMap((group) =>
          group.topics
            .filter((t) => wanted.has(t.name))
            .flatMap((t) =>
              t.partitions
                .filter((p) => p.committedOffset >= 0n)
                .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset), ...(p.metadata ? { metadata: p.metadata } : {}) })),
            ),
        );
      } catch (error) {
        const unstable = brokerErrorName(error) === 'UNSTABLE_OFFSET_COMMIT';
        if (!unstable || Date.now() - started > STABLE_OFFSETS_TIMEOUT_MS) throw asKafkaError(`reading the committed offsets of group ${groupId}`, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1_000)));
      }
    }
  }

  async deleteRecordsBefore(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const { topic, partition, offset } of offsets) {
      let partitions = byTopic.get(topic);
      if (!partitions) byTopic.set(topic, (partitions = []));
      partitions.push({ partition, offset: BigInt(offset) });
    }
    await this.admin.deleteRecords({ topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) });
  }

  private async existing(topics: readonly string[]): Promise<string[]> {
    if (topics.length === 0) return [];
    const listed = new Set(await this.admin.listTopics());
    return [...new Set(topics)].filter((topic) => listed.has(topic));
  }

  private async listOffsets(counts: Map<string, number>, timestamp: bigint): Promise<Map<string, number>> {
    const answer = await this.admin.listOffsets({
      topics: [...counts].map(([name, count]) => ({ name, partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })) })),
    });
    const offsets = new Map<string, number>();
    for (const { name, partitions } of answer) for (const p of partitions) offsets.set(`${name}\u0000${p.partitionIndex}`, Number(p.offset));
    return offsets;
  }

  private async isReady(name: string, partitions: number): Promise<boolean> {
    try {
      const metadata = await this.admin.metadata({ topics: [name], forceUpdate: true });
      const topic = metadata.topics.get(name);
      if (!topic || topic.partitionsCount !== partitions || !topic.partitions.every((p) => p.leader >= 0)) return false;
      return (await this.listOffsets(new Map([[name, partitions]]), ListOffsetTimestamps.LATEST)).size === partitions;
    } catch {
      // Metadata still propagating (unknown topic, no leader yet): not ready.
      return false;
    }
  }
}
