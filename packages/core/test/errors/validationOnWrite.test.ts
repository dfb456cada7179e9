import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DeadLetterHeaders,
  DeserializationError,
  ErrorHandlers,
  ProductionError,
  SchemaValidationError,
  SerializationError,
  Serdes,
  StreamsBuilder,
  TaskFailedError,
  silentLogger,
  type ErrorContext,
} from '@tributary/core';
import { TopologyTestDriver, type TopologyTestDriverConfig } from '@tributary/core/testing';

/** What the `settlements` topic holds: whole cents, as the ledger that reads it demands. */
const Settlement = z.object({ id: z.string(), cents: z.number().int() });
type Settlement = z.infer<typeof Settlement>;

/**
 * Splits each order's amount in two settlements' worth: a bug for odd amounts (`3 / 2` is
 * `1.5`), which the sink's schema must catch before the ledger sees it.
 */
function halvesTopology() {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { id: string; cents: number }>('orders')
    .mapValues((order): Settlement => ({ id: order.id, cents: order.cents / 2 }))
    .to('settlements', { name: 'settlements-sink', valueSerde: Serdes.json(Settlement) });
  return builder.build();
}

function ordersDriver(config: TopologyTestDriverConfig = {}) {
  const driver = new TopologyTestDriver(halvesTopology(), { logger: silentLogger, ...config });
  const orders = driver.createInputTopic<string, { id: string; cents: number }>('orders');
  const settlements = driver.createOutputTopic<string, Settlement>('settlements');
  return { driver, orders, settlements };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('a value its sink serde refuses (validation on write)', () => {
  it('fails the task by default, naming the sink topic, the input record and the issue path; nothing invalid is written', () => {
    const { driver, orders, settlements } = ordersDriver();
    using _ = driver;
    orders.pipeInput('o1', { id: 'o1', cents: 400 });
    let failure: unknown;
    try {
      orders.pipeInput('o2', { id: 'o2', cents: 3 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TaskFailedError);
    const message = (failure as Error).message;
    expect(message).toMatch(/record at topic 'orders' partition 0 offset 1/);
    expect(message).toMatch(/the value for topic 'settlements' was refused by its serde json\(schema\): schema validation failed: cents: Invalid input: expected int, received number/);
    // The cause chain carries the parts a program can use.
    const production = (failure as Error).cause as ProductionError;
    expect(production).toBeInstanceOf(ProductionError);
    expect(production.topic).toBe('settlements');
    expect(production.origin).toEqual({ topic: 'orders', partition: 0, offset: 1 });
    const refused = production.cause as SerializationError;
    expect(refused).toBeInstanceOf(SerializationError);
    expect(refused.part).toBe('value');
    expect((refused.cause as SchemaValidationError).issues.map((issue) => issue.path)).toEqual([['cents']]);
    // Only the valid settlement was written; the failed record's offset is not committed.
    expect(driver.topics.written('settlements').map((r) => r.value?.toString())).toEqual(['{"id":"o1","cents":200}']);
    expect(settlements.readValuesToList()).toEqual([{ id: 'o1', cents: 200 }]);
    expect(driver.committedOffsets().get('orders')?.get(0)).toBe(1);
    // The driver stays failed, as a stopped task would.
    expect(() => orders.pipeInput('o3', { id: 'o3', cents: 2 })).toThrow(TaskFailedError);
  });

  it('goes to the production error handler, not the processing one, with the sink as processor', () => {
    const seen: string[] = [];
    const record = (kind: string) => (error: Error, context: ErrorContext) => {
      seen.push(`${kind}: ${context.kind} ${context.topic}/${context.partition}@${context.offset} ${context.processor} ${error.name}`);
      return 'continue' as const;
    };
    const { driver, orders } = ordersDriver({ processingErrorHandler: record('processing handler'), productionErrorHandler: record('production handler') });
    using _ = driver;
    orders.pipeInput('o1', { id: 'o1', cents: 3 });
    expect(seen).toEqual(['production handler: production orders/0@0 settlements-sink ProductionError']);
  });

  it('sends the input record to the dead-letter topic with the error headers, and later records flow', () => {
    const { driver, orders, settlements } = ordersDriver({ productionErrorHandler: ErrorHandlers.deadLetter('orders-dlq') });
    using _ = driver;
    orders.pipeInput('o1', { id: 'o1', cents: 400 });
    orders.pipeInput('o2', { id: 'o2', cents: 3 }, 2_000, { source: 'web' });
    orders.pipeInput('o3', { id: 'o3', cents: 8 });

    expect(settlements.readValuesToList()).toEqual([
      { id: 'o1', cents: 200 },
      { id: 'o3', cents: 4 },
    ]);
    const [dead, ...more] = driver.topics.written('orders-dlq');
    expect(more).toEqual([]);
    // The input as it was read: its bytes, timestamp and headers, not the refused output.
    expect(dead!.key?.toString()).toBe('o2');
    expect(dead!.value?.toString()).toBe('{"id":"o2","cents":3}');
    expect(dead!.timestamp).toBe(2_000);
    expect(dead!.headers.source).toBe('web');
    expect(dead!.headers[DeadLetterHeaders.exception]).toBe('ProductionError');
    expect(dead!.headers[DeadLetterHeaders.message]).toMatch(/the value for topic 'settlements' was refused .*cents: Invalid input: expected int/);
    expect(dead!.headers[DeadLetterHeaders.topic]).toBe('orders');
    expect(dead!.headers[DeadLetterHeaders.partition]).toBe('0');
    expect(dead!.headers[DeadLetterHeaders.offset]).toBe('1');
    expect(dead!.headers[DeadLetterHeaders.processor]).toBe('settlements-sink');
    expect(driver.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
    expect(driver.committedOffsets().get('orders')?.get(0)).toBe(3);
  });

  it('skips the output and counts it with logAndContinue', () => {
    const { driver, orders, settlements } = ordersDriver({ productionErrorHandler: ErrorHandlers.logAndContinue() });
    using _ = driver;
    orders.pipeInput('o1', { id: 'o1', cents: 3 });
    orders.pipeInput('o2', { id: 'o2', cents: 10 });
    expect(settlements.readValuesToList()).toEqual([{ id: 'o2', cents: 5 }]);
    expect(driver.metrics().droppedByReason).toEqual({ 'production-error': 1 });
    expect(driver.committedOffsets().get('orders')?.get(0)).toBe(2);
  });

  it('names the key, and suggests declaring a serde, when the default key serde refuses a key', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .selectKey((_key, value) => value)
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, number>('in').pipeInput('k', 7)).toThrow(
      /the key for topic 'out' was refused by its serde string: Serdes.string\(\) cannot write a number \(declare a serde on the sink\)/,
    );
  });

  it('leaves errors of topic functions and partitioners, which are user code, to the processing error handler', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, { region?: string }>('events').to((_key, event) => `events-${event.region!.toLowerCase()}`);
    builder.stream<string, number>('amounts').to('amounts-out', {
      partitioner: () => {
        throw new RangeError('no partition for you');
      },
    });
    const kinds: string[] = [];
    using driver = new TopologyTestDriver(builder.build(), {
      logger: silentLogger,
      processingErrorHandler: (_error, context) => (kinds.push(context.kind), 'continue'),
      productionErrorHandler: ErrorHandlers.logAndFail(),
    });
    driver.createInputTopic<string, { region?: string }>('events').pipeInput('k', {});
    driver.createInputTopic<string, number>('amounts').pipeInput('k', 1);
    expect(kinds).toEqual(['processing', 'processing']);
    expect(driver.metrics().droppedByReason).toEqual({ 'processing-error': 2 });
  });

  it('still validates on read: a topic value outside the schema is a deserialization error naming the path', () => {
    const builder = new StreamsBuilder();
    builder.stream('settlements', { valueSerde: Serdes.json(Settlement) }).to('ledger', { valueSerde: Serdes.json(Settlement) });
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    let failure: unknown;
    try {
      driver.createInputTopic('settlements').pipeRaw(utf8('s1'), utf8('{"id":"s1","cents":1.5}'));
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).cause).toBeInstanceOf(DeserializationError);
    expect((failure as Error).message).toMatch(/Cannot deserialize the record at topic 'settlements' partition 0 offset 0: schema validation failed: cents: Invalid input: expected int/);
    expect(driver.topics.written('ledger')).toEqual([]);
  });
});

