import type { Admin, Kafka } from 'kafkajs';
import { permanentConnectionFailure } from './connectionFailure';
import type { NewTopic, PartitionOffsets, StreamsAdmin, TopicPartitionOffset } from '../StreamsClient';

/**
 * `ConfigResourceTypes.TOPIC`. Not imported by name: KafkaJS is CommonJS, and Node's ESM loader
 * cannot see that export, so a named import fails outside a bundler (in a plain `node` process).
 */
const TOPIC_RESOURCE = 2;

const TOPIC_READY_TIMEOUT_MS = 30_000;
/** How often a topic the metadata does not show yet is looked for again (200 ms apart). */
const METADATA_ATTEMPTS = 5;

/** The admin operations the runtime needs, on a KafkaJS admin client. */
export class KafkaJsAdmin implements StreamsAdmin {
  private readonly admin: Admin;

  /**
   * @param probeKafka a KafkaJS instance that does not retry, for the first connection
   * @param tls whether the connection is meant to be encrypted (explains a TLS mismatch)
   */
  constructor(
    kafka: Kafka,
    retries = 3,
    private readonly probeKafka: Kafka = kafka,
    private readonly tls = false,
  ) {
    // Few retries: a broker that is not there should fail start() in seconds, and the
    // runtime's own admin calls (offsets for metrics, purges) are best-effort.
    this.admin = kafka.admin({ retry: { retries, initialRetryTime: 200 } });
  }

  /**
   * A first attempt without retries tells a failure retrying cannot mend (a refused login,
   * an untrusted certificate, a TLS mismatch) at once, with what to change; the rest (a
   * broker not up yet) get the admin's retries.
   */
  async connect(): Promise<void> {
    const probe = this.probeKafka.admin({ retry: { retries: 0 } });
    try {
      await probe.connect();
      // A listener that wants a SASL login answers ApiVersions without one, then closes on Metadata.
      await probe.describeCluster();
    } catch (error) {
      const permanent = permanentConnectionFailure(error, this.tls);
      if (permanent) throw permanent;
    } finally {
      await probe.disconnect().catch(() => undefined);
    }
    await this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (topics.length === 0) return counts;
    const existing = new Set(await this.admin.listTopics());
    const wanted = [...new Set(topics)].filter((topic) => existing.has(topic));
    if (wanted.length === 0) return counts;
    const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics: wanted });
    for (const { name, partitions } of metadata) counts.set(name, partitions.length);
    return counts;
  }

  /**
   * A broker may learn of a topic created a moment ago later than the others, and describing a
   * topic it does not know fails the whole request: topics not listed yet are asked for again
   * a few times before they count as missing.
   */
  async maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>> {
    const limits = new Map<string, number>();
    let missing = [...new Set(topics)];
    for (let attempt = 0; missing.length > 0 && attempt < METADATA_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const existing = new Set(await this.admin.listTopics());
      const listed = missing.filter((topic) => existing.has(topic));
      if (listed.length === 0) continue;
      try {
        const { resources } = await this.admin.describeConfigs({
          includeSynonyms: false,
          resources: listed.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: ['max.message.bytes'] })),
        });
        for (const { resourceName, configEntries } of resources) {
          const value = Number(configEntries.find((entry) => entry.configName === 'max.message.bytes')?.configValue);
          if (Number.isInteger(value) && value > 0) limits.set(resourceName, value);
        }
      } catch (error) {
        if (attempt === METADATA_ATTEMPTS - 1) throw error;
      }
      missing = missing.filter((topic) => !limits.has(topic));
    }
    return limits;
  }

  /**
   * Not `createTopics({ waitForLeaders: true })`: on KRaft, KafkaJS then fails with "This
   * server does not host this topic-partition" when the broker it asks has not applied
   * the new topic yet (it only retries LEADER_NOT_AVAILABLE). It polls instead until every
   * partition has a leader that answers ListOffsets.
   */
  async createTopics(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    for (const topic of topics) {
      for (;;) {
        if (await this.isReady(topic.name, topic.partitions)) break;
        if (Date.now() > deadline) throw new Error(`topic '${topic.name}' has no leader for all ${topic.partitions} partitions after ${TOPIC_READY_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async offsets(topics: readonly string[]): Promise<PartitionOffsets[]> {
    const result: PartitionOffsets[] = [];
    for (const topic of new Set(topics)) {
      for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic)) {
        result.push({ topic, partition, low: Number(low), high: Number(high) });
      }
    }
    return result;
  }

  /** KafkaJS cannot ask for stable offsets (KIP-447): its client does not say `transactionsWithGroupMetadata`, so nobody asks. */
  async committedOffsets(groupId: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    const response = await this.admin.fetchOffsets({ groupId, topics: [...new Set(topics)] });
    return response.flatMap(({ topic, partitions }) =>
      partitions.filter((p) => Number(p.offset) >= 0).map((p) => ({ topic, partition: p.partition, offset: Number(p.offset), ...(p.metadata ? { metadata: p.metadata } : {}) })),
    );
  }

  async deleteRecordsBefore(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of offsets) {
      let partitions = byTopic.get(topic);
      if (!partitions) byTopic.set(topic, (partitions = []));
      partitions.push({ partition, offset: String(offset) });
    }
    for (const [topic, partitions] of byTopic) await this.admin.deleteTopicRecords({ topic, partitions });
  }

  private async isReady(name: string, partitions: number): Promise<boolean> {
    try {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: [name] });
      const found = topics[0]?.partitions ?? [];
      if (found.length !== partitions || !found.every((p) => p.leader >= 0)) return false;
      return (await this.admin.fetchTopicOffsets(name)).length === partitions;
    } catch {
      // Metadata still propagating (unknown topic, no leader yet): not ready.
      return false;
    }
  }
}
