import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TopologyError, silentLogger, type KGroupedStream } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Click {
  page: string;
}
interface Payment {
  amount: number;
}
interface Activity {
  clicks: number;
  spend: number;
}

const noActivity = (): Activity => ({ clicks: 0, spend: 0 });

/** Clicks and payments per customer, cogrouped into one activity per customer. */
function activityTopology(options: { name?: string } = {}) {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, Click>('clicks').groupByKey();
  const payments = builder.stream<string, Payment>('payments').groupByKey();
  clicks
    .cogroup((_customer, _click, activity: Activity) => ({ ...activity, clicks: activity.clicks + 1 }))
    .cogroup(payments, (_customer, payment, activity) => ({ ...activity, spend: activity.spend + payment.amount }))
    .aggregate(noActivity, options)
    .toStream()
    .to('activity');
  return builder.build();
}

describe('KGroupedStream.cogroup', () => {
  it('folds several grouped streams, each with its own aggregator, into one aggregate per key', () => {
    using driver = new TopologyTestDriver(activityTopology({ name: 'activity' }));
    const clicks = driver.createInputTopic<string, Click>('clicks');
    const payments = driver.createInputTopic<string, Payment>('payments');
    clicks.pipeInput('ann', { page: '/' }, 10);
    payments.pipeInput('ann', { amount: 30 }, 5);
    payments.pipeInput('bob', { amount: 7 }, 12);
    clicks.pipeInput('ann', { page: '/cart' }, 11);
    // Every update is emitted, timestamped with the largest timestamp in the aggregate.
    expect(driver.createOutputTopic<string, Activity>('activity').readRecordsToList()).toMatchObject([
      { key: 'ann', value: { clicks: 1, spend: 0 }, timestamp: 10 },
      { key: 'ann', value: { clicks: 1, spend: 30 }, timestamp: 10 },
      { key: 'bob', value: { clicks: 0, spend: 7 }, timestamp: 12 },
      { key: 'ann', value: { clicks: 2, spend: 30 }, timestamp: 11 },
    ]);
    // One store holds the aggregates of all inputs, logged to its changelog.
    expect(driver.getKeyValueStore<string, Activity>('activity').all()).toEqual([
      ['ann', { clicks: 2, spend: 30 }],
      ['bob', { clicks: 0, spend: 7 }],
    ]);
    expect(driver.getKeyValueStore<string, Activity>('activity').getWithTimestamp('ann')).toMatchObject({ value: { clicks: 2, spend: 30 }, timestamp: 11 });
    expect(driver.topics.written('test-app-activity-changelog')).toHaveLength(4);
  });

  it('adds one aggregation processor per input and a merge processor, named as Kafka Streams names them', () => {
    expect(activityTopology().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [clicks])',
        '      --> COGROUPKSTREAM-AGGREGATE-0000000003',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [payments])',
        '      --> COGROUPKSTREAM-AGGREGATE-0000000004',
        '    Processor: COGROUPKSTREAM-AGGREGATE-0000000003 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000002])',
        '      --> COGROUPKSTREAM-MERGE-0000000005',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: COGROUPKSTREAM-AGGREGATE-0000000004 (stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000002])',
        '      --> COGROUPKSTREAM-MERGE-0000000005',
        '      <-- KSTREAM-SOURCE-0000000001',
        '    Processor: COGROUPKSTREAM-MERGE-0000000005 (stores: [])',
        '      --> KTABLE-TOSTREAM-0000000006',
        '      <-- COGROUPKSTREAM-AGGREGATE-0000000003, COGROUPKSTREAM-AGGREGATE-0000000004',
        '    Processor: KTABLE-TOSTREAM-0000000006 (stores: [])',
        '      --> KSTREAM-SINK-0000000007',
        '      <-- COGROUPKSTREAM-MERGE-0000000005',
        '    Sink: KSTREAM-SINK-0000000007 (topic: activity)',
        '      <-- KTABLE-TOSTREAM-0000000006',
        '',
        '',
      ].join('\n'),
    );
    // `{ name }` names the store and the processors `<name>-cogroup-agg-<i>` and `<name>-cogroup-merge`.
    const named = activityTopology({ name: 'activity' });
    expect(named.stores.has('activity')).toBe(true);
    expect(named.subTopologies[0]!.nodes.map((n) => n.name)).toEqual(
      expect.arrayContaining(['activity-cogroup-agg-0', 'activity-cogroup-agg-1', 'activity-cogroup-merge']),
    );
  });

  it('repartitions an input whose key changed, through a topic named after its grouping, else the store', () => {
    const builder = new StreamsBuilder();
    const clicks = builder.stream<string, Click>('clicks').groupByKey();
    const byPage = builder.stream<string, Click>('page-views').groupBy((_customer, click) => click.page);
    const byReferrer = builder
      .stream<string, string>('referrals')
      .selectKey((_customer, page) => page)
      .groupByKey({ name: 'referred' });
    clicks
      .cogroup((_key, _click, hits: number) => hits + 1)
      .cogroup(byPage, (_page, _click, hits) => hits + 10)
      .cogroup(byReferrer, (_page, _referrer, hits) => hits + 100)
      .aggregate(() => 0, { name: 'hits' })
      .toStream()
      .to('hits');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, Click>('clicks').pipeInput('/a', { page: '/ignored' }, 1);
    driver.createInputTopic<string, Click>('page-views').pipeInput('ann', { page: '/a' }, 2);
    driver.createInputTopic<string, string>('referrals').pipeInput('bob', '/a', 3);
    expect(driver.topics.written('test-app-hits-repartition').map((r) => r.key?.toString())).toEqual(['"/a"']);
    expect(driver.topics.written('test-app-referred-repartition')).toHaveLength(1);
    expect(driver.createOutputTopic<string, number>('hits').readKeyValuesToList()).toEqual([
      ['/a', 1],
      ['/a', 11],
      ['/a', 111],
    ]);
  });

  it('drops records with a null key or value, counting them', () => {
    using driver = new TopologyTestDriver(activityTopology({ name: 'activity' }), { logger: silentLogger });
    const payments = driver.createInputTopic<string | null, Payment | null>('payments');
    payments.pipeInput(null, { amount: 1 }, 1);
    payments.pipeInput('ann', null, 2);
    payments.pipeInput('ann', { amount: 2 }, 3);
    expect(driver.createOutputTopic<string, Activity>('activity').readKeyValuesToList()).toEqual([['ann', { clicks: 0, spend: 2 }]]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'null-key': 1, 'null-value': 1 });
  });

  it('deletes the key when an aggregator returns null', () => {
    const builder = new StreamsBuilder();
    const adds = builder.stream<string, number>('adds').groupByKey();
    const resets = builder.stream<string, string>('resets').groupByKey();
    adds
      .cogroup((_key, n, total: number | null) => (total ?? 0) + n)
      .cogroup(resets, () => null)
      .aggregate(() => 0, { name: 'totals' })
      .toStream()
      .to('totals');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('adds').pipeInput('k', 5, 1);
    driver.createInputTopic<string, string>('resets').pipeInput('k', 'reset', 2);
    driver.createInputTopic<string, number>('adds').pipeInput('k', 1, 3);
    expect(driver.createOutputTopic<string, number | null>('totals').readKeyValuesToList()).toEqual([
      ['k', 5],
      ['k', null],
      ['k', 1],
    ]);
  });

  it('is a table other operations can use: filter, mapValues and joins read its store', () => {
    const builder = new StreamsBuilder();
    const clicks = builder.stream<string, Click>('clicks').groupByKey();
    const payments = builder.stream<string, Payment>('payments').groupByKey();
    const activity = clicks
      .cogroup((_c, _click, a: Activity) => ({ ...a, clicks: a.clicks + 1 }))
      .cogroup(payments, (_c, p, a) => ({ ...a, spend: a.spend + p.amount }))
      .aggregate(noActivity);
    activity
      .filter((_c, a) => a.spend > 0)
      .mapValues((a) => a.spend)
      .toStream()
      .to('spenders');
    builder
      .stream<string, string>('orders')
      .join(activity, (order, a) => `${order}:${a.clicks}`)
      .to('orders-with-clicks');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, Click>('clicks').pipeInput('ann', { page: '/' }, 1);
    driver.createInputTopic<string, Payment>('payments').pipeInput('ann', { amount: 4 }, 2);
    driver.createInputTopic<string, string>('orders').pipeInput('ann', 'o1', 3);
    // The filter asks the aggregation for old values, so a row that matched neither before nor now is not forwarded.
    expect(driver.createOutputTopic<string, number | null>('spenders').readKeyValuesToList()).toEqual([['ann', 4]]);
    expect(driver.createOutputTopic<string, string>('orders-with-clicks').readKeyValuesToList()).toEqual([['ann', 'o1:1']]);
  });

  it('replaces the aggregator of an input added twice, keeping its place', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, number>('a').groupByKey();
    const b = builder.stream<string, number>('b').groupByKey();
    const cogrouped = a.cogroup((_k, v, sum: number) => sum + v).cogroup(b, (_k, v, sum) => sum + 100 * v);
    cogrouped.cogroup(a, (_k, v, sum) => sum - v); // the same object, as in Kafka Streams: no new handle
    cogrouped.aggregate(() => 0, { name: 'sums' }).toStream().to('sums');
    const topology = builder.build();
    expect(topology.subTopologies[0]!.nodes.filter((n) => n.name.startsWith('sums-cogroup-agg-'))).toHaveLength(2);
    using driver = new TopologyTestDriver(topology);
    driver.createInputTopic<string, number>('a').pipeInput('k', 1, 1);
    driver.createInputTopic<string, number>('b').pipeInput('k', 1, 2);
    expect(driver.createOutputTopic<string, number>('sums').readValuesToList()).toEqual([-1, 99]);
  });

  it('shares repartition topics between aggregations of the same cogroup', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, string>('a').groupBy((_k, v) => v);
    const cogrouped = a.cogroup((_k, _v, n: number) => n + 1);
    cogrouped.aggregate(() => 0, { name: 'first' }).toStream().to('first');
    cogrouped.aggregate(() => 100, { name: 'second' }).toStream().to('second');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, string>('a').pipeInput('x', 'word', 1);
    expect(driver.topics.has('test-app-second-repartition')).toBe(false);
    expect(driver.createOutputTopic<string, number>('first').readKeyValuesToList()).toEqual([['word', 1]]);
    expect(driver.createOutputTopic<string, number>('second').readKeyValuesToList()).toEqual([['word', 101]]);
  });

  it('requires co-partitioned inputs', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, number>('a').groupByKey();
    const b = builder.stream<string, number>('b').groupByKey();
    a.cogroup((_k, v, sum: number) => sum + v)
      .cogroup(b, (_k, v, sum) => sum + v)
      .aggregate(() => 0);
    expect(() => new TopologyTestDriver(builder.build(), { partitions: { a: 2, b: 3 } })).toThrow(/must be co-partitioned/);
  });

  it('rejects what is not a grouped stream of the same builder, and bad callbacks', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, number>('a').groupByKey();
    const other = new StreamsBuilder().stream<string, number>('b').groupByKey();
    const cogrouped = a.cogroup((_k, v, sum: number) => sum + v);
    expect(() => cogrouped.cogroup(other, (_k, v, sum) => sum + v)).toThrow(TopologyError);
    expect(() => cogrouped.cogroup({} as KGroupedStream<string, number>, (_k, v, sum) => sum + v)).toThrow(/KGroupedStream/);
    expect(() => a.cogroup(null as never)).toThrow(/aggregator must be a function/);
    expect(() => cogrouped.aggregate(null as never)).toThrow(/initializer must be a function/);
  });

  it('writes its changelog with the declared serdes', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('a', { keySerde: Serdes.string(), valueSerde: Serdes.number() })
      .groupByKey()
      .cogroup((_k, v, sum: number) => sum + v)
      .aggregate(() => 0, { name: 'sums', valueSerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('a').pipeInput('k', 2.5, 1);
    const [logged] = driver.topics.written('test-app-sums-changelog');
    expect(logged!.key?.toString()).toBe('k');
    expect(logged!.value?.readDoubleBE(0)).toBe(2.5);
  });
});
