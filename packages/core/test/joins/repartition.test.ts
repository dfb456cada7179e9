import { describe, expect, it } from 'vitest';
import { JoinWindows, Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Click {
  customer: string | null;
  page: string;
}

function clicksJoinCustomers(partitions: Record<string, number> = {}, left = false) {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, Click>('clicks');
  const customers = builder.table<string, string>('customers', { name: 'customers', valueSerde: Serdes.string() });
  // A null customer travels as a null key (typed as a string key, as the table's).
  const rekeyed = clicks.selectKey((_clickId, click) => click.customer as string);
  const joiner = (click: Click, segment: string | null) => `${click.page}@${segment}`;
  (left ? rekeyed.leftJoin(customers, joiner) : rekeyed.join(customers, joiner)).to('out', { valueSerde: Serdes.string() });
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, partitions });
  const click = driver.createInputTopic<string, Click>('clicks');
  const customer = driver.createInputTopic<string, string>('customers');
  const output = driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() });
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, click, customer, read };
}

describe('a key change before a join goes through a repartition topic', () => {
  it('selectKey then join: sink, filter and source around <applicationId>-<node>-repartition', () => {
    const { topology, click, customer, read } = clicksJoinCustomers();
    expect(topology.describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [clicks])',
        '      --> KSTREAM-KEY-SELECT-0000000003',
        '    Processor: KSTREAM-KEY-SELECT-0000000003 (stores: [])',
        '      --> KSTREAM-FILTER-0000000005',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-FILTER-0000000005 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-KEY-SELECT-0000000003',
        '    Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-KEY-SELECT-0000000003-repartition)',
        '      <-- KSTREAM-FILTER-0000000005',
        '',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-KEY-SELECT-0000000003-repartition])',
        '      --> KSTREAM-JOIN-0000000007',
        '    Processor: KSTREAM-JOIN-0000000007 (stores: [customers])',
        '      --> KSTREAM-SINK-0000000008',
        '      <-- KSTREAM-SOURCE-0000000006',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [customers])',
        '      --> KTABLE-SOURCE-0000000002',
        '    Sink: KSTREAM-SINK-0000000008 (topic: out)',
        '      <-- KSTREAM-JOIN-0000000007',
        '    Processor: KTABLE-SOURCE-0000000002 (stores: [customers])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000001',
        '',
        '',
      ].join('\n'),
    );
    customer.pipeInput('alice', 'gold', 1);
    click.pipeInput('c1', { customer: 'alice', page: 'home' }, 5);
    click.pipeInput('c2', { customer: 'bob', page: 'home' }, 6);
    expect(read()).toEqual([['alice', 'home@gold', 5]]);
  });

  it('places rekeyed records where the table keeps their key, so every lookup hits across partitions', () => {
    const { driver, click, customer, read } = clicksJoinCustomers({ clicks: 3, customers: 3 });
    const names = Array.from({ length: 20 }, (_, i) => `customer-${i}`);
    names.forEach((name, i) => customer.pipeInput(name, `segment-${i}`, 1));
    names.forEach((name, i) => click.pipeInput(`click-${i}`, { customer: name, page: `p${i}` }, 10 + i));
    expect(read().sort()).toEqual(names.map((name, i) => [name, `p${i}@segment-${i}`, 10 + i]).sort());
    expect(driver.topics.partitionsFor('test-app-KSTREAM-KEY-SELECT-0000000003-repartition')).toBe(3);
  });

  it('an inner join drops records rekeyed to null before the topic; a left join keeps them (Kafka Streams 3.7+)', () => {
    const inner = clicksJoinCustomers();
    inner.click.pipeInput('c1', { customer: null, page: 'anon' }, 5);
    expect(inner.read()).toEqual([]);
    expect(inner.driver.metrics().droppedByReason['null-key']).toBe(1);

    const left = clicksJoinCustomers({}, true);
    left.click.pipeInput('c1', { customer: null, page: 'anon' }, 5);
    expect(left.read()).toEqual([[null, 'anon@null', 5]]);
  });

  it('joining the same rekeyed stream twice reuses its repartition topic', () => {
    const builder = new StreamsBuilder();
    const rekeyed = builder.stream<string, Click>('clicks').selectKey((_id, click) => click.customer as string);
    rekeyed.join(builder.table<string, string>('segments', { valueSerde: Serdes.string() }), (c, s) => `${c.page}@${s}`).to('a', { valueSerde: Serdes.string() });
    rekeyed.leftJoin(builder.table<string, string>('regions', { valueSerde: Serdes.string() }), (c, r) => `${c.page}@${r}`).to('b', { valueSerde: Serdes.string() });
    const topology = builder.build();
    expect(topology.internalTopics().filter((t) => t.kind === 'repartition').map((t) => t.name)).toEqual(['KSTREAM-KEY-SELECT-0000000001-repartition']);
    const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    driver.createInputTopic<string, string>('segments').pipeInput('ann', 'gold', 1);
    driver.createInputTopic<string, Click>('clicks').pipeInput('c1', { customer: 'ann', page: 'home' }, 2);
    expect(driver.createOutputTopic<string, string>('a', { valueSerde: Serdes.string() }).readKeyValuesToList()).toEqual([['ann', 'home@gold']]);
    expect(driver.createOutputTopic<string, string>('b', { valueSerde: Serdes.string() }).readKeyValuesToList()).toEqual([['ann', 'home@null']]);
  });

  it('a stream-stream join repartitions each side that changed its key, named <name>-left / <name>-right', () => {
    const builder = new StreamsBuilder();
    const views = builder.stream<string, string>('views', { valueSerde: Serdes.string() }).selectKey((_k, v) => v);
    const buys = builder.stream<string, string>('buys', { valueSerde: Serdes.string() }).map((_k, v): [string, string] => [v, 'bought']);
    views
      .join(buys, (view, buy) => `${view}:${buy}`, JoinWindows.ofTimeDifferenceWithNoGrace(10), { name: 'conversion', valueSerde: Serdes.string(), otherValueSerde: Serdes.string() })
      .to('out', { valueSerde: Serdes.string() });
    const topology = builder.build();
    expect(topology.internalTopics().filter((t) => t.kind === 'repartition').map((t) => t.name)).toEqual([
      'conversion-left-repartition',
      'conversion-right-repartition',
    ]);
    const text = topology.describe().toString();
    expect(text).toContain('Sink: conversion-left-repartition-sink (topic: conversion-left-repartition)');
    expect(text).toContain('Source: conversion-right-repartition-source (topics: [conversion-right-repartition])');
    const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, partitions: { views: 2, buys: 4 } });
    // Both sides repartitioned: no user topic constrains them, so both take the larger count.
    expect(driver.topics.partitionsFor('test-app-conversion-left-repartition')).toBe(4);
    expect(driver.topics.partitionsFor('test-app-conversion-right-repartition')).toBe(4);
    driver.createInputTopic<string, string>('views').pipeInput('v1', 'sku-1', 100);
    driver.createInputTopic<string, string>('buys').pipeInput('b1', 'sku-1', 105);
    expect(driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() }).readKeyValuesToList()).toEqual([['sku-1', 'sku-1:bought']]);
  });
});

