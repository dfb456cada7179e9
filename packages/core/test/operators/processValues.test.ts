import { describe, expect, it } from 'vitest';
import {
  ErrorHandlers,
  Serdes,
  silentLogger,
  Stores,
  StreamsBuilder,
  type FixedKeyProcessor,
  type FixedKeyProcessorContext,
  type FixedKeyRecord,
  type KeyValueStore,
} from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Order {
  amount: number;
}

/** Numbers each customer's orders, in a store: the key stays the customer. */
class OrderNumberer implements FixedKeyProcessor<string, Order, string> {
  private context!: FixedKeyProcessorContext<string, string>;
  private seen!: KeyValueStore<string, number>;

  init(context: FixedKeyProcessorContext<string, string>): void {
    this.context = context;
    this.seen = context.getStateStore('orders-seen');
  }

  process(record: FixedKeyRecord<string, Order>): void {
    const n = (this.seen.get(record.key) ?? 0) + 1;
    this.seen.put(record.key, n, record.timestamp);
    this.context.forward(record.withValue(`#${n}: ${record.value.amount}`));
  }
}

describe('KStream.processValues', () => {
  it('forwards new values under the same key, with the record timestamp and headers, and keeps the stores it names', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Order>('orders')
      .processValues(() => new OrderNumberer(), { stores: [Stores.keyValueStore('orders-seen')] })
      .to('numbered');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Order>('orders');
    input.pipeInput('ann', { amount: 10 }, 5, { trace: 't1' });
    input.pipeInput('bob', { amount: 3 }, 6);
    input.pipeInput('ann', { amount: 7 }, 4);
    expect(driver.createOutputTopic<string, string>('numbered').readRecordsToList()).toMatchObject([
      { key: 'ann', value: '#1: 10', timestamp: 5, headers: { trace: 't1' } },
      { key: 'bob', value: '#1: 3', timestamp: 6 },
      { key: 'ann', value: '#2: 7', timestamp: 4 },
    ]);
    expect(driver.getKeyValueStore('orders-seen').get('ann')).toBe(2);
    expect(driver.topics.written('test-app-orders-seen-changelog')).toHaveLength(3);
  });

  it('changes timestamps and headers with withTimestamp and withHeaders, and may forward any number of records', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .processValues<number>(() => {
        let context: FixedKeyProcessorContext<string, number>;
        return {
          init: (c) => (context = c),
          process: (record) => {
            for (let i = 0; i < record.value; i++) context.forward(record.withValue(i).withTimestamp(record.timestamp + i).withHeaders({ copy: String(i) }));
          },
        };
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('in').pipeInput('k', 2, 100);
    driver.createInputTopic<string, number>('in').pipeInput('k', 0, 200);
    expect(driver.createOutputTopic<string, number>('out').readRecordsToList()).toMatchObject([
      { key: 'k', value: 0, timestamp: 100, headers: { copy: '0' } },
      { key: 'k', value: 1, timestamp: 101, headers: { copy: '1' } },
    ]);
  });

  it('does not mark the stream for repartitioning: a grouping after it reads the stream as it is', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('words')
      .processValues<number>(() => {
        let context: FixedKeyProcessorContext<string, number>;
        return { init: (c) => (context = c), process: (record) => context.forward(record.withValue(record.value.length)) };
      })
      .groupByKey()
      .reduce((a, b) => a + b, { name: 'lengths' });
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(1);
    expect(topology.internalTopics().filter((t) => t.kind === 'repartition')).toEqual([]);
    expect(topology.describe().toString()).toContain('Processor: KSTREAM-PROCESSVALUES-0000000001 (stores: [])');
  });

  it('keeps a key change made upstream: a grouping after process() then processValues() still repartitions', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('words')
      .selectKey((_k, word) => word[0]!)
      .processValues<string>(() => {
        let context: FixedKeyProcessorContext<string, string>;
        return { init: (c) => (context = c), process: (record) => context.forward(record.withValue(record.value.toUpperCase())) };
      })
      .groupByKey()
      .count({ name: 'by-initial' });
    expect(builder.build().internalTopics().map((t) => t.name)).toContain('by-initial-repartition');
  });

  it('keeps the key serde of the stream, not its value serde', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<number, string>('in', { keySerde: Serdes.number(), valueSerde: Serdes.string() })
      .processValues<{ length: number }>(() => {
        let context: FixedKeyProcessorContext<number, { length: number }>;
        return { init: (c) => (context = c), process: (record) => context.forward(record.withValue({ length: record.value.length })) };
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<number, string>('in').pipeInput(7, 'abc', 1);
    const [written] = driver.topics.written('out');
    expect(written!.key!.readDoubleBE(0)).toBe(7);
    expect(JSON.parse(written!.value!.toString())).toEqual({ length: 3 });
  });

  it('forwards remembered records from a stream-time punctuator', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .processValues<string>(() => {
        let context: FixedKeyProcessorContext<string, string>;
        const pending: FixedKeyRecord<string, string>[] = [];
        return {
          init: (c) => {
            context = c;
            c.schedule(10, 'stream-time', (now) => {
              for (const record of pending.splice(0)) context.forward(record.withValue(`late ${record.value}`).withTimestamp(now));
            });
          },
          process: (record) => void pending.push(record),
        };
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, string>('in');
    input.pipeInput('a', 'x', 1); // the first punctuation is due at 0: it fires right after x is processed
    input.pipeInput('b', 'y', 5);
    input.pipeInput('a', 'z', 10);
    expect(driver.createOutputTopic<string, string>('out').readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['a', 'late x', 1],
      ['b', 'late y', 10],
      ['a', 'late z', 10],
    ]);
  });

  it('refuses a record that was not made from a received one: the key cannot change', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .processValues<string>(() => {
        let context: FixedKeyProcessorContext<string, string>;
        return {
          init: (c) => (context = c),
          // What a type error prevents, done anyway.
          process: (record) => context.forward({ ...record, key: 'other' } as unknown as FixedKeyRecord<string, string>),
        };
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    driver.createInputTopic<string, string>('in').pipeInput('k', 'v', 1);
    expect(driver.topics.written('out')).toHaveLength(0);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });

  it('runs one processor per task, with init and close', () => {
    const events: string[] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, string>('in').processValues<never>(() => ({
      init: (c) => events.push(`init ${c.taskId}`),
      process: () => {},
      close: () => events.push('close'),
    }));
    const driver = new TopologyTestDriver(builder.build(), { partitions: { in: 2 } });
    driver.close();
    expect(events).toEqual(['init 0_0', 'init 0_1', 'close', 'close']);
  });

  it('validates its arguments and names its node', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream<string, string>('in');
    expect(() => stream.processValues(null as never)).toThrow(/supplier must be a function/);
    stream.processValues(() => ({ process: () => {} }), { name: 'enrich' });
    expect(builder.build().describe().toString()).toContain('Processor: enrich (stores: [])');
  });
});
