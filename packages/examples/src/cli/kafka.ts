import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { ErrorHandlers, type StreamsApplication, type Topology } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import type { CustomerInteraction } from '../data';
import { CRM_APPLICATION_ID } from '../pipelines/topics';
import { CliError } from './args';

/** How long the CLI waits for a broker before saying it cannot reach it. */
export const CONNECT_TIMEOUT_MS = 5000;

/** A KafkaJS client that fails fast and quietly: the CLI reports errors itself. */
export function kafkaClient(brokers: readonly string[], clientId = 'tributary-cli'): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Connects an admin client, or throws a {@link CliError} naming the address when no
 * broker answers within {@link CONNECT_TIMEOUT_MS} (instead of KafkaJS's retries and
 * stack trace).
 */
export async function connectAdmin(kafka: Kafka, brokers: readonly string[]): Promise<Admin> {
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000}s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
    return admin;
  } catch (error) {
    await admin.disconnect().catch(() => {});
    throw new CliError(`cannot reach Kafka at ${brokers.join(',')}: ${reason(error)}. Is a broker running there? (start one with 'pnpm kafka:start')`);
  } finally {
    clearTimeout(timer);
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

/**
 * `new KafkaStreams(topology, { applicationId, brokers, ... })` from `@tributary/kafka`,
 * loaded only when a run goes through Kafka (the embedded engine never loads KafkaJS).
 * Commits and metrics every second, rather than Kafka Streams' 30 seconds, so that the
 * progress display shows live lag and the run knows promptly when it has caught up.
 */
export async function createKafkaApplication(topology: Topology, config: { applicationId: string; brokers: string[] }): Promise<StreamsApplication> {
  const { KafkaStreams } = await import('@tributary/kafka');
  return new KafkaStreams(topology, {
    ...config,
    commitIntervalMs: 1000,
    metricsIntervalMs: 1000,
    deserializationErrorHandler: ErrorHandlers.logAndContinue(),
  });
}

/** The Kafka side of a CLI run: topics, producing the data, reading the outputs back. */
export class KafkaRunner {
  private constructor(
    readonly brokers: string[],
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  static async connect(brokers: string[]): Promise<KafkaRunner> {
    const kafka = kafkaClient(brokers);
    return new KafkaRunner(brokers, kafka, await connectAdmin(kafka, brokers));
  }

  /**
   * Starts the run from scratch: deletes the input and output topics, the application's
   * internal topics (`crm_consumer_group-*`) and its committed offsets, left by an earlier
   * run, then creates the input topic with `partitions` partitions, the output topics, and
   * the topology's repartition topics, all without time-based retention.
   */
  async prepareTopics(input: string, partitions: number, outputs: readonly string[], topology: Topology): Promise<void> {
    const existing = await this.admin.listTopics();
    const stale = existing.filter((t) => t === input || outputs.includes(t) || t.startsWith(`${CRM_APPLICATION_ID}-`));
    await this.admin.deleteGroups([CRM_APPLICATION_ID]).catch(() => {});
    if (stale.length > 0) {
      await this.admin.deleteTopics({ topics: stale, timeout: 30_000 });
      await this.until(async () => {
        const left = await this.admin.listTopics();
        return stale.every((t) => !left.includes(t));
      }, 'the old topics to be deleted');
    }
    // No time-based retention: the records carry their 2010-2011 event times, and with the
    // broker's default (7 days) it deletes them while the run is going on. That holds for
    // the repartition topics too, which KafkaStreams would create with the default: created
    // here first, with the partition counts it plans (it accepts existing ones that match).
    const configEntries = [{ name: 'retention.ms', value: '-1' }];
    const plan = planPartitions(topology, (topic) => (topic === input ? partitions : undefined));
    const repartition = topology
      .internalTopics()
      .filter((t) => t.kind === 'repartition')
      .map((t) => ({ topic: `${CRM_APPLICATION_ID}-${t.name}`, numPartitions: plan.internalTopics.get(t.name)!, configEntries: [...configEntries, { name: 'cleanup.policy', value: 'delete' }] }));
    const topics = [...[input, ...outputs].map((topic) => ({ topic, numPartitions: partitions, configEntries })), ...repartition];
    await this.until(async () => {
      try {
        await this.admin.createTopics({ topics, waitForLeaders: true });
        return true;
      } catch {
        return false; // still marked for deletion
      }
    }, 'the topics to be created');
  }

  /** Produces the interactions to `topic` (key customer id, JSON value, event-time timestamp), in batches. */
  async produceInteractions(topic: string, interactions: readonly CustomerInteraction[], batchSize = 5000): Promise<void> {
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let i = 0; i < interactions.length; i += batchSize) {
        const messages = interactions.slice(i, i + batchSize).map((interaction) => ({
          key: interaction.customerId,
          value: JSON.stringify(interaction),
          timestamp: String(interaction.timestamp),
        }));
        await producer.send({ topic, messages, acks: -1 });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Every record of each topic up to its current end, values parsed as JSON. */
  async readTopics(topics: readonly string[]): Promise<Map<string, unknown[]>> {
    const result = new Map<string, unknown[]>(topics.map((t) => [t, []]));
    const remaining = new Map<string, number>(); // `${topic}:${partition}` -> end offset still to reach
    for (const topic of topics) {
      for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) remaining.set(`${topic}:${partition}`, Number(high));
      }
    }
    if (remaining.size === 0) return result;
    const groupId = `tributary-cli-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const key = `${batch.topic}:${batch.partition}`;
              const end = remaining.get(key);
              if (end === undefined) return;
              const values = result.get(batch.topic)!;
              for (const message of batch.messages) {
                if (Number(message.offset) >= end) break;
                values.push(message.value === null ? null : JSON.parse(message.value.toString('utf8')));
              }
              if (Number(batch.lastOffset()) + 1 >= end) remaining.delete(key);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => {});
    }
    return result;
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect();
  }

  private async until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new CliError(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
