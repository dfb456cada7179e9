import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_TEXT_MAX_BYTES,
  DeadLetterHeaders,
  ErrorHandlers,
  RecordTooLargeError,
  StreamsBuilder,
  TaskFailedError,
  silentLogger,
  type ErrorHandler,
  type Headers,
} from '@tributary/core';
import { CommitTracker, Task, type InputRecord, type OutgoingRecord, type RecordCollector } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';

const headerBytes = (headers: Headers) => Object.entries(headers).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + (value === undefined ? 0 : Buffer.byteLength(value)), 0);
const sizeOf = (r: OutgoingRecord) => (r.key?.length ?? 0) + (r.value?.length ?? 0) + headerBytes(r.headers);

/**
 * A collector that refuses a record above its topic's limit alone, as the Kafka one does:
 * at once, or (`later`) by rejecting the send, as when the topic's limit had to be looked up.
 */
function limitedCollector(limits: Record<string, number>, { later = false } = {}) {
  const written: OutgoingRecord[] = [];
  const collector: RecordCollector = {
    send(record) {
      const limit = limits[record.topic] ?? Number.POSITIVE_INFINITY;
      if (sizeOf(record) > limit) {
        const error = new RecordTooLargeError(record.topic, record.partition ?? 0, sizeOf(record), limit, `max.message.bytes of topic '${record.topic}'`);
        if (later) return Promise.reject(error);
        throw error;
      }
      written.push(record);
      return later ? Promise.resolve() : undefined;
    },
    partitionsFor: () => 1,
  };
  return { collector, written, on: (topic: string) => written.filter((r) => r.topic === topic) };
}

/** Payments whose number 1 the mapper makes 5,000 bytes large. */
function paymentsTask(collector: RecordCollector, productionErrorHandler?: ErrorHandler, deserializationErrorHandler?: ErrorHandler) {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { n: number }>('payments')
    .mapValues((p) => (p.n === 1 ? { ...p, blob: 'x'.repeat(5_000) } : p))
    .to('enriched');
  const tracker = new CommitTracker();
  const task = new Task(builder.build().subTopologies[0]!, 0, { applicationId: 'app', collector, tracker, logger: silentLogger, productionErrorHandler, deserializationErrorHandler });
  return { task, tracker };
}

const payment = (offset: number, value: unknown = { n: offset }): InputRecord => ({
  topic: 'payments',
  partition: 0,
  offset,
  key: Buffer.from(`k${offset}`),
  value: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)),
  timestamp: 1_000 + offset,
  headers: { origin: 'crm' },
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('an output record too large to write', () => {
  it('fails the task by default, naming the input record, the topic and the size; the outputs before it are written', () => {
    const { collector, on } = limitedCollector({ enriched: 4_000 });
    const { task, tracker } = paymentsTask(collector);
    task.process(payment(0));
    expect(() => task.process(payment(1))).toThrow(TaskFailedError);
    expect(task.failed?.message).toMatch(/^task 0_0 failed: Cannot write the output of the record at topic 'payments' partition 0 offset 1: the record for topic 'enriched' partition 0 is 50\d\d bytes, more than the 4000 bytes allowed/);
    expect(on('enriched').map((r) => r.key?.toString())).toEqual(['k0']);
    expect(tracker.committableOffset('payments', 0)).toBe(1);
  });

  it.each([false, true])('goes to the dead-letter topic as the input record when the production handler says so (refused later: %s)', async (later) => {
    const { collector, on } = limitedCollector({ enriched: 4_000 }, { later });
    const { task, tracker } = paymentsTask(collector, ErrorHandlers.deadLetter('payments-dlq'));
    for (let offset = 0; offset < 3; offset++) task.process(payment(offset));
    await settle();
    expect(task.failed).toBeUndefined();
    expect(on('enriched').map((r) => r.key?.toString())).toEqual(['k0', 'k2']);
    const [dead, ...more] = on('payments-dlq');
    expect(more).toEqual([]);
    expect(dead!.key?.toString()).toBe('k1');
    expect(dead!.value?.toString()).toBe(JSON.stringify({ n: 1 }));
    expect(dead!.headers.origin).toBe('crm');
    expect(dead!.headers[DeadLetterHeaders.exception]).toBe('ProductionError');
    expect(dead!.headers[DeadLetterHeaders.message]).toMatch(/topic 'enriched' partition 0 is 50\d\d bytes/);
    expect(dead!.headers[DeadLetterHeaders.offset]).toBe('1');
    expect(task.metrics.droppedByReason).toEqual(new Map([['dead-letter', 1]]));
    expect(tracker.committableOffset('payments', 0)).toBe(3);
  });

  it('is skipped when the production handler answers continue', () => {
    const { collector, on } = limitedCollector({ enriched: 4_000 });
    const { task, tracker } = paymentsTask(collector, ErrorHandlers.logAndContinue());
    for (let offset = 0; offset < 3; offset++) task.process(payment(offset));
    expect(on('enriched').map((r) => r.key?.toString())).toEqual(['k0', 'k2']);
    expect(task.metrics.droppedByReason).toEqual(new Map([['production-error', 1]]));
    expect(tracker.committableOffset('payments', 0)).toBe(3);
  });
});

