// Poison records: values that are not JSON go to a dead-letter topic with the error in its
// headers (KIP-1034 names), while the valid records keep flowing.
import { DeadLetterHeaders, ErrorHandlers, StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitForMessages } from '../harness';
import { committedOffsets, readJson, startApp } from './support';

describe('records that cannot be read', () => {
  it('go to the dead-letter topic with error headers while valid ones keep flowing', async () => {
    const input = uniqueName('payments');
    const output = uniqueName('checked');
    const deadLetters = uniqueName('payments-dlq');
    await createTopic(input, 2);
    await createTopic(output, 2);
    await createTopic(deadLetters, 1);
    const builder = new StreamsBuilder();
    builder
      .stream<string, { amount: number }>(input)
      .mapValues((p) => ({ amount: p.amount, checked: true }))
      .to(output);
    await using app = await startApp(builder.build(), { deserializationErrorHandler: ErrorHandlers.deadLetter(deadLetters) });

    const records = Array.from({ length: 300 }, (_, i) => {
      const poison = i % 50 === 7;
      // Raw bytes produced as they are: broken JSON, and a byte that is not even UTF-8 text.
      const value = poison ? (i % 100 === 7 ? Buffer.from(`{"amount": ${i},`) : Buffer.from([0xff, 0xfe, i & 0xff])) : Buffer.from(JSON.stringify({ amount: i }));
      return { key: `k${i % 13}`, value, headers: { seq: String(i) } };
    });
    await produce(input, records);
    const poisonCount = records.filter((_, i) => i % 50 === 7).length;

    const out = await readJson<{ amount: number; checked: boolean }>(output, records.length - poisonCount);
    expect(out.map((m) => m.json.amount).sort((a, b) => a - b)).toEqual(
      records.map((_, i) => i).filter((i) => i % 50 !== 7),
    );

    const dead = await waitForMessages(deadLetters, { count: poisonCount });
    expect(dead).toHaveLength(poisonCount);
    for (const m of dead) {
      const seq = Number(m.headers.seq?.toString());
      expect(seq % 50).toBe(7);
      expect(m.value).toEqual(records[seq]!.value); // the bytes as read, untouched
      expect(m.key?.toString()).toBe(`k${seq % 13}`);
      expect(m.headers[DeadLetterHeaders.exception]?.toString()).toBe('DeserializationError');
      expect(m.headers[DeadLetterHeaders.message]?.toString()).toMatch(/Cannot deserialize the record at topic/);
      expect(m.headers[DeadLetterHeaders.topic]?.toString()).toBe(input);
      expect(Number(m.headers[DeadLetterHeaders.partition]?.toString())).toBeGreaterThanOrEqual(0);
      expect(m.headers[DeadLetterHeaders.offset]?.toString()).toMatch(/^\d+$/);
    }
    expect(app.metrics().droppedByReason).toEqual({ 'dead-letter': poisonCount });
    expect(app.state).toBe('RUNNING');
    // Poison records count as processed: every offset gets committed.
    await expect
      .poll(async () => [...(await committedOffsets(app.applicationId, input)).values()].reduce((a, b) => a + b, 0), { timeout: 30_000, interval: 200 })
      .toBe(records.length);
  });
});
