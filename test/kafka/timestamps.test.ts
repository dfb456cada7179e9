// Event time through the client: records whose timestamps lie months apart, written in one
// batch, keep their timestamps on the way out (a client that encodes a large negative
// timestamp delta wrong moves them; @platformatic/kafka 2.12 did, see the adapter's
// timestampDeltaFix.ts). Runs on whichever client the pass uses.
import { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitForMessages } from '../harness';
import { startApp } from './support';

const DAY = 86_400_000;

describe('record timestamps', () => {
  it('a record written in a batch after one months newer keeps its timestamp', async () => {
    const input = uniqueName('ts-in');
    const output = uniqueName('ts-out');
    await createTopic(input, 1);
    await createTopic(output, 1);
    const base = Date.UTC(2011, 11, 9);
    // Newest first, then ever older: each delta from the first record of a batch is below -2^31 ms.
    const timestamps = Array.from({ length: 60 }, (_, i) => base - i * 30 * DAY - (i % 7));
    await produce(input, timestamps.map((timestamp, id) => ({ key: `k${id}`, value: JSON.stringify({ id }), timestamp: String(timestamp) })));
    const builder = new StreamsBuilder();
    builder.stream<string, { id: number }>(input).to(output);
    await using _app = await startApp(builder.build());
    const written = await waitForMessages(output, { count: timestamps.length, timeoutMs: 60_000 });
    const got = written.map((m) => [(JSON.parse(m.value!.toString()) as { id: number }).id, Number(m.timestamp)]);
    expect(got).toEqual(timestamps.map((timestamp, id) => [id, timestamp]));
  }, 90_000);
});
