import { describe, expect, it } from 'vitest';
import { ErrorHandlers, Serdes, StreamsBuilder, Stores, TopologyError, silentLogger, type KStream, type KTable } from '@tributary/core';
import { Task, type OutgoingRecord } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';

type Join = (orders: KStream<string, string>, rates: KTable<string, string>) => KStream<string, string>;

const joined = (order: string, rate: string | null) => `${order}@${rate}`;

function build(join: Join, historyRetention = 100) {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, string>('orders', { valueSerde: Serdes.string() });
  const rates = builder.table<string, string>('rates', { valueSerde: Serdes.string(), store: Stores.versionedKeyValueStore('rates', { historyRetention }) });
  join(orders, rates).to('out', { valueSerde: Serdes.string() });
  return builder.build();
}

function setup(join: Join, options: { historyRetention?: number; processingErrorHandler?: ReturnType<typeof ErrorHandlers.logAndContinue> } = {}) {
  const topology = build(join, options.historyRetention);
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, logger: silentLogger, processingErrorHandler: options.processingErrorHandler });
  const order = driver.createInputTopic<string, string>('orders', { valueSerde: Serdes.string() });
  const rate = driver.createInputTopic<string, string>('rates', { valueSerde: Serdes.string() });
  const output = driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() });
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, order, rate, read };
}

describe('KStream.join(versioned KTable, { gracePeriod })', () => {
  const join: Join = (orders, rates) => orders.join(rates, joined, { gracePeriod: 5 });

  it('holds each record until stream time passes it by the grace period, then joins the table as of its timestamp', () => {
    const { order, rate, read } = setup(join);
    rate.pipeInput('a', 'r10', 10);
    order.pipeInput('a', 'o12', 12);
    expect(read()).toEqual([]);
    // A table update that arrives late, but within the grace period, is seen by the join.
    rate.pipeInput('a', 'r11', 11);
    order.pipeInput('a', 'o16', 16);
    expect(read()).toEqual([]);
    order.pipeInput('a', 'o17', 17);
    expect(read()).toEqual([['a', 'o12@r11', 12]]);
    order.pipeInput('b', 'o30', 30);
    expect(read()).toEqual([
      ['a', 'o16@r11', 16],
      ['a', 'o17@r11', 17],
    ]);
  });

  it('emits buffered records in timestamp order; equal timestamps by key, then in arrival order', () => {
    const { order, rate, read } = setup(join);
    for (const key of ['a', 'b', 'c']) rate.pipeInput(key, `r-${key}`, 0);
    order.pipeInput('c', 'c1', 3);
    order.pipeInput('a', 'a1', 3);
    order.pipeInput('b', 'b1', 1);
    order.pipeInput('a', 'a2', 3);
    order.pipeInput('a', 'a3', 2);
    order.pipeInput('c', 'c2', 20);
    expect(read()).toEqual([
      ['b', 'b1@r-b', 1],
      ['a', 'a3@r-a', 2],
      ['a', 'a1@r-a', 3],
      ['a', 'a2@r-a', 3],
      ['c', 'c1@r-c', 3],
    ]);
  });

  it('joins a record more than the grace period behind at once, as of its own timestamp', () => {
    const { order, rate, read } = setup(join);
    rate.pipeInput('a', 'r1', 1);
    rate.pipeInput('a', 'r20', 20);
    order.pipeInput('a', 'o30', 30);
    order.pipeInput('a', 'o3', 3);
    expect(read()).toEqual([['a', 'o3@r1', 3]]);
    // Exactly the grace period behind is still buffered, and evicted by the same record.
    order.pipeInput('a', 'o25', 25);
    expect(read()).toEqual([
      ['a', 'o25@r20', 25],
    ]);
  });

  it('is driven by the stream side only: table updates do not release buffered records', () => {
    const { order, rate, read } = setup(join);
    rate.pipeInput('a', 'r1', 1);
    order.pipeInput('a', 'o2', 2);
    rate.pipeInput('a', 'r100', 100);
    expect(read()).toEqual([]);
    order.pipeInput('b', 'o8', 8);
    expect(read()).toEqual([['a', 'o2@r1', 2]]);
  });

  it('drops records with a null key or value without buffering them', () => {
    const { driver, order, rate, read } = setup(join);
    rate.pipeInput('a', 'r1', 1);
    order.pipeInput(null, 'nokey', 2);
    order.pipeInput('a', null, 3);
    order.pipeInput('a', 'o20', 20);
    expect(read()).toEqual([]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'null-key': 1, 'null-value': 1 });
  });

  it('emits nothing for a record whose key had no table value at its timestamp', () => {
    const { order, rate, read } = setup(join);
    order.pipeInput('a', 'o1', 1);
    rate.pipeInput('a', 'r2', 2);
    order.pipeInput('a', 'o2', 2);
    order.pipeInput('a', 'o10', 10);
    expect(read()).toEqual([['a', 'o2@r2', 2]]);
  });

  it('keeps its buffer in the store <name>-Buffer, logs it, and restores it', () => {
    const named: Join = (orders, rates) => orders.join(rates, joined, { name: 'priced', gracePeriod: '5ms' });
    const { topology, driver, order, rate } = setup(named);
    expect(topology.describe().toString()).toMatch(/Processor: priced \(stores: \[(rates, priced-Buffer|priced-Buffer, rates)\]\)/);
    rate.pipeInput('a', 'r1', 1);
    order.pipeInput('a', 'o2', 2);
    order.pipeInput('a', 'o4', 4);
    order.pipeInput('a', 'o8', 8);
    const changelog = driver.topics.written('test-app-priced-Buffer-changelog');
    // Three records buffered, the first evicted (a tombstone).
    expect(changelog.map((r) => (r.value === null ? 'evicted' : 'buffered'))).toEqual(['buffered', 'buffered', 'buffered', 'evicted']);

    // A new task restored from the changelogs releases what the first one still held.
    const sent: OutgoingRecord[] = [];
    const task = new Task(build(named).subTopologies[0]!, 0, { applicationId: 'test-app', logger: silentLogger, collector: { send: (r) => void sent.push(r), partitionsFor: () => 1 } });
    for (const r of driver.topics.written('test-app-rates-changelog')) task.restore('rates', r.key, r.value, r.timestamp);
    for (const r of changelog) task.restore('priced-Buffer', r.key, r.value, r.timestamp);
    task.process({ topic: 'orders', partition: 0, offset: 9, key: Buffer.from('b'), value: Buffer.from('o20'), timestamp: 20, headers: {} });
    expect(sent.filter((r) => r.topic === 'out').map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp])).toEqual([
      ['a', 'o4@r1', 4],
      ['a', 'o8@r1', 8],
    ]);
  });

  it('hands a joiner error on a buffered record to the processing error handler, and goes on with the next ones', () => {
    const throwing: Join = (orders, rates) =>
      orders.join(
        rates,
        (order, rate) => {
          if (order === 'bad') throw new Error('bad order');
          return `${order}@${rate}`;
        },
        { gracePeriod: 5 },
      );
    const { driver, order, rate, read } = setup(throwing, { processingErrorHandler: ErrorHandlers.logAndContinue() });
    rate.pipeInput('a', 'r0', 0);
    order.pipeInput('a', 'bad', 1);
    order.pipeInput('a', 'good', 2);
    order.pipeInput('a', 'later', 10);
    expect(read()).toEqual([['a', 'good@r0', 2]]);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });
});

