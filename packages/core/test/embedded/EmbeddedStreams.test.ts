import { ErrorHandlers, Serdes, silentLogger, Stores, StreamsBuilder, type StreamsEvent, type Topology } from '@tributary/core';
import { EmbeddedStreams, type EmbeddedStreamsConfig } from '@tributary/core/embedded';
import { TopologyTestDriver } from '@tributary/core/testing';
import { describe, expect, it } from 'vitest';

const APPLICATION_ID = 'embedded-test';

/** An application closed at the end of the test's scope. */
function app(topology: Topology, config: Partial<EmbeddedStreamsConfig> = {}) {
  const streams = new EmbeddedStreams(topology, { applicationId: APPLICATION_ID, logger: silentLogger, ...config });
  return Object.assign(streams, { [Symbol.asyncDispose]: () => streams.close() });
}

/** Counts per key: a topology small enough to check by hand. */
function countsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, { n: number }>('input').groupByKey().count({ name: 'counts' }).toStream().to('output', { valueSerde: Serdes.json() });
  return builder.build();
}

describe('EmbeddedStreams', () => {
  it('reports lag per partition as log-end offset - committed offset, and consumption rate', async () => {
    await using streams = app(countsTopology(), { partitions: 3, commitIntervalMs: 10 });
    await streams.start();
    const n = streams.produce('input', Array.from({ length: 3000 }, (_, i) => ({ key: `k${i % 50}`, value: { n: i }, timestamp: i })));
    expect(n).toBe(3000);
    // Nothing processed or committed yet: the whole log is lag.
    const before = streams.metrics();
    expect(before.lag).toBe(3000);
    expect(before.partitions.map((p) => [p.topic, p.partition, p.committedOffset])).toEqual([
      ['input', 0, null],
      ['input', 1, null],
      ['input', 2, null],
    ]);
    await streams.whenCaughtUp();
    const after = streams.metrics();
    expect(after.lag).toBe(0);
    for (const p of after.partitions) {
      expect(p.committedOffset).toBe(p.logEndOffset);
      expect(p.lag).toBe(0);
      expect(p.consumed).toBe(p.logEndOffset);
    }
    expect(after.partitions.reduce((sum, p) => sum + p.logEndOffset, 0)).toBe(3000);
    expect(after.consumed).toBe(3000);
    expect(after.consumptionRate).toBeCloseTo(3000 / (after.elapsedMs / 1000), 0);
    expect(after.commits).toBeGreaterThan(0);
    expect(streams.store<string, number>('counts').get('k7')).toBe(60);
    expect(streams.read<string, number>('output').filter((r) => r.key === 'k7').map((r) => r.value).at(-1)).toBe(60);
  });

  it('processes in batches, yielding to the event loop so timers and metrics events run', async () => {
    await using streams = app(countsTopology(), { batchSize: 100, sliceMs: 1, metricsIntervalMs: 1 });
    const consumedSeen: number[] = [];
    streams.events.subscribe((e) => {
      if (e.type === 'metrics') consumedSeen.push(e.metrics.consumed);
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await streams.start();
    streams.produce('input', Array.from({ length: 50_000 }, (_, i) => ({ key: `k${i % 500}`, value: { n: i }, timestamp: i })));
    await streams.whenCaughtUp();
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(1);
    expect(consumedSeen.length).toBeGreaterThan(1);
    expect(consumedSeen.some((c) => c > 0 && c < 50_000)).toBe(true);
  });

  it('goes through the application states and reports commits', async () => {
    const streams = app(countsTopology());
    const events: StreamsEvent[] = [];
    streams.events.subscribe((e) => events.push(e));
    expect(streams.state).toBe('CREATED');
    await streams.start();
    expect(streams.state).toBe('RUNNING');
    streams.produce('input', [{ key: 'a', value: { n: 1 }, timestamp: 1 }]);
    await streams.whenCaughtUp();
    await streams.close();
    await streams.close(); // idempotent
    expect(streams.state).toBe('NOT_RUNNING');
    expect(events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? `${e.from}->${e.to}` : ''))).toEqual([
      'CREATED->REBALANCING',
      'REBALANCING->RUNNING',
      'RUNNING->PENDING_SHUTDOWN',
      'PENDING_SHUTDOWN->NOT_RUNNING',
    ]);
    const commits = events.filter((e) => e.type === 'commit');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.at(-1)).toEqual({ type: 'commit', offsets: [{ topic: 'input', partition: expect.any(Number), offset: 1 }] });
  });

  it('fails on a record it cannot read, unless the handler says to continue', async () => {
    const failing = app(countsTopology(), { partitions: 1 });
    await failing.start();
    failing.topics.append('input', { key: Buffer.from('a'), value: Buffer.from('{not json'), timestamp: 1 });
    await expect(failing.whenCaughtUp()).rejects.toThrow(/task 0_0 failed/);
    expect(failing.state).toBe('ERROR');
    // The failed record's offset is never committed.
    expect(failing.metrics().partitions[0]!.committedOffset).toBeNull();
    await failing.close();

    await using tolerant = app(countsTopology(), { partitions: 1, deserializationErrorHandler: ErrorHandlers.logAndContinue() });
    await tolerant.start();
    tolerant.topics.append('input', { key: Buffer.from('a'), value: Buffer.from('{not json'), timestamp: 1 });
    tolerant.produce('input', [{ key: 'a', value: { n: 1 }, timestamp: 2 }]);
    await tolerant.whenCaughtUp();
    expect(tolerant.metrics().droppedByReason).toEqual({ 'deserialization-error': 1 });
    expect(tolerant.store('counts').get('a')).toBe(1);
    expect(tolerant.metrics().lag).toBe(0);
  });

  it('answers store queries only for stores of the topology, while it has tasks', async () => {
    await using streams = app(countsTopology());
    expect(() => streams.store('counts')).toThrow(/not available/);
    await streams.start();
    expect(() => streams.store('nope')).toThrow(/no store named 'nope' \(stores: counts\)/);
    expect(streams.store('counts').approximateNumEntries()).toBe(0);
  });

  it('writes changelogs only when asked to', async () => {
    await using quiet = app(countsTopology(), { partitions: 1 });
    await quiet.start();
    quiet.produce('input', [{ key: 'a', value: { n: 1 }, timestamp: 1 }]);
    await quiet.whenCaughtUp();
    expect(quiet.topics.topicNames()).not.toContain(`${APPLICATION_ID}-counts-changelog`);

    await using logged = app(countsTopology(), { partitions: 1, changelogs: true });
    await logged.start();
    logged.produce('input', [{ key: 'a', value: { n: 1 }, timestamp: 1 }]);
    await logged.whenCaughtUp();
    expect(logged.topics.written(`${APPLICATION_ID}-counts-changelog`)).toHaveLength(1);
  });

  it('joins against a global table fed from every partition of its topic', async () => {
    const builder = new StreamsBuilder();
    const countries = builder.globalTable<string, string>('countries', { name: 'country-names' });
    builder
      .stream<string, { country: string }>('visits')
      .join(countries, (_customer, visit) => visit.country, (visit, name) => `${visit.country}:${name}`)
      .to('visits-named', { valueSerde: Serdes.json() });
    await using streams = app(builder.build());
    streams.topics.create('countries', 3);
    streams.produce('countries', [
      { key: 'UK', value: 'United Kingdom', timestamp: 1 },
      { key: 'FR', value: 'France', timestamp: 1 },
      { key: 'DE', value: 'Germany', timestamp: 1 },
    ]);
    await streams.start();
    await streams.whenCaughtUp();
    streams.produce('visits', [
      { key: 'c1', value: { country: 'FR' }, timestamp: 2 },
      { key: 'c2', value: { country: 'DE' }, timestamp: 3 },
      { key: 'c3', value: { country: 'XX' }, timestamp: 4 },
    ]);
    await streams.whenCaughtUp();
    expect(streams.read('visits-named').map((r) => [r.key, r.value]).sort()).toEqual([
      ['c1', 'FR:France'],
      ['c2', 'DE:Germany'],
    ]);
    expect(streams.store('country-names').all()).toHaveLength(3);
  });

  it('keeps a versioned table and joins it with a grace period, as the test driver does', async () => {
    const build = () => {
      const builder = new StreamsBuilder();
      const rates = builder.table<string, number>('rates', { store: Stores.versionedKeyValueStore('rates', { historyRetention: 100 }) });
      builder
        .stream<string, number>('orders')
        .join(rates, (amount, rate) => amount * rate, { gracePeriod: 5 })
        .to('priced', { valueSerde: Serdes.json() });
      return builder.build();
    };
    // Each phase is processed before the next is produced, so both runtimes see the same order.
    const phases = [
      [['rates', 'EUR', 2, 10], ['orders', 'EUR', 100, 12]],
      [['rates', 'EUR', 3, 11]],
      [['orders', 'EUR', 10, 20], ['orders', 'EUR', 1, 30]],
    ] as const;
    await using streams = app(build(), { partitions: 2 });
    await streams.start();
    using driver = new TopologyTestDriver(build(), { defaultPartitions: 2, logger: silentLogger });
    for (const phase of phases) {
      for (const [topic, key, value, timestamp] of phase) {
        streams.produce(topic, [{ key, value, timestamp }]);
        driver.createInputTopic<string, number>(topic).pipeInput(key, value, timestamp);
      }
      await streams.whenCaughtUp();
    }
    const expected = driver.createOutputTopic<string, number>('priced').readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
    expect(expected).toEqual([
      ['EUR', 300, 12],
      ['EUR', 30, 20],
    ]);
    expect(streams.read('priced').map((r) => [r.key, r.value, r.timestamp])).toEqual(expected);
    expect(streams.versionedStore<string, number>('rates').get('EUR', 10)).toEqual({ value: 2, timestamp: 10, validTo: 11 });
    expect(() => streams.versionedStore('nope')).toThrow(/no store named/);
  });
});
