// KafkaJS-based helpers for integration tests against a real broker (tools/kafka or
// any cluster named in KAFKA_BROKERS): unique names, topics, producing, consuming.
import { randomBytes } from 'node:crypto';
import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type IHeaders,
  type KafkaConfig,
  type Message,
  type RecordMetadata,
  type logCreator,
} from 'kafkajs';
import { waitFor } from './wait';

/** Bootstrap servers from KAFKA_BROKERS (comma-separated), or a clear error. */
export function brokers(): string[] {
  const list = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (list.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set. Integration tests need a real Kafka broker: run `npm test` ' +
        '(starts one and stops it afterwards), or start one with `pnpm kafka:start` and then ' +
        '`KAFKA_BROKERS=$(cat tools/kafka/run/brokers) pnpm test:integration`.',
    );
  }
  return list;
}

/** `prefix-<random hex>`: one topic / group per test, so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A KafkaJS log creator that drops everything (KafkaJS is noisy on rebalances and disconnects). */
export const silentLogCreator: logCreator = () => () => {};

/** KafkaJS settings for tests: silent logger, brokers from KAFKA_BROKERS. */
export function kafkaConfig(overrides: Partial<KafkaConfig> = {}): KafkaConfig {
  return {
    clientId: 'tributary-test',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
    logCreator: silentLogCreator,
    ...overrides,
  };
}

/** A KafkaJS client for tests (silent logger, brokers from KAFKA_BROKERS). */
export function createKafka(overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka(kafkaConfig(overrides));
}

/** Runs `fn` with a connected admin client and disconnects it afterwards. */
export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka({ clientId: 'tributary-test-admin' }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic and waits until it is usable: every partition has a leader in the
 * metadata, and the leaders actually host their partitions (ListOffsets answers).
 * `config` holds topic-level settings, e.g. `{ 'cleanup.policy': 'compact' }`.
 *
 * Not `createTopics({ waitForLeaders: true })`: on a multi-broker KRaft cluster KafkaJS
 * then fails with "This server does not host this topic-partition" when the broker it
 * asks has not applied the new topic's metadata yet (it only retries LEADER_NOT_AVAILABLE).
 */
export async function createTopic(
  name: string,
  partitions = 1,
  config: Record<string, string> = {},
  replicationFactor = -1, // -1: the broker's default.replication.factor
): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: name,
          numPartitions: partitions,
          replicationFactor,
          configEntries: Object.entries(config).map(([key, value]) => ({ name: key, value })),
        },
      ],
    });
    // Errors while the metadata propagates (unknown topic, no leader yet) mean "not yet".
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
        const found = topics[0]?.partitions ?? [];
        if (found.length !== partitions || !found.every((p) => p.leader >= 0)) return false;
        const offsets = await admin.fetchTopicOffsets(name);
        return offsets.length === partitions;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: `topic ${name}: leaders for all ${partitions} partitions` },
    );
  });
}

/** A record to produce: `Message` fields; strings and Buffers (any bytes, not only JSON) both work. */
export type ProduceRecord = Message;

/** Produces `messages` to `topic` (acks=all, idempotent) and returns the broker's metadata. */
export async function produce(topic: string, messages: ProduceRecord[]): Promise<RecordMetadata[]> {
  const producer = createKafka({ clientId: 'tributary-test-producer' }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    return await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

/** One consumed record, as `waitForMessages` returns it. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  /** Offset as a number (Kafka offsets of test topics stay far below 2^53). */
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

export interface WaitForMessagesOptions {
  /** Resolve once at least this many records arrived. */
  count: number;
  /** Start at the earliest offset when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Consumer group to read with (default: a fresh unique group). */
  groupId?: string;
  /** Commit the consumed offsets when done (default false: the group stays as it found it). */
  commit?: boolean;
}

/**
 * Consumes `topic` with a real consumer group until `count` records arrived, then
 * disconnects and returns them in arrival order (per partition, in offset order).
 */
export async function waitForMessages(
  topic: string,
  { count, fromBeginning = true, timeoutMs = 30_000, groupId = uniqueName('test-group'), commit = false }:
    WaitForMessagesOptions,
): Promise<ConsumedMessage[]> {
  const consumer = createKafka({ clientId: 'tributary-test-consumer' }).consumer({
    groupId,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  const received: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        received.push({
          topic: t,
          partition,
          offset: Number(message.offset),
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
        });
      },
    });
    await waitFor(() => received.length >= count, {
      timeoutMs,
      intervalMs: 20,
      description: () => `${count} messages on ${topic} (got ${received.length})`,
    });
    if (commit) {
      const next = new Map<number, number>();
      for (const m of received) next.set(m.partition, Math.max(next.get(m.partition) ?? 0, m.offset + 1));
      await consumer.commitOffsets(
        [...next].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
      );
    }
    return received;
  } finally {
    await consumer.disconnect();
  }
}
