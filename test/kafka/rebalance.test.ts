// Rebalances while records flow (issue 8, item 1): members join and leave a group whose
// partitions are busy, with buffers small enough that partitions pause on overflow. Every
// input offset of every partition must reach the output: a kept task must go on exactly
// where it was, and a moved one from the last commit.
import { describe, expect, it } from 'vitest';
import { createKafka, createTopic, uniqueName, waitFor } from '../harness';
import { spawnChildApp, type ChildApp } from './childApp';

const PARTITIONS = 8;
const RECORDS = 120_000;
const CHUNK = 1_000;

/** Small buffers: partitions overflow and pause often, and batches are in flight at every rebalance. */
const OPTIONS = JSON.stringify({ maxBufferedRecordsPerPartition: 600, maxBufferedRecords: 2_000, maxInFlightRecords: 2_000, commitIntervalMs: 300 });

describe('rebalances while records flow', () => {
  it('members joining and leaving lose no input offset of any partition', async () => {
    const input = uniqueName('rebalance-in');
    const output = uniqueName('rebalance-out');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    const applicationId = uniqueName('rebalance-app');
    const spawn = (instance: string) => spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: instance, OPTIONS });
    const children: ChildApp[] = [];
    const producer = createKafka({ clientId: 'rebalance-producer' }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      children.push(spawn('a'));
      let produced = 0;
      const produceChunk = async () => {
        const messages = Array.from({ length: CHUNK }, (_, i) => ({ key: `k${(produced + i) % 997}`, value: JSON.stringify({ id: produced + i }) }));
        await producer.send({ topic: input, messages, acks: -1 });
        produced += CHUNK;
      };
      // A steady stream, with a member joining at a quarter, another at half, and the first leaving at three quarters.
      const steps = new Map<number, () => void>([
        [RECORDS / 4, () => children.push(spawn('b'))],
        [RECORDS / 2, () => children.push(spawn('c'))],
        [(RECORDS * 3) / 4, () => children[0]!.process.kill('SIGTERM')],
      ]);
      while (produced < RECORDS) {
        steps.get(produced)?.();
        await produceChunk();
        await new Promise((resolve) => setTimeout(resolve, 15));
      }

      const ids = await readIds(output, RECORDS, 180_000);
      const missing: number[] = [];
      for (let id = 0; id < RECORDS; id++) if (!ids.has(id)) missing.push(id);
      expect({ missing: missing.length, firstMissing: missing.slice(0, 10) }).toEqual({ missing: 0, firstMissing: [] });
      for (const child of children.slice(1)) expect(child.lines.filter((l) => l.event === 'error')).toEqual([]);
    } finally {
      await producer.disconnect();
      for (const child of children) child.process.kill('SIGKILL');
    }
  }, 300_000);
});

/** Reads `topic` from the beginning until `expected` distinct ids arrived or `timeoutMs` passed; returns the ids seen. */
async function readIds(topic: string, expected: number, timeoutMs: number): Promise<Set<number>> {
  const consumer = createKafka({ clientId: 'rebalance-reader' }).consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const ids = new Set<number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) ids.add((JSON.parse(m.value!.toString()) as { id: number }).id);
      },
    });
    await waitFor(() => ids.size >= expected, { timeoutMs, intervalMs: 100, description: () => `${expected} ids on ${topic} (got ${ids.size})` }).catch(() => undefined);
    return ids;
  } finally {
    await consumer.disconnect();
  }
}