describe('a dead letter too large for its topic', () => {
  it.each([false, true])('is written with its value cut short and headers saying so (refused later: %s)', async (later) => {
    const { collector, on } = limitedCollector({ dlq: 6_000 }, { later });
    const { task, tracker } = paymentsTask(collector, undefined, ErrorHandlers.deadLetter('dlq'));
    const bad = Buffer.alloc(20_000, 'x'); // not JSON
    task.process(payment(0, bad));
    await settle();
    const [dead, ...more] = on('dlq');
    expect(more).toEqual([]);
    expect(dead!.headers[DeadLetterHeaders.truncated]).toBe('value');
    expect(dead!.headers[DeadLetterHeaders.valueSize]).toBe('20000');
    expect(dead!.headers[DeadLetterHeaders.exception]).toBe('DeserializationError');
    expect(dead!.headers.origin).toBe('crm');
    expect(dead!.key?.toString()).toBe('k0');
    expect(bad.subarray(0, dead!.value!.length).equals(dead!.value!)).toBe(true);
    expect(sizeOf(dead!)).toBeLessThanOrEqual(6_000);
    expect(sizeOf(dead!)).toBeGreaterThan(5_700);
    expect(tracker.committableOffset('payments', 0)).toBe(1);
  });

  it('keeps only the error headers when cutting the value is not enough', async () => {
    const { collector, on } = limitedCollector({ dlq: 6_000 });
    const { task } = paymentsTask(collector, undefined, ErrorHandlers.deadLetter('dlq'));
    task.process({ ...payment(0, Buffer.from('nope')), headers: { trace: 'y'.repeat(10_000) } });
    const [dead] = on('dlq');
    expect(dead!.key).toBeNull();
    expect(dead!.value).toBeNull();
    expect(dead!.headers.trace).toBeUndefined();
    expect(dead!.headers[DeadLetterHeaders.truncated]).toBe('key,value,headers');
    expect(dead!.headers[DeadLetterHeaders.valueSize]).toBe('4');
    expect(dead!.headers[DeadLetterHeaders.offset]).toBe('0');
    expect(task.failed).toBeUndefined();
  });

  it('fails the task, saying why, when not even the error headers fit', () => {
    const { collector } = limitedCollector({ dlq: 100 });
    const { task } = paymentsTask(collector, undefined, ErrorHandlers.deadLetter('dlq'));
    expect(() => task.process(payment(0, Buffer.from('nope')))).toThrow(/the dead letter of the record at topic 'payments' partition 0 offset 0 does not fit even without its key, value and headers/);
  });
});

describe('dead-letter headers', () => {
  it(`cut the message and the stack trace to ${DEAD_LETTER_TEXT_MAX_BYTES} bytes, keeping their start`, () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .mapValues((v) => {
        throw new Error(`bad value ${'é'.repeat(5_000)}${v}`);
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.deadLetter('dlq'), logger: silentLogger });
    driver.createInputTopic<string, string>('in').pipeInput('k', 'v');
    const headers = driver.topics.written('dlq')[0]!.headers;
    for (const name of [DeadLetterHeaders.message, DeadLetterHeaders.stacktrace]) {
      const text = String(headers[name]);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(DEAD_LETTER_TEXT_MAX_BYTES);
      expect(Buffer.byteLength(text)).toBeGreaterThan(DEAD_LETTER_TEXT_MAX_BYTES - 8);
      expect(text).not.toContain('\uFFFD'); // no character cut in half
      expect(text).toMatch(/bytes, cut to 2048\)$/);
    }
    expect(String(headers[DeadLetterHeaders.message])).toMatch(/^Processor KSTREAM-MAPVALUES-0000000001 failed on the record at topic 'in' partition 0 offset 0: bad value éé/);
  });
});
