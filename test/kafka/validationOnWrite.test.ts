// Validation on write: a sink whose serde has a schema checks each value before it is sent. A
// value outside the schema never reaches the topic; the production error handler decides what
// happens to its input record (Kafka Streams' handleSerializationException).
import { DeadLetterHeaders, ErrorHandlers, Serdes, StreamsBuilder, type StreamsEvent } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTopic, produce, uniqueName, waitForMessages, withAdmin } from '../harness';
import { committedOffsets, readJson, startApp, waitForState } from './support';

/** What the settlements topic holds: whole cents, as the ledger that reads it demands. */
const Settlement = z.object({ id: z.number(), cents: z.number().int() });
type Settlement = z.infer<typeof Settlement>;

/** Orders become settlements of half their amount: an odd amount gives half a cent, outside the schema. */
async function setUp(partitions: number) {
  const input = uniqueName('orders');
  const output = uniqueName('settlements');
  await createTopic(input, partitions);
  await createTopic(output, partitions);
  const builder = new StreamsBuilder();
  builder
    .stream<string, { id: number; cents: number }>(input)
    .mapValues((order): Settlement => ({ id: order.id, cents: order.cents / 2 }))
    .to(output, { name: 'settlements-sink', valueSerde: Serdes.json(Settlement) });
  return { input, output, topology: builder.build() };
}

/** How many records a topic holds (log-end offsets summed). */
async function recordCount(topic: string): Promise<number> {
  return withAdmin(async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0));
}

describe('a value outside its sink schema', () => {
  it('goes to the dead-letter topic as its input record, with the error headers; the valid ones are all written and the app keeps running', async () => {
    const { input, output, topology } = await setUp(2);
    const deadLetters = uniqueName('orders-dlq');
    await createTopic(deadLetters, 1);
    await using app = await startApp(topology, { productionErrorHandler: ErrorHandlers.deadLetter(deadLetters) });

    // Order 77 (on partition 1, at offset 38) has an odd amount; every other one an even amount.
    const bad = 77;
    const records = Array.from({ length: 200 }, (_, id) => ({
      key: `o${id}`,
      value: JSON.stringify({ id, cents: id === bad ? 155 : 2 * id }),
      partition: id % 2,
      headers: { seq: String(id) },
    }));
    await produce(input, records);

    const out = await readJson<Settlement>(output, records.length - 1);
    expect(out.map((m) => m.json.id).sort((a, b) => a - b)).toEqual(records.map((_, id) => id).filter((id) => id !== bad));
    for (const m of out) expect(m.json.cents).toBe(m.json.id);

    const [dead, ...more] = await waitForMessages(deadLetters, { count: 1 });
    expect(more).toEqual([]);
    expect(dead!.key?.toString()).toBe(`o${bad}`);
    expect(dead!.value?.toString()).toBe(records[bad]!.value); // the input as read, not the refused output
    const header = (name: string) => dead!.headers[name]?.toString();
    expect(header('seq')).toBe(String(bad));
    expect(header(DeadLetterHeaders.exception)).toBe('ProductionError');
    expect(header(DeadLetterHeaders.message)).toContain(`the value for topic '${output}' was refused by its serde json(schema): schema validation failed: cents: Invalid input: expected int`);
    expect(header(DeadLetterHeaders.topic)).toBe(input);
    expect(header(DeadLetterHeaders.partition)).toBe('1');
    expect(header(DeadLetterHeaders.offset)).toBe('38');
    expect(header(DeadLetterHeaders.processor)).toBe('settlements-sink');

    // The dead-lettered record completes like the others: every input offset gets committed.
    await expect
      .poll(async () => [...(await committedOffsets(app.applicationId, input)).values()].reduce((a, b) => a + b, 0), { timeout: 60_000, interval: 200 })
      .toBe(records.length);
    expect(await recordCount(output)).toBe(records.length - 1);
    expect(app.state).toBe('RUNNING');
    expect(app.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
  });

  it('fails the application by default, naming the topic, the issue path and the input record, whose offset is not committed', async () => {
    const { input, output, topology } = await setUp(1);
    await using app = await startApp(topology);
    const errors: Error[] = [];
    app.events.subscribe((event: StreamsEvent) => {
      if (event.type === 'error') errors.push(event.error);
    });
    const bad = 50;
    await produce(
      input,
      Array.from({ length: 100 }, (_, id) => ({ key: `o${id}`, value: JSON.stringify({ id, cents: id === bad ? 101 : 2 * id }) })),
    );

    await waitForState(app, 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(new RegExp(`record at topic '${input}' partition 0 offset ${bad}`));
    expect(errors[0]!.message).toContain(`the value for topic '${output}' was refused by its serde json(schema): schema validation failed: cents: Invalid input: expected int`);
    // Every order before the bad one was settled; nothing outside the schema reached the topic.
    const out = await readJson<Settlement>(output, bad);
    expect(out.map((m) => m.json.id).sort((a, b) => a - b)).toEqual(Array.from({ length: bad }, (_, id) => id));
    expect(await recordCount(output)).toBe(bad);
    // Its offset was never committed: a restarted application tries it again.
    expect((await committedOffsets(app.applicationId, input)).get(0) ?? 0).toBeLessThanOrEqual(bad);
  });
});
