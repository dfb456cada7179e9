import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, Stores, StreamsError, Suppressed, TopologyError, silentLogger, type KTable } from '@tributary/core';
import { Task, type OutgoingRecord } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';

const versioned = (name: string, historyRetention = 10) => ({ store: Stores.versionedKeyValueStore(name, { historyRetention }) });

function run(build: (builder: StreamsBuilder) => void, partitions: Record<string, number> = {}) {
  const builder = new StreamsBuilder();
  build(builder);
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, logger: silentLogger, partitions, defaultValueSerde: Serdes.string() });
  const input = (topic: string) => driver.createInputTopic<string, string>(topic);
  const read = (topic: string) =>
    driver
      .createOutputTopic<string, string>(topic)
      .readRecordsToList()
      .map((r) => [r.key, r.value, r.timestamp]);
  return { topology, driver, input, read };
}

describe('a versioned table (builder.table with a versioned store)', () => {
  it('keeps every version: out-of-order updates reach toStream(), updates older than the history retention are dropped', () => {
    const { driver, input, read } = run((b) => b.table<string, string>('rates', versioned('rates')).toStream().to('out'));
    const rates = input('rates');
    rates.pipeInput('a', 'a10', 10);
    rates.pipeInput('a', 'a5', 5);
    rates.pipeInput('a', 'a20', 20);
    rates.pipeInput('a', 'too-old', 9);
    rates.pipeInput('a', null, 15);
    rates.pipeInput(null, 'no-key', 21);
    expect(read('out')).toEqual([
      ['a', 'a10', 10],
      ['a', 'a5', 5],
      ['a', 'a20', 20],
      ['a', null, 15],
    ]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'expired-record': 1, 'null-key': 1 });
    const store = driver.getVersionedKeyValueStore<string, string>('rates');
    expect(store.get('a')).toEqual({ value: 'a20', timestamp: 20 });
    expect(store.get('a', 12)).toEqual({ value: 'a10', timestamp: 10, validTo: 15 });
    expect(store.get('a', 16)).toBeUndefined();
    expect(() => driver.getKeyValueStore('rates')).toThrow(StreamsError);
  });

  it('is named by its store; a different name is an error', () => {
    const { topology } = run((b) => b.table('rates', versioned('rates-store')).toStream().to('out'));
    expect(topology.describe().toString()).toContain('Processor: KTABLE-SOURCE-0000000001 (stores: [rates-store])');
    expect(() => new StreamsBuilder().table('rates', { name: 'other', ...versioned('rates-store') })).toThrow(TopologyError);
    expect(() => new StreamsBuilder().table('rates', { name: 'rates-store', ...versioned('rates-store') })).not.toThrow();
  });

  it('logs every accepted version to its changelog with its timestamp, and restores the history from it', () => {
    const build = () => {
      const builder = new StreamsBuilder();
      builder.stream<string, string>('orders').join(builder.table<string, string>('rates', versioned('rates', 100)), (o, r) => `${o}@${r}`).to('out');
      return builder.build();
    };
    const driver = new TopologyTestDriver(build(), { initialWallClockTime: 0, logger: silentLogger, defaultValueSerde: Serdes.string() });
    const rates = driver.createInputTopic<string, string>('rates');
    rates.pipeInput('a', 'r10', 10);
    rates.pipeInput('a', 'r5', 5);
    rates.pipeInput('a', null, 20);
    const changelog = driver.topics.written('test-app-rates-changelog');
    expect(changelog.map((r) => [r.key?.toString(), r.value?.toString() ?? null, r.timestamp])).toEqual([
      ['"a"', '"r10"', 10],
      ['"a"', '"r5"', 5],
      ['"a"', null, 20],
    ]);
    const sent: OutgoingRecord[] = [];
    const task = new Task(build().subTopologies[0]!, 0, { applicationId: 'test-app', logger: silentLogger, collector: { send: (r) => void sent.push(r), partitionsFor: () => 1 } });
    for (const r of changelog) task.restore('rates', r.key, r.value, r.timestamp);
    for (const [offset, t] of [6, 12, 25].entries()) {
      task.process({ topic: 'orders', partition: 0, offset, key: Buffer.from('a'), value: Buffer.from(`"o${t}"`), timestamp: t, headers: {} });
    }
    expect(sent.filter((r) => r.topic === 'out').map((r) => [r.value?.toString(), r.timestamp])).toEqual([
      ['"o6@r5"', 6],
      ['"o12@r10"', 12],
    ]);
  });

  it('keeps a versioned store per partition; the driver reads them as one', () => {
    const { driver, input } = run((b) => b.table('rates', versioned('rates')), { rates: 3 });
    const rates = input('rates');
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) rates.pipeInput(key, `${key}1`, 1);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) rates.pipeInput(key, `${key}2`, 2);
    const store = driver.getVersionedKeyValueStore<string, string>('rates');
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => store.get(key, 1)?.value)).toEqual(['a1', 'b1', 'c1', 'd1', 'e1', 'f1']);
    expect(store.get('f')).toEqual({ value: 'f2', timestamp: 2 });
  });
});

