// A steady input for rebalancing tests: record `id` goes to partition `id % partitions`, and
// every id must come out once.
import { expect } from 'vitest';
import { createKafka, withAdmin } from '../harness';
import { readJson } from './support';

/** A steady stream into `input` (80 records every 40 ms), record `id` on partition `id % partitions`. */
export async function steadyInput(input: string, partitions: number) {
  const producer = createKafka({ clientId: 'coop-producer' }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let produced = 0;
  let producing = true;
  const stream = (async () => {
    while (producing) {
      const messages = Array.from({ length: 80 }, (_, i) => ({ partition: (produced + i) % partitions, key: `k${produced + i}`, value: JSON.stringify({ id: produced + i }) }));
      await producer.send({ topic: input, messages, acks: -1 });
      produced += messages.length;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    produced: () => produced,
    stop: () =>
      (stopped ??= (async () => {
        producing = false;
        await stream.catch(() => undefined);
        await producer.disconnect();
      })()),
  };
}

/** Every produced id is in `output` exactly once. */
export async function expectEachOnce(output: string, produced: number): Promise<void> {
  const records = await readJson<{ id: number }>(output, produced, 120_000);
  const ids = new Set(records.map((r) => r.json.id));
  const missing = Array.from({ length: produced }, (_, id) => id).filter((id) => !ids.has(id));
  const written = await outputRecords(output);
  expect({ missing: missing.length, duplicates: written - produced }).toEqual({ missing: 0, duplicates: 0 });
}

/** Records in `topic`: the sum of its partitions' log-end offsets (no transactions write to it). */
async function outputRecords(topic: string): Promise<number> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((sum, o) => sum + Number(o.high), 0);
}
