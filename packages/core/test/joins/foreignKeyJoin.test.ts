import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver, type TopologyTestDriverConfig } from '@tributary/core/testing';

/** Kafka Streams' FK-join integration test shape: left values `lhsValueN|rhsM`, the foreign key after the bar. */
function setup(
  leftJoin: boolean,
  options: { name?: string; config?: TopologyTestDriverConfig; extractor?: (value: string) => string | null } = {},
) {
  const builder = new StreamsBuilder();
  const left = builder.table<string, string>('left', { valueSerde: Serdes.string() });
  const right = builder.table<string, string>('right', { valueSerde: Serdes.string() });
  const extractor = options.extractor ?? ((value: string) => value.split('|')[1]!);
  const joiner = (l: string, r: string | null) => `(${l},${r})`;
  const materialized = options.name ? { name: options.name } : {};
  const joined = leftJoin ? left.leftJoin(right, extractor, joiner, materialized) : left.join(right, extractor, joiner, materialized);
  joined.toStream().to('out', { valueSerde: Serdes.string() });
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, ...options.config });
  const lhs = driver.createInputTopic<string, string>('left');
  const rhs = driver.createInputTopic<string, string>('right');
  const output = driver.createOutputTopic<string, string | null>('out', { valueSerde: Serdes.string() });
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, lhs, rhs, read };
}