describe('KStream.toTable with a versioned store', () => {
  it('makes a versioned table; { name } then names only the processor', () => {
    const { topology, driver, input, read } = run((b) => b.stream('events').toTable({ name: 'latest', ...versioned('latest-store', 8) }).toStream().to('out'));
    expect(topology.describe().toString()).toContain('Processor: latest (stores: [latest-store])');
    const events = input('events');
    events.pipeInput('a', 'e10', 10);
    events.pipeInput('a', 'e3', 3);
    events.pipeInput('a', 'e0', 0);
    expect(read('out')).toEqual([
      ['a', 'e10', 10],
      ['a', 'e3', 3],
    ]);
    expect(driver.getVersionedKeyValueStore('latest-store').get('a', 5)).toEqual({ value: 'e3', timestamp: 3, validTo: 10 });
  });
});

describe('joins with a versioned table', () => {
  it('a stream-table join reads the table as of each stream record, without a grace period too', () => {
    const { input, read } = run((b) => {
      const rates = b.table<string, string>('rates', versioned('rates', 20));
      b.stream<string, string>('orders')
        .leftJoin(rates, (o, r) => `${o}@${r}`)
        .to('out');
    });
    const [rates, orders] = [input('rates'), input('orders')];
    rates.pipeInput('a', 'r10', 10);
    rates.pipeInput('a', 'r20', 20);
    orders.pipeInput('a', 'o15', 15);
    orders.pipeInput('a', 'o5', 5);
    rates.pipeInput('a', 'r12', 12);
    orders.pipeInput('a', 'o13', 13);
    rates.pipeInput('z', 'z50', 50);
    // As of 14, 36 ms behind the store's stream time: beyond the history, and the latest version is newer.
    orders.pipeInput('a', 'o14', 14);
    expect(read('out')).toEqual([
      ['a', 'o15@r10', 15],
      ['a', 'o5@null', 5],
      ['a', 'o13@r12', 13],
      ['a', 'o14@null', 14],
    ]);
  });

  it('a table-table join ignores the versioned side\'s out-of-order updates', () => {
    const { driver, input, read } = run((b) => {
      const left = b.table<string, string>('left', versioned('left', 100));
      const right = b.table<string, string>('right');
      left
        .join(right, (l, r) => `${l}+${r}`)
        .toStream()
        .to('out');
    });
    const [left, right] = [input('left'), input('right')];
    right.pipeInput('a', 'R', 1);
    left.pipeInput('a', 'L10', 10);
    left.pipeInput('a', 'L5', 5);
    left.pipeInput('a', 'L12', 12);
    expect(read('out')).toEqual([
      ['a', 'L10+R', 10],
      ['a', 'L12+R', 12],
    ]);
    expect(driver.metrics().droppedByReason['out-of-order']).toBe(1);
  });

  it('groupBy ignores out-of-order updates: the aggregate follows the latest versions', () => {
    const { input, read } = run((b) =>
      b
        .table<string, string>('users', versioned('users', 100))
        .groupBy((_id, region) => [region, region] as const)
        .count()
        .toStream()
        .to('out', { valueSerde: Serdes.json<number>() }),
    );
    const users = input('users');
    users.pipeInput('u1', 'eu', 10);
    users.pipeInput('u1', 'us', 5);
    users.pipeInput('u1', 'us', 11);
    const out = read('out');
    expect(out).toEqual([
      ['eu', 1, 10],
      ['eu', 0, 11],
      ['us', 1, 11],
    ]);
  });
});

describe('table operations below a versioned table', () => {
  it('filter forwards a change that is null on both sides (the old value is the latest version, not the previous one)', () => {
    const { input, read } = run((b) =>
      b
        .table<string, string>('rates', versioned('rates', 100))
        .filter((_k, v) => v.startsWith('a'))
        .toStream()
        .to('out'),
    );
    const rates = input('rates');
    rates.pipeInput('k', 'apple', 10);
    rates.pipeInput('k', 'berry', 5);
    rates.pipeInput('x', 'berry', 6);
    expect(read('out')).toEqual([
      ['k', 'apple', 10],
      ['k', null, 5],
      ['x', null, 6],
    ]);
  });

  it('mapValues maps every version, out-of-order ones included', () => {
    const { input, read } = run((b) =>
      b
        .table<string, string>('rates', versioned('rates', 100))
        .mapValues((v) => v.toUpperCase())
        .toStream()
        .to('out'),
    );
    const rates = input('rates');
    rates.pipeInput('k', 'b', 10);
    rates.pipeInput('k', 'a', 5);
    expect(read('out')).toEqual([
      ['k', 'B', 10],
      ['k', 'A', 5],
    ]);
  });

  it('suppress is refused, also below an unmaterialized operation', () => {
    const table = (): KTable<string, string> => new StreamsBuilder().table<string, string>('rates', versioned('rates'));
    const config = Suppressed.untilTimeLimit(10, Suppressed.BufferConfig.unbounded());
    expect(() => table().suppress(config)).toThrow(/suppress\(\) is only supported for non-versioned KTables/);
    expect(() => table().mapValues((v) => v).suppress(config)).toThrow(TopologyError);
    expect(() => table().mapValues((v) => v, { name: 'copy' }).suppress(config)).not.toThrow();
  });
});