describe('KStream.repartition()', () => {
  it('unnamed: KSTREAM-REPARTITION-<n>-repartition with generated sink, filter and source names', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('in').repartition().to('out');
    const text = builder.build().describe().toString();
    expect(text).toContain('Processor: KSTREAM-FILTER-0000000003 (stores: [])');
    expect(text).toContain('Sink: KSTREAM-SINK-0000000002 (topic: KSTREAM-REPARTITION-0000000001-repartition)');
    expect(text).toContain('Source: KSTREAM-SOURCE-0000000004 (topics: [KSTREAM-REPARTITION-0000000001-repartition])');
  });

  it('named, with a partition count and a partitioner', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in', { valueSerde: Serdes.string() })
      .repartition({ name: 'by-region', numberOfPartitions: 4, partitioner: (_topic, key) => (key.startsWith('eu') ? 0 : 3) })
      .to('out', { valueSerde: Serdes.string() });
    const topology = builder.build();
    const text = topology.describe().toString();
    expect(text).toContain('Processor: by-region-repartition-filter (stores: [])');
    expect(text).toContain('Sink: by-region-repartition-sink (topic: by-region-repartition)');
    expect(text).toContain('Source: by-region-repartition-source (topics: [by-region-repartition])');
    const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    expect(driver.topics.partitionsFor('test-app-by-region-repartition')).toBe(4);
    const input = driver.createInputTopic<string, string>('in');
    input.pipeInput('eu-1', 'a', 1);
    input.pipeInput('us-1', 'b', 2);
    expect(driver.topics.written('test-app-by-region-repartition').map((r) => r.partition)).toEqual([0, 3]);
    expect(driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() }).readKeyValuesToList()).toEqual([
      ['eu-1', 'a'],
      ['us-1', 'b'],
    ]);
  });

  it('rejects a bad partition count', () => {
    const builder = new StreamsBuilder();
    expect(() => builder.stream('in').repartition({ numberOfPartitions: 0 })).toThrow(/positive integer/);
  });
});