describe('KStream.leftJoin(versioned KTable, { gracePeriod })', () => {
  const leftJoin: Join = (orders, rates) => orders.leftJoin(rates, joined, { gracePeriod: 5 });

  it('emits every record once the grace period has passed, with null when the table had no value then', () => {
    const { order, rate, read } = setup(leftJoin);
    order.pipeInput('a', 'o1', 1);
    rate.pipeInput('a', 'r2', 2);
    order.pipeInput('a', 'o3', 3);
    rate.pipeInput('a', null, 4);
    order.pipeInput('a', 'o5', 5);
    order.pipeInput('a', 'o10', 10);
    expect(read()).toEqual([
      ['a', 'o1@null', 1],
      ['a', 'o3@r2', 3],
      ['a', 'o5@null', 5],
    ]);
  });

  it('emits a null-key record at once, unmatched (Kafka Streams fails the task on it)', () => {
    const { order, read } = setup(leftJoin);
    order.pipeInput('a', 'o10', 10);
    order.pipeInput(null, 'nokey', 11);
    expect(read()).toEqual([[null, 'nokey@null', 11]]);
  });
});

describe('grace period requirements', () => {
  it('needs a versioned table', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream<string, string>('orders');
    const plain = builder.table<string, string>('rates');
    expect(() => orders.join(plain, joined, { gracePeriod: 5 })).toThrow(TopologyError);
    expect(() => orders.leftJoin(plain, joined, { gracePeriod: 5 })).toThrow(/KTable must be versioned to use a grace period in a stream table join/);
  });

  it('needs a history retention of at least the grace period', () => {
    expect(() => build((orders, rates) => orders.join(rates, joined, { gracePeriod: 11 }), 10)).toThrow(/History retention must be at least grace period/);
    expect(() => build((orders, rates) => orders.join(rates, joined, { gracePeriod: 10 }), 10)).not.toThrow();
  });

  it('accepts an unmaterialized filter or mapValues of a versioned table, not one with a store of its own', () => {
    const { order, rate, read } = setup((orders, rates) =>
      orders.join(
        rates.filter((_k, v) => !v.startsWith('x')).mapValues((v) => v.toUpperCase()),
        joined,
        { gracePeriod: 2 },
      ),
    );
    rate.pipeInput('a', 'r1', 1);
    order.pipeInput('a', 'o3', 3);
    rate.pipeInput('a', 'xx', 2);
    order.pipeInput('a', 'o5', 5);
    expect(read()).toEqual([]);
    order.pipeInput('a', 'o9', 9);
    expect(read()).toEqual([]); // o3 saw 'xx' (filtered out): no match; o5 likewise
    rate.pipeInput('a', 'r6', 6);
    order.pipeInput('a', 'o20', 20);
    expect(read()).toEqual([['a', 'o9@R6', 9]]);
    expect(() => build((orders, rates) => orders.join(rates.filter(() => true, { name: 'kept' }), joined, { gracePeriod: 2 }))).toThrow(/must be versioned/);
  });

  it('rejects a grace period that is not a duration', () => {
    expect(() => build((orders, rates) => orders.join(rates, joined, { gracePeriod: -1 }))).toThrow(/gracePeriod/);
  });
});