describe('a store value its changelog serde refuses', () => {
  /** Per customer, the count of purchases, kept in a store whose schema allows at most 2. */
  function countsTopology() {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('purchases')
      .groupByKey()
      .aggregate(
        () => ({ count: 0 }),
        (_customer, _purchase, total) => ({ count: total.count + 1 }),
        { name: 'purchase-counts', valueSerde: Serdes.json(z.object({ count: z.number().max(2) })) },
      )
      .toStream()
      .to('counts');
    return builder.build();
  }

  it('fails the task whatever the handlers say: a store write missing from its changelog could not be restored', () => {
    using driver = new TopologyTestDriver(countsTopology(), {
      logger: silentLogger,
      processingErrorHandler: ErrorHandlers.logAndContinue(),
      productionErrorHandler: ErrorHandlers.deadLetter('purchases-dlq'),
    });
    const purchases = driver.createInputTopic<string, string>('purchases');
    purchases.pipeInput('ann', 'p1');
    purchases.pipeInput('ann', 'p2');
    expect(() => purchases.pipeInput('ann', 'p3')).toThrow(
      /record at topic 'purchases' partition 0 offset 2: the value for topic 'test-app-purchase-counts-changelog' was refused by its serde json\(schema\): schema validation failed: count: Too big/,
    );
    // Nothing downstream of the refused write was emitted, nothing was dead-lettered or skipped.
    expect(driver.createOutputTopic<string, { count: number }>('counts').readValuesToList()).toEqual([{ count: 1 }, { count: 2 }]);
    expect(driver.topics.written('test-app-purchase-counts-changelog')).toHaveLength(2);
    expect(driver.topics.written('purchases-dlq')).toEqual([]);
    expect(driver.metrics().droppedByReason).toEqual({});
    expect(driver.committedOffsets().get('purchases')?.get(0)).toBe(2);
  });
});

