// Poison records: values that are not JSON go to a dead-letter topic with the error in its
// headers (KIP-1034 names), while the valid records keep flowing. Dead letters and outputs
// too large for their topic never stop the application nor fail the records sent with them.
import { DeadLetterHeaders, ErrorHandlers, StreamsBuilder, type StreamsEvent } from '@tributary/core';
import type { KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitForMessages, withAdmin, type ConsumedMessage } from '../harness';
import { committedOffsets, readJson, startApp, waitForState } from './support';

/** A value that is not JSON, `bytes` long. */
const notJson = (bytes: number) => Buffer.alloc(bytes, 'x');

/** Resolves once every input offset of `topic` is committed: the app finished each record, dead letters included. */
async function waitForAllCommitted(app: KafkaStreams, topic: string, records: number): Promise<void> {
  await expect
    .poll(async () => [...(await committedOffsets(app.applicationId, topic)).values()].reduce((a, b) => a + b, 0), { timeout: 60_000, interval: 200 })
    .toBe(records);
}

/** How many records a topic holds (log-end offsets summed): checks that nothing was written twice. */
async function recordCount(topic: string): Promise<number> {
  return withAdmin(async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0));
}

const header = (m: ConsumedMessage, name: string) => m.headers[name]?.toString();

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

  it.each(['at_least_once', 'exactly_once'] as const)('3,000 in a row all reach the dead-letter topic once, with their headers, and the app keeps running (%s)', async (processingGuarantee) => {
    const input = uniqueName('events');
    const output = uniqueName('events-out');
    const deadLetters = uniqueName('events-dlq');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await createTopic(deadLetters, 1);
    const builder = new StreamsBuilder();
    builder.stream<string, { n: number }>(input).to(output);
    await using app = await startApp(builder.build(), { processingGuarantee, deserializationErrorHandler: ErrorHandlers.deadLetter(deadLetters) });

    const bad = 3_000;
    const records = [
      { key: 'first', value: JSON.stringify({ n: 0 }), headers: { seq: '0' } },
      ...Array.from({ length: bad }, (_, i) => ({ key: `k${i % 7}`, value: Buffer.from(`{"n": ${i + 1},`), headers: { seq: String(i + 1) } })),
      { key: 'last', value: JSON.stringify({ n: bad + 1 }), headers: { seq: String(bad + 1) } },
    ];
    await produce(input, records);

    const dead = await waitForMessages(deadLetters, { count: bad, timeoutMs: 60_000 });
    expect(dead.map((m) => Number(header(m, 'seq'))).sort((a, b) => a - b)).toEqual(Array.from({ length: bad }, (_, i) => i + 1));
    for (const m of dead) {
      expect(m.value).toEqual(records[Number(header(m, 'seq'))]!.value);
      expect(header(m, DeadLetterHeaders.exception)).toBe('DeserializationError');
      expect(header(m, DeadLetterHeaders.topic)).toBe(input);
      expect(header(m, DeadLetterHeaders.offset)).toBe(header(m, 'seq'));
      expect(header(m, DeadLetterHeaders.stacktrace)).toContain('DeserializationError');
    }
    expect((await readJson<{ n: number }>(output, 2)).map((m) => m.json.n)).toEqual([0, bad + 1]);
    await waitForAllCommitted(app, input, records.length);
    // Exactly-once: the log also holds transaction markers.
    if (processingGuarantee === 'at_least_once') expect(await recordCount(deadLetters)).toBe(bad);
    else expect((await waitForMessages(deadLetters, { count: bad })).length).toBe(bad);
    expect(app.state).toBe('RUNNING');
    expect(app.metrics().droppedByReason).toEqual({ 'dead-letter': bad });
  });

  it('900 KB ones among small ones reach the dead-letter topic whole, each once, and the app keeps running', async () => {
    const input = uniqueName('uploads');
    const output = uniqueName('uploads-out');
    const deadLetters = uniqueName('uploads-dlq');
    await createTopic(input, 1);
    await createTopic(output, 1);
    await createTopic(deadLetters, 1);
    // Written before the app starts, so that one fetch brings 200 small bad records and a big one.
    const records: { key: string; value: Buffer; headers: { seq: string } }[] = [];
    for (let i = 0; i < 3; i++) {
      const first = records.length;
      const small = Array.from({ length: 200 }, (_, j) => ({ key: `small${i}`, value: Buffer.from('{"n": 1,'), headers: { seq: String(first + j) } }));
      records.push(...small);
      await produce(input, small);
      const big = { key: `big${i}`, value: notJson(900 * 1024), headers: { seq: String(records.length) } };
      records.push(big);
      // One request each: the broker takes no more than 1 MB in one.
      await produce(input, [big]);
    }
    await produce(input, [{ key: 'good', value: JSON.stringify({ n: 3 }) }]);
    const builder = new StreamsBuilder();
    builder.stream<string, { n: number }>(input).to(output);
    await using app = await startApp(builder.build(), { deserializationErrorHandler: ErrorHandlers.deadLetter(deadLetters) });

    const dead = await waitForMessages(deadLetters, { count: records.length, timeoutMs: 60_000 });
    expect(dead.map((m) => Number(header(m, 'seq')))).toEqual(records.map((_, i) => i));
    for (const m of dead) {
      const record = records[Number(header(m, 'seq'))]!;
      expect(m.key?.toString()).toBe(record.key);
      expect(m.value?.equals(record.value)).toBe(true);
      expect(header(m, DeadLetterHeaders.exception)).toBe('DeserializationError');
      expect(header(m, DeadLetterHeaders.truncated)).toBeUndefined();
    }
    expect((await readJson<{ n: number }>(output, 1)).map((m) => m.json.n)).toEqual([3]);
    await waitForAllCommitted(app, input, records.length + 1);
    expect(await recordCount(deadLetters)).toBe(records.length);
    expect(app.state).toBe('RUNNING');
  });

  it('that do not fit the dead-letter topic are written with a truncated value and a header saying so', async () => {
    const input = uniqueName('uploads');
    const output = uniqueName('uploads-out');
    const deadLetters = uniqueName('uploads-small-dlq');
    await createTopic(input, 1);
    await createTopic(output, 1);
    // The application learns this limit when it writes its first dead letter.
    await createTopic(deadLetters, 1, { 'max.message.bytes': String(256 * 1024) });
    const builder = new StreamsBuilder();
    builder.stream<string, { n: number }>(input).to(output);
    await using app = await startApp(builder.build(), { deserializationErrorHandler: ErrorHandlers.deadLetter(deadLetters) });

    const big = notJson(900 * 1024);
    await produce(input, [{ key: 'big', value: big, headers: { seq: '0' } }]);
    await produce(input, [{ key: 'small', value: Buffer.from('{"n": 1,'), headers: { seq: '1' } }]);

    const dead = await waitForMessages(deadLetters, { count: 2, timeoutMs: 60_000 });
    // Order between the two is not promised (the big one may be sized again before it is written).
    const truncated = dead.find((m) => m.key?.toString() === 'big');
    const whole = dead.find((m) => m.key?.toString() === 'small');
    expect(truncated).toBeDefined();
    expect(whole).toBeDefined();
    expect(header(truncated!, DeadLetterHeaders.truncated)).toBe('value');
    expect(header(truncated!, DeadLetterHeaders.valueSize)).toBe(String(big.length));
    expect(truncated!.value!.length).toBeLessThan(256 * 1024);
    expect(truncated!.value!.length).toBeGreaterThan(200 * 1024);
    expect(big.subarray(0, truncated!.value!.length).equals(truncated!.value!)).toBe(true);
    expect(header(truncated!, DeadLetterHeaders.exception)).toBe('DeserializationError');
    expect(header(truncated!, DeadLetterHeaders.offset)).toBe('0');
    expect(header(truncated!, 'seq')).toBe('0');
    expect(whole!.value?.toString()).toBe('{"n": 1,');
    expect(header(whole!, DeadLetterHeaders.truncated)).toBeUndefined();
    await waitForAllCommitted(app, input, 2);
    expect(app.state).toBe('RUNNING');
  });
});