describe('KTable.join(KTable, foreignKeyExtractor, joiner) — inner', () => {
  it('joins each row with the foreign row it refers to; foreign updates reach every subscriber (Kafka doJoinFromLeftThenDeleteLeftEntity)', () => {
    const { lhs, rhs, read } = setup(false);
    rhs.pipeInput('rhs1', 'rhsValue1', 0);
    rhs.pipeInput('rhs2', 'rhsValue2', 1);
    rhs.pipeInput('rhs3', 'rhsValue3', 2);
    expect(read()).toEqual([]);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 3);
    lhs.pipeInput('lhs2', 'lhsValue2|rhs2', 4);
    lhs.pipeInput('lhs3', 'lhsValue3|rhs1', 5);
    expect(read()).toEqual([
      ['lhs1', '(lhsValue1|rhs1,rhsValue1)', 3],
      ['lhs2', '(lhsValue2|rhs2,rhsValue2)', 4],
      ['lhs3', '(lhsValue3|rhs1,rhsValue1)', 5],
    ]);
    lhs.pipeInput('lhs1', null, 6);
    expect(read()).toEqual([['lhs1', null, 6]]);
    // lhs1 unsubscribed: only lhs3 still follows rhs1. The result takes the foreign record's timestamp.
    rhs.pipeInput('rhs1', 'rhsValue1b', 7);
    expect(read()).toEqual([['lhs3', '(lhsValue3|rhs1,rhsValue1b)', 7]]);
    rhs.pipeInput('rhs1', null, 8);
    expect(read()).toEqual([['lhs3', null, 8]]);
  });

  it('a changed foreign key replaces the old result; moving to a missing key retracts it (Kafka joinShouldProduceNullsWhenValueHasNonMatchingForeignKey)', () => {
    const { driver, lhs, rhs, read } = setup(false);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 0);
    expect(read()).toEqual([]);
    // Inner join: an unnecessary tombstone, since it is unknown whether a result existed before.
    lhs.pipeInput('lhs1', 'lhsValue1|rhs2', 1);
    expect(read()).toEqual([['lhs1', null, 1]]);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs3', 2);
    expect(read()).toEqual([['lhs1', null, 2]]);
    // rhs1 is no longer referenced: nothing changes.
    rhs.pipeInput('rhs1', 'rhsValue1', 3);
    expect(read()).toEqual([]);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 4);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs1,rhsValue1)', 4]]);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs2', 5);
    expect(read()).toEqual([['lhs1', null, 5]]);
    // Unsubscribed from rhs1, subscribed to rhs2.
    const subscriptions = driver.getKeyValueStore<readonly [string, string], { instruction: string }>('KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010');
    expect(subscriptions.all().map(([key, subscription]) => [key, subscription.instruction])).toEqual([[['rhs2', 'lhs1'], 'propagate-null-if-absent']]);
    // The old foreign key's updates no longer reach lhs1, the new one's do.
    rhs.pipeInput('rhs1', 'rhsValue1b', 6);
    rhs.pipeInput('rhs2', 'rhsValue2', 7);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs2,rhsValue2)', 7]]);
  });

  it('moving between two existing foreign keys emits the new result only', () => {
    const { lhs, rhs, read } = setup(false);
    rhs.pipeInput('rhs1', 'one', 0);
    rhs.pipeInput('rhs2', 'two', 0);
    lhs.pipeInput('lhs1', 'v|rhs1', 1);
    lhs.pipeInput('lhs1', 'v|rhs2', 2);
    expect(read()).toEqual([
      ['lhs1', '(v|rhs1,one)', 1],
      ['lhs1', '(v|rhs2,two)', 2],
    ]);
  });

  it('deleting a row that never joined still emits a tombstone; deleting it again emits nothing (Kafka shouldEmitTombstoneWhenDeletingNonJoiningRecords)', () => {
    const { lhs, read } = setup(false);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 0);
    expect(read()).toEqual([]);
    lhs.pipeInput('lhs1', null, 1);
    expect(read()).toEqual([['lhs1', null, 1]]);
    lhs.pipeInput('lhs1', null, 2);
    expect(read()).toEqual([]);
  });

  it('drops rows whose foreign key is null', () => {
    const { driver, lhs, rhs, read } = setup(false, { extractor: () => null });
    rhs.pipeInput('rhs1', 'x', 0);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 1);
    expect(read()).toEqual([]);
    expect(driver.metrics().droppedByReason['null-foreign-key']).toBe(1);
  });

  it('holds when the two tables have different partition counts: the foreign key is routed to its own partition', () => {
    const { driver, lhs, rhs, read } = setup(false, { config: { partitions: { left: 2, right: 3 } } });
    for (let i = 0; i < 6; i++) rhs.pipeInput(`rhs${i}`, `r${i}`, i);
    for (let i = 0; i < 12; i++) lhs.pipeInput(`lhs${i}`, `l${i}|rhs${i % 6}`, 10 + i);
    expect(read().sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => [`lhs${i}`, `(l${i}|rhs${i % 6},r${i % 6})`, 10 + i]).sort(),
    );
    for (let i = 0; i < 12; i++) lhs.pipeInput(`lhs${i}`, `l${i}|rhs${(i + 1) % 6}`, 30 + i);
    rhs.pipeInput('rhs0', 'R0', 50);
    const after = read();
    expect(after.filter(([, , ts]) => (ts as number) < 50).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => [`lhs${i}`, `(l${i}|rhs${(i + 1) % 6},r${(i + 1) % 6})`, 30 + i]).sort(),
    );
    expect(after.filter(([, , ts]) => ts === 50).sort()).toEqual([
      ['lhs11', '(l11|rhs0,R0)', 50],
      ['lhs5', '(l5|rhs0,R0)', 50],
    ]);
    // The subscription topic follows the foreign table's partitioning, the response topic the primary's.
    expect(driver.topics.partitionsFor('test-app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic')).toBe(3);
    expect(driver.topics.partitionsFor('test-app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic')).toBe(2);
  });

  it('sizes its two internal topics when the primary table itself comes from a repartition topic', () => {
    const builder = new StreamsBuilder();
    const orders = builder
      .stream<string, { id: string; customer: string }>('order-events')
      .selectKey((_k, order) => order.id)
      .toTable();
    const customers = builder.table<string, string>('customers', { valueSerde: Serdes.string() });
    orders
      .join(customers, (order) => order.customer, (order, name) => `${order.id}:${name}`)
      .toStream()
      .to('out', { valueSerde: Serdes.string() });
    const driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0, partitions: { 'order-events': 2, customers: 3 } });
    driver.createInputTopic<string, string>('customers').pipeInput('c1', 'Ann', 1);
    driver.createInputTopic<string, { id: string; customer: string }>('order-events').pipeInput('e1', { id: 'o1', customer: 'c1' }, 2);
    expect(driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() }).readKeyValuesToList()).toEqual([['o1', 'o1:Ann']]);
  });

  it('materializes the result under { name } and names its internal topics <name>-subscription-registration-topic and <name>-subscription-response-topic', () => {
    const { topology, driver, lhs, rhs } = setup(false, { name: 'orders-with-customer' });
    rhs.pipeInput('rhs1', 'one', 0);
    lhs.pipeInput('lhs1', 'v|rhs1', 1);
    expect(driver.getKeyValueStore('orders-with-customer').get('lhs1')).toBe('(v|rhs1,one)');
    expect(topology.internalTopics().map((t) => `${t.kind}:${t.name}`).sort()).toEqual(
      [
        'changelog:left-STATE-STORE-0000000000-changelog',
        'changelog:orders-with-customer-changelog',
        'changelog:orders-with-customer-subscription-store-changelog',
        'changelog:right-STATE-STORE-0000000003-changelog',
        'repartition:orders-with-customer-subscription-registration-topic',
        'repartition:orders-with-customer-subscription-response-topic',
      ].sort(),
    );
  });

  it('describes the topology with Kafka Streams node names', () => {
    const text = setup(false).topology.describe().toString();
    for (const line of [
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])',
      'Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)',
      'Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [right-STATE-STORE-0000000003])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])',
      'Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)',
      'Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])',
      'Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [left-STATE-STORE-0000000000])',
      'Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])',
      // Index 19 names the unmaterialized result's store; the next node gets 20.
      'Processor: KTABLE-TOSTREAM-0000000020 (stores: [])',
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe('KTable.leftJoin(KTable, foreignKeyExtractor, joiner)', () => {
  it('keeps rows without a foreign match, and updates them as the foreign key moves', () => {
    const { lhs, rhs, read } = setup(true);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 0);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs1,null)', 0]]);
    lhs.pipeInput('lhs1', 'lhsValue1|rhs2', 1);
    // The old key is left quietly (DELETE_KEY_NO_PROPAGATE in Kafka Streams); the new key answers.
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs2,null)', 1]]);
    rhs.pipeInput('rhs2', 'rhsValue2', 2);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs2,rhsValue2)', 2]]);
    rhs.pipeInput('rhs2', null, 3);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs2,null)', 3]]);
    lhs.pipeInput('lhs1', null, 4);
    expect(read()).toEqual([['lhs1', null, 4]]);
  });

  it('emits rows whose foreign key is null (Kafka shouldEmitRecordWhenOldAndNewFkDiffer)', () => {
    const { driver, lhs, read } = setup(true, { extractor: (value) => (value.endsWith('returnNull') ? null : value.split('|')[1]!) });
    lhs.pipeInput('lhs1', 'lhsValue1|rhs1', 0);
    expect(read()).toEqual([['lhs1', '(lhsValue1|rhs1,null)', 0]]);
    const subscriptions = driver.getKeyValueStore<readonly [string, string], unknown>('KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010');
    expect(subscriptions.get(['rhs1', 'lhs1'])).toBeDefined();
    lhs.pipeInput('lhs1', 'lhsValue1|returnNull', 1);
    expect(read().at(-1)).toEqual(['lhs1', '(lhsValue1|returnNull,null)', 1]);
    expect(subscriptions.get(['rhs1', 'lhs1'])).toBeUndefined();
  });
});
