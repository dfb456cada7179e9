// Reads a whole topic with an independent KafkaJS consumer (a fresh group), from the
// beginning to the end offsets it has when the read starts. The end is checked on the
// consumer's position, control records included, so an exactly-once topic read with
// read_committed ends too; a partition that never gets there (say, behind an open
// transaction) is named in the timeout error.
import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName, waitFor } from '../harness';

export interface ReadTopicOptions {
  /** read_committed (the default) or read_uncommitted. */
  readCommitted?: boolean;
  timeoutMs?: number;
}

export interface TopicRead {
  /** Records handed to `onRecord`. */
  records: number;
  /** The end offset of each partition the read went to. */
  endOffsets: number[];
}

export async function readTopic(
  kafka: Kafka,
  topic: string,
  onRecord: (partition: number, message: KafkaMessage) => void,
  { readCommitted = true, timeoutMs = 180_000 }: ReadTopicOptions = {},
): Promise<TopicRead> {
  const admin = kafka.admin();
  await admin.connect();
  const endOffsets: number[] = [];
  try {
    for (const o of await admin.fetchTopicOffsets(topic)) endOffsets[o.partition] = Number(o.high);
  } finally {
    await admin.disconnect();
  }
  const position = endOffsets.map(() => 0);
  const reached = () => endOffsets.every((end, p) => position[p]! >= end);
  let records = 0;
  let failed = 0;
  const failures: string[] = [];
  if (reached()) return { records, endOffsets };

  const consumer = kafka.consumer({
    groupId: uniqueName('system-reader'),
    readUncommitted: !readCommitted,
    maxWaitTimeInMs: 100,
    maxBytes: 32 * 1024 * 1024,
    maxBytesPerPartition: 4 * 1024 * 1024,
    allowAutoTopicCreation: false,
  });
  // After each batch, also one of only control records or aborted records (never given to eachBatch).
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const next = Number(payload.lastOffset) + 1;
    if (next > position[payload.partition]!) position[payload.partition] = next;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          records++;
          // A throw would make KafkaJS hand the batch over again: keep it for the end instead.
          try {
            onRecord(batch.partition, message);
          } catch (error) {
            if (failures.length < 5) failures.push(`partition ${batch.partition} offset ${message.offset}: ${(error as Error).message}`);
            failed++;
          }
        }
      },
    });
    await waitFor(reached, {
      timeoutMs,
      intervalMs: 50,
      description: () => {
        const behind = endOffsets.map((end, p) => ({ p, at: position[p]!, end })).filter((x) => x.at < x.end);
        return `${topic} read to its end offsets (${records} records read; behind: ${behind.map((x) => `partition ${x.p} at ${x.at} of ${x.end}`).join(', ')})`;
      },
    });
    if (failed > 0) throw new Error(`${failed} records of ${topic} could not be checked: ${failures.join('; ')}`);
    return { records, endOffsets };
  } finally {
    await consumer.disconnect();
  }
}
