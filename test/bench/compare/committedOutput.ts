// The output of an exactly-once run as its readers see it: the records a read_committed
// consumer gets from the topic. Its log-end offsets count the transaction markers too (one per
// partition and transaction), so they cannot say how many records were written.
import type { Kafka } from 'kafkajs';

/**
 * Reads `topic` from the beginning with a read_committed consumer of group `groupId` and
 * returns how many records it got: once it has `expected` and nothing more came for `quietMs`
 * (so duplicates would still be counted), or what it had after `timeoutMs`.
 */
export async function countCommittedRecords(kafka: Kafka, topic: string, groupId: string, expected: number, quietMs = 2_000, timeoutMs = 120_000): Promise<number> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  let count = 0;
  let lastRecordAt = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        count += batch.messages.length;
        lastRecordAt = Date.now();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(count >= expected && Date.now() - lastRecordAt >= quietMs)) await new Promise((r) => setTimeout(r, 100));
    return count;
  } finally {
    await consumer.disconnect();
  }
}