describe('an output record too large for its topic', () => {
  /** 100 payments on one partition; the mapper makes number 50 larger than a request may be. */
  async function setUp() {
    const input = uniqueName('payments');
    const output = uniqueName('enriched');
    await createTopic(input, 1);
    await createTopic(output, 1);
    const builder = new StreamsBuilder();
    builder
      .stream<string, { n: number }>(input)
      .mapValues((p) => (p.n === 50 ? { ...p, blob: 'x'.repeat(1_200_000) } : p))
      .to(output);
    const records = Array.from({ length: 100 }, (_, n) => ({ key: `k${n}`, value: JSON.stringify({ n }) }));
    return { input, output, topology: builder.build(), records };
  }

  it('fails the task by default, naming topic, partition, input offset and size; the records sent with it are written', async () => {
    const { input, output, topology, records } = await setUp();
    await using app = await startApp(topology);
    const errors: Error[] = [];
    app.events.subscribe((event: StreamsEvent) => {
      if (event.type === 'error') errors.push(event.error);
    });
    await produce(input, records);

    await waitForState(app, 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(new RegExp(`topic '${input}' partition 0 offset 50`));
    expect(errors[0]!.message).toMatch(new RegExp(`topic '${output}' partition 0`));
    expect(errors[0]!.message).toMatch(/1\d{6} bytes, more than the 1048576 bytes/);
    // Every record before the oversized one reached the output: it failed alone.
    const out = await readJson<{ n: number }>(output, 50);
    expect(new Set(out.map((m) => m.json.n))).toEqual(new Set(Array.from({ length: 50 }, (_, n) => n)));
    // Its offset was never committed: a restarted application tries it again.
    expect((await committedOffsets(app.applicationId, input)).get(0) ?? 0).toBeLessThanOrEqual(50);
  });

  it('is dead-lettered (the input record, with the error) when the production error handler says so; the others are written', async () => {
    const { input, output, topology, records } = await setUp();
    const deadLetters = uniqueName('payments-dlq');
    await createTopic(deadLetters, 1);
    await using app = await startApp(topology, { productionErrorHandler: ErrorHandlers.deadLetter(deadLetters) });
    await produce(input, records);

    const out = await readJson<{ n: number }>(output, 99);
    expect(out.map((m) => m.json.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, n) => n).filter((n) => n !== 50));
    const [dead, ...more] = await waitForMessages(deadLetters, { count: 1 });
    expect(more).toEqual([]);
    expect(dead!.key?.toString()).toBe('k50');
    expect(dead!.value?.toString()).toBe(JSON.stringify({ n: 50 }));
    expect(header(dead!, DeadLetterHeaders.exception)).toBe('ProductionError');
    expect(header(dead!, DeadLetterHeaders.message)).toMatch(new RegExp(`topic '${output}' partition 0 is 1\\d{6} bytes`));
    expect(header(dead!, DeadLetterHeaders.offset)).toBe('50');
    await waitForAllCommitted(app, input, records.length);
    expect(await recordCount(output)).toBe(99);
    expect(await recordCount(deadLetters)).toBe(1);
    expect(app.state).toBe('RUNNING');
    expect(app.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
  });
});
