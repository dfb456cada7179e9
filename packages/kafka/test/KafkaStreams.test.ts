import { ErrorHandlers, silentLogger, StreamsBuilder, type StreamsState } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, type KafkaStreamsOptions } from '../src';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const doubling = (builder: StreamsBuilder) => builder.stream<string, { n: number }>('in').mapValues((v) => ({ n: v.n * 2 })).to('out');

describe('KafkaStreams (on a fake Kafka)', () => {
  it('processes records and commits the next offset to read', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    for (let i = 0; i < 10; i++) kafka.append('in', `k${i}`, { n: i });
    await using streams = app(kafka, doubling);
    const states: StreamsState[] = [];
    streams.events.subscribe((e) => e.type === 'state' && states.push(e.to));
    await streams.start();
    await until(() => kafka.read('out').length === 10, 'ten outputs');
    expect(kafka.read('out').map((r) => (r.value as { n: number }).n).sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    // Keys keep their partition: murmur2 on both topics.
    for (const r of kafka.read('out')) expect(r.partition).toBe(kafka.read('in').find((i) => i.key === r.key)!.partition);
    await until(() => (kafka.committed.get('in-0') ?? 0) + (kafka.committed.get('in-1') ?? 0) === 10, 'commits');
    await streams.close();
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  });

  it('commits an offset only once every output of the records before it is acknowledged', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    kafka.holdAcks = true;
    for (let i = 0; i < 5; i++) kafka.append('in', 'k', { n: i });
    await using streams = app(kafka, doubling);
    await streams.start();
    await until(() => streams.metrics().processed === 5, 'processing');
    await new Promise((r) => setTimeout(r, 60)); // several commit intervals
    expect(kafka.committed.get('in-0')).toBeUndefined();
    expect(streams.metrics().tasks[0]!.pendingSends).toBe(5);
    kafka.holdAcks = false;
    kafka.releaseAcks();
    await until(() => kafka.committed.get('in-0') === 5, 'the commit after the acknowledgements');
  });

  it('creates internal topics with the planned partitions, changelogs compacted', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 3);
    kafka.createTopic('counts', 3);
    await using streams = app(kafka, (b) =>
      b.stream<string, { page: string }>('in').groupBy((_k, v) => v.page).count({ name: 'per-page' }).toStream().to('counts'),
    );
    await streams.start();
    expect(kafka.configs.get('app-per-page-changelog')).toEqual({ 'cleanup.policy': 'compact' });
    expect(kafka.logs.get('app-per-page-changelog')).toHaveLength(3);
    const repartition = [...kafka.logs.keys()].find((t) => t.endsWith('-repartition'))!;
    expect(repartition.startsWith('app-')).toBe(true);
    expect(kafka.logs.get(repartition)).toHaveLength(3);
    expect(kafka.configs.get(repartition)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '-1', 'segment.bytes': '52428800' });
  });

  it('restores a store from its changelog before the task processes a record', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('counts', 1);
    kafka.createTopic('app-totals-changelog', 1, { 'cleanup.policy': 'compact' });
    for (const [key, count] of [['a', 1], ['b', 1], ['a', 2], ['a', 3]] as const) kafka.append('app-totals-changelog', JSON.stringify(key), count, { partition: 0 });
    kafka.append('in', 'a', { n: 1 });
    await using streams = app(kafka, (b) => b.stream<string, { n: number }>('in').groupByKey().count({ name: 'totals' }).toStream().to('counts'));
    const restores: number[] = [];
    streams.events.subscribe((e) => e.type === 'restore' && restores.push(e.restored));
    await streams.start();
    await until(() => kafka.read('counts').length === 1, 'the count');
    expect(kafka.read('counts')[0]).toMatchObject({ key: 'a', value: 4 });
    expect(restores.at(-1)).toBe(4);
    expect(streams.metrics().restore).toEqual([
      {
        store: 'totals',
        partition: 0,
        taskId: '0_0',
        changelog: 'app-totals-changelog',
        startOffset: 0,
        endOffset: 4,
        fromCheckpoint: false,
        restored: 4,
        total: 4,
        done: true,
        ratePerSecond: expect.any(Number),
        remainingMs: 0,
      },
    ]);
    expect(streams.store<string, number>('totals').get('b')).toBe(1);
    expect(streams.state).toBe('RUNNING');
  });

  it('stops in ERROR after a task failure, without committing the failed record', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let i = 0; i < 10; i++) kafka.append('in', 'k', { n: i });
    await using streams = app(kafka, (b) =>
      b
        .stream<string, { n: number }>('in')
        .mapValues((v) => {
          if (v.n === 6) throw new Error('boom');
          return v;
        })
        .to('out'),
    );
    const errors: Error[] = [];
    streams.events.subscribe((e) => e.type === 'error' && errors.push(e.error));
    await streams.start();
    await until(() => streams.state === 'ERROR', 'ERROR');
    expect(errors[0]!.message).toMatch(/boom/);
    expect(kafka.committed.get('in-0')).toBe(6);
    expect(kafka.read('out')).toHaveLength(6);
  });

  it('sends undeserializable records to a dead-letter topic and goes on', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    kafka.createTopic('dlq', 1);
    kafka.append('in', 'k', { n: 1 });
    kafka.append('in', 'k', null, { raw: Buffer.from('{not json') });
    kafka.append('in', 'k', { n: 2 });
    await using streams = app(kafka, doubling, { deserializationErrorHandler: ErrorHandlers.deadLetter('dlq') });
    await streams.start();
    await until(() => kafka.read('out').length === 2 && kafka.logs.get('dlq')![0]!.length === 1, 'outputs');
    const dead = kafka.logs.get('dlq')![0]![0]!;
    expect(dead.value!.toString()).toBe('{not json');
    expect(dead.headers['__streams.errors.offset']).toBe('1');
    expect(streams.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
  });

  it('keeps the tasks it keeps in a rebalance where they were, and closes the revoked ones', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    for (let i = 0; i < 20; i++) kafka.append('in', `k${i}`, { n: i });
    await using streams = app(kafka, doubling, { commitIntervalMs: 60_000 });
    await streams.start();
    await until(() => streams.metrics().processed === 20, 'processing');
    expect(streams.assignedTasks()).toEqual(['0_0', '0_1']);
    const consumer = kafka.consumer!;
    await consumer.rebalance([{ topic: 'in', partition: 1 }]);
    expect(streams.assignedTasks()).toEqual(['0_1']);
    // The commit before the rebalance covered both partitions...
    const sizes = [0, 1].map((p) => kafka.logs.get('in')![p]!.length);
    expect([kafka.committed.get('in-0'), kafka.committed.get('in-1')]).toEqual(sizes);
    // ...and the kept partition is sought to where the task was, not to the committed offset.
    expect(consumer.seeks).toEqual([{ topic: 'in', partition: 1, offset: sizes[1] }]);
    kafka.append('in', 'late', { n: 100 }, { partition: 1 });
    await until(() => kafka.read('out').length === 21, 'the late record');
    expect(streams.assignedPartitions()).toEqual([{ topic: 'in', partition: 1 }]);
  });

  it('is RUNNING again, with its tasks, when the client gives up a rejoin and fetches on', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    for (let i = 0; i < 10; i++) kafka.append('in', `k${i}`, { n: i });
    await using streams = app(kafka, doubling);
    await streams.start();
    await until(() => streams.metrics().processed === 10, 'processing');
    const changes: string[] = [];
    streams.events.subscribe((e) => e.type === 'state' && changes.push(`${e.from}->${e.to}`));
    kafka.consumer!.abandonRejoin();
    expect(changes).toEqual(['RUNNING->REBALANCING', 'REBALANCING->RUNNING']);
    expect(streams.assignedTasks()).toEqual(['0_0', '0_1']);
    kafka.append('in', 'late', { n: 100 });
    await until(() => kafka.read('out').length === 11, 'the record after');
  });

  it('stops fetching while too many records wait for acknowledgements', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    kafka.holdAcks = true;
    for (let i = 0; i < 3_000; i++) kafka.append('in', 'k', { n: i });
    await using streams = app(kafka, doubling, { maxInFlightRecords: 100, maxBufferedRecords: 100 });
    await streams.start();
    await until(() => streams.metrics().processed > 0, 'processing');
    await new Promise((r) => setTimeout(r, 50));
    const { processed } = streams.metrics();
    expect(processed).toBeLessThan(3_000);
    expect(kafka.consumer!.batches * 50).toBeLessThan(3_000);
    kafka.holdAcks = false;
    kafka.releaseAcks();
    await until(() => kafka.read('out').length === 3_000, 'all outputs');
  });

  it('processes a task’s input partitions in timestamp order (lowest head first)', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('clicks', 1);
    kafka.createTopic('views', 1);
    kafka.createTopic('out', 1);
    for (const t of [1, 3, 5]) kafka.append('clicks', 'k', { t }, { timestamp: t });
    for (const t of [2, 4, 6]) kafka.append('views', 'k', { t }, { timestamp: t });
    await using streams = app(kafka, (b) => b.stream<string, { t: number }>(['clicks', 'views']).to('out'));
    await streams.start();
    await until(() => kafka.read('out').length === 6, 'six outputs');
    expect(kafka.read('out').map((r) => (r.value as { t: number }).t)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('exactly-once: outputs and input offsets become visible together, in one transaction per task', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    for (let i = 0; i < 10; i++) kafka.append('in', `k${i}`, { n: i });
    await using streams = app(kafka, doubling, { processingGuarantee: 'exactly_once' });
    await streams.start();
    await until(() => kafka.read('out').length === 10, 'ten committed outputs');
    await until(() => (kafka.committed.get('in-0') ?? 0) + (kafka.committed.get('in-1') ?? 0) === 10, 'the offsets');
    // Each task registered its own transactional id (and so fenced any earlier holder).
    expect([...kafka.epochs.keys()].sort()).toEqual(['app-0_0', 'app-0_1']);
    expect(kafka.transactionCommits).toBeGreaterThanOrEqual(2);
  });

  it('exactly-once: a failed task’s uncommitted outputs are aborted, never seen', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let i = 0; i < 10; i++) kafka.append('in', 'k', { n: i });
    await using streams = app(
      kafka,
      (b) =>
        b
          .stream<string, { n: number }>('in')
          .mapValues((v) => {
            if (v.n === 6) throw new Error('boom');
            return v;
          })
          .to('out'),
      { processingGuarantee: 'exactly_once', commitIntervalMs: 60_000 },
    );
    await streams.start();
    await until(() => streams.state === 'ERROR', 'ERROR');
    // Records 0..5 were processed, but their transaction never committed.
    expect(kafka.read('out')).toEqual([]);
    expect(kafka.committed.get('in-0')).toBeUndefined();
    expect(kafka.transactionCommits).toBe(0);
  });

  it('loads global tables before the stream tasks run, and keeps them up to date', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('orders', 2);
    kafka.createTopic('products', 3);
    kafka.createTopic('priced', 2);
    kafka.append('products', 'p1', { price: 10 });
    kafka.append('products', 'p2', { price: 20 });
    kafka.append('orders', 'o1', { sku: 'p1', qty: 2 });
    await using streams = app(kafka, (b) => {
      const products = b.globalTable<string, { price: number }>('products', { name: 'products' });
      b.stream<string, { sku: string; qty: number }>('orders')
        .join(products, (_id, order) => order.sku, (order, product) => ({ total: order.qty * product.price }))
        .to('priced');
    });
    await streams.start();
    await until(() => kafka.read('priced').length === 1, 'the first order');
    expect(kafka.read('priced')[0]!.value).toEqual({ total: 20 });
    kafka.append('products', 'p1', { price: 11 });
    await until(() => streams.store<string, { price: number }>('products').get('p1')?.price === 11, 'the price update');
    kafka.append('orders', 'o2', { sku: 'p1', qty: 3 });
    await until(() => kafka.read('priced').length === 2, 'the second order');
    expect(kafka.read('priced').map((r) => r.value)).toContainEqual({ total: 33 });
  });

  it('fires wall-clock punctuators even when no record arrives', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('ticks', 1);
    await using streams = app(kafka, (b) =>
      b
        .stream<string, unknown>('in')
        .process<string, { tick: number }>(() => {
          let n = 0;
          return {
            init: (context) => {
              context.schedule(20, 'wall-clock-time', () => context.forward({ key: 'clock', value: { tick: n++ }, timestamp: Date.now() }));
            },
            process: () => undefined,
          };
        })
        .to('ticks'),
    );
    await streams.start();
    await until(() => kafka.read('ticks').length >= 3, 'three ticks', 3_000);
    expect(kafka.read('ticks').slice(0, 3).map((r) => r.value)).toEqual([{ tick: 0 }, { tick: 1 }, { tick: 2 }]);
  });

  it('names what is wrong: a missing source topic, a bad broker address, exactly-once', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('out', 1);
    const missing = app(kafka, doubling);
    await expect(missing.start()).rejects.toThrow("source topic 'in' does not exist");
    expect(missing.state).toBe('ERROR');
    const builder = new StreamsBuilder();
    doubling(builder);
    const topology = builder.build();
    expect(() => new KafkaStreams(topology, { applicationId: 'a', brokers: 'localhost:9092,localhost' })).toThrow("invalid broker address 'localhost'");
    expect(() => new KafkaStreams(topology, { applicationId: 'a', brokers: ['127.0.0.1:99999'] })).toThrow("'127.0.0.1:99999'");
    expect(() => new KafkaStreams(topology, { applicationId: 'a', brokers: 'h:1', processingGuarantee: 'exactly_twice' as never })).toThrow(/processingGuarantee/);
    expect(() => new KafkaStreams(topology, { applicationId: 'a b', brokers: 'h:1' })).toThrow(/applicationId 'a b'/);
    expect(() => new KafkaStreams(topology, { applicationId: 'a', brokers: 'h:1', heartbeatIntervalMs: 10_000, sessionTimeoutMs: 6_000 })).toThrow(/heartbeatIntervalMs/);
  }, 15_000);

  it('a topic created a moment before start() that the metadata lacks at first is found when it appears', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('out', 1);
    setTimeout(() => kafka.createTopic('in', 1), 600);
    await using streams = app(kafka, doubling);
    await streams.start();
    expect(streams.assignedTasks()).toEqual(['0_0']);
  });
});