describe('co-partitioning of join inputs', () => {
  it('a stream-table join of topics with different partition counts fails at start, naming both', () => {
    expect(() => clicksJoinCustomers({ clicks: 2, customers: 3 })).not.toThrow();
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('orders')
      .join(builder.table<string, string>('customers'), (o, c) => `${o}${c}`)
      .to('out');
    expect(() => new TopologyTestDriver(builder.build(), { partitions: { orders: 2, customers: 3 } })).toThrow(
      "topics 'orders' (2 partitions) and 'customers' (3 partitions) must be co-partitioned for a join",
    );
  });

  it('a stream-stream join and a table-table join are checked the same way', () => {
    const streams = new StreamsBuilder();
    streams
      .stream<string, string>('a')
      .join(streams.stream<string, string>('b'), (x, y) => x + y, JoinWindows.ofTimeDifferenceWithNoGrace(1))
      .to('out');
    expect(() => new TopologyTestDriver(streams.build(), { partitions: { a: 4, b: 1 } })).toThrow(/topics 'a' \(4 partitions\) and 'b' \(1 partitions\)/);

    const tables = new StreamsBuilder();
    tables
      .table<string, string>('a')
      .join(tables.table<string, string>('b'), (x, y) => x + y)
      .toStream()
      .to('out');
    expect(() => new TopologyTestDriver(tables.build(), { partitions: { a: 1, b: 2 } })).toThrow(/topics 'a' \(1 partitions\) and 'b' \(2 partitions\)/);
  });

  it('a repartition topic with a fixed partition count must match the table it joins', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('orders')
      .repartition({ name: 'orders-by-customer', numberOfPartitions: 4 })
      .join(builder.table<string, string>('customers'), (o, c) => `${o}${c}`)
      .to('out');
    expect(() => new TopologyTestDriver(builder.build(), { partitions: { orders: 1, customers: 2 } })).toThrow(
      /'customers' \(2 partitions\) and 'orders-by-customer-repartition' \(4 partitions\)|'orders-by-customer-repartition' \(4 partitions\) and 'customers' \(2 partitions\)/,
    );
  });

  it('a repartition topic without a fixed count is sized to the table it joins', () => {
    const { driver } = clicksJoinCustomers({ clicks: 5, customers: 2 });
    expect(driver.topics.partitionsFor('test-app-KSTREAM-KEY-SELECT-0000000003-repartition')).toBe(2);
  });
});
