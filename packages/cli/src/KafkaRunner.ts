import { randomUUID } from 'node:crypto';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import type { Headers, Topology } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { CliError } from './args';
import { connectAdmin, kafkaClient, type KafkaTarget } from './kafka';

/** A record as the producer sends it: serialized key and value, event time. */
export interface SerializedRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  timestamp?: number;
  headers?: Headers;
}

/** The Kafka side of a CLI run: topics, producing the data, reading the outputs back. */
export class KafkaRunner {
  private constructor(
    readonly brokers: string[],
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  /** Connects to the target's brokers with its connection (see {@link kafkaTarget}). */
  static async connect(target: KafkaTarget): Promise<KafkaRunner> {
    const kafka = kafkaClient(target);
    return new KafkaRunner(target.brokers, kafka, await connectAdmin(kafka, target));
  }

  /**
   * Starts a run from scratch: deletes the input and output topics, the application's
   * internal topics (`<applicationId>-*`) and its committed offsets, left by an earlier
   * run, then creates the input topic with `partitions` partitions, the output topics, and
   * the topology's repartition topics, all without time-based retention.
   */
  async prepareTopics(applicationId: string, input: string, partitions: number, outputs: readonly string[], topology: Topology): Promise<void> {
    const existing = await this.admin.listTopics();
    const stale = existing.filter((t) => t === input || outputs.includes(t) || t.startsWith(`${applicationId}-`));
    await this.admin.deleteGroups([applicationId]).catch(() => {});
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
      .map((t) => ({ topic: `${applicationId}-${t.name}`, numPartitions: plan.internalTopics.get(t.name)!, configEntries: [...configEntries, { name: 'cleanup.policy', value: 'delete' }] }));
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

  /** Produces records to `topic` in batches of `batchSize`, each acknowledged by all in-sync replicas. Returns how many. */
  async produce(topic: string, records: Iterable<SerializedRecord> | AsyncIterable<SerializedRecord>, batchSize = 5000): Promise<number> {
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    let count = 0;
    try {
      let batch: SerializedRecord[] = [];
      const send = async () => {
        const messages = batch.map((r) => ({ key: r.key, value: r.value, ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}), ...(r.headers ? { headers: definedHeaders(r.headers) } : {}) }));
        await producer.send({ topic, messages, acks: -1 });
        count += batch.length;
        batch = [];
      };
      for await (const record of records) {
        batch.push(record);
        if (batch.length >= batchSize) await send();
      }
      if (batch.length > 0) await send();
    } finally {
      await producer.disconnect();
    }
    return count;
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

/** KafkaJS takes headers with values; an `undefined` one is left out. */
function definedHeaders(headers: Headers): Record<string, string | Buffer> {
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string | Buffer] => entry[1] !== undefined));
}