describe('Serdes.json(schema) when it writes', () => {
  it('refuses a value outside the schema with every issue and its path, as a SchemaValidationError', () => {
    const serde = Serdes.json(z.object({ id: z.string(), lines: z.array(z.object({ cents: z.number().int() })) }));
    let refused: unknown;
    try {
      serde.serialize('t', { id: 7 as unknown as string, lines: [{ cents: 1 }, { cents: 0.5 }] });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SchemaValidationError);
    expect((refused as Error).message).toBe('schema validation failed: id: Invalid input: expected string, received number; lines.1.cents: Invalid input: expected int, received number');
    expect((refused as SchemaValidationError).issues.map((issue) => issue.path)).toEqual([['id'], ['lines', 1, 'cents']]);
  });

  it('writes the JSON of the value given, which a reader of the same serde accepts', () => {
    const serde = Serdes.json(Settlement);
    const bytes = serde.serialize('t', { id: 's1', cents: 150 });
    expect(bytes?.toString()).toBe('{"id":"s1","cents":150}');
    expect(serde.deserialize('t', bytes)).toEqual({ id: 's1', cents: 150 });
    expect(serde.serialize('t', null as never)).toBeNull();
  });

  it('checks the bytes as a reader will: a value the schema accepts only before JSON is refused', () => {
    // JSON writes a Date as a string, which a reader's z.date() rejects.
    const dated = Serdes.json(z.object({ at: z.date() }));
    expect(() => dated.serialize('t', { at: new Date(0) })).toThrow(/schema validation failed: at: Invalid input: expected date, received string/);
    // The schema's output type is not what a reader accepts when the schema transforms.
    const lengths = Serdes.json(z.string().transform((text) => text.length));
    expect(lengths.deserialize('t', utf8('"abc"'))).toBe(3);
    expect(() => lengths.serialize('t', 3)).toThrow(/expected string, received number/);
  });

  it('rejects an asynchronous schema when it writes, too', () => {
    const serde = Serdes.json(z.string().refine(async () => true));
    expect(() => serde.serialize('t', 'x')).toThrow(/needs a synchronous validator/);
  });
});
