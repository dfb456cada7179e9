import { map, of, toArray, firstValueFrom, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { DeserializationError, Serdes, StreamsBuilder, StreamsError, TaskFailedError, silentLogger, type ProcessorContext } from '@tributary/core';
import { TopologyTestDriver, type TestRecord } from '@tributary/core/testing';
import { defaultPartition, murmur2 } from '@tributary/core/runtime';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

function countTopology() {
  const builder = new StreamsBuilder();
  builder.stream<string, number>('events').groupByKey().count({ name: 'counts' }).toStream().to('counts');
  return builder.build();
}

describe('murmur2 (Kafka default partitioner)', () => {
  it('matches the Java client on known vectors', () => {
    expect(murmur2(utf8('21'))).toBe(-973932308);
    expect(murmur2(utf8('foobar'))).toBe(-790332482);
    expect(murmur2(utf8('abc'))).toBe(479470107);
  });

  it('makes the hash positive before the modulo, as Utils.toPositive does', () => {
    expect(defaultPartition(utf8('21'), 4)).toBe((-973932308 & 0x7fffffff) % 4);
    expect(defaultPartition(utf8('foobar'), 7)).toBe((-790332482 & 0x7fffffff) % 7);
    expect(defaultPartition(utf8('abc'), 10)).toBe(479470107 % 10);
  });
});

describe('TopologyTestDriver', () => {
  it('places keys of a multi-partition input topic by murmur2 exactly like Kafka, with one task per partition', () => {
    using driver = new TopologyTestDriver(countTopology(), { partitions: { events: 4 } });
    const input = driver.createInputTopic<string, number>('events');
    input.pipeInput('21', 1);
    input.pipeInput('foobar', 1);
    input.pipeInput('abc', 1);
    input.pipeInput('abc', 1);
    const placed = [0, 1, 2, 3].map((p) => driver.topics.read('events', p).map((r) => r.key!.toString()));
    expect(placed).toEqual([['21'], [], ['foobar'], ['abc', 'abc']]);
    // Offsets are per partition.
    expect(driver.topics.read('events', 3).map((r) => r.offset)).toEqual([0, 1]);
    expect(driver.topics.endOffsets('events')).toEqual([1, 0, 1, 2]);
    // Each partition's task committed what it read.
    expect(driver.committedOffsets().get('events')).toEqual(
      new Map([
        [0, 1],
        [2, 1],
        [3, 2],
      ]),
    );
  });

  it('spreads records without a key round-robin', () => {
    const builder = new StreamsBuilder();
    builder.stream('events').to('out');
    using driver = new TopologyTestDriver(builder.build(), { defaultPartitions: 3 });
    const input = driver.createInputTopic<string, number>('events');
    for (let i = 0; i < 6; i++) input.pipeValue(i);
    expect(driver.topics.endOffsets('events')).toEqual([2, 2, 2]);
  });

  it('reads a store across the tasks of all partitions with getKeyValueStore', () => {
    using driver = new TopologyTestDriver(countTopology(), { partitions: { events: 3 } });
    const input = driver.createInputTopic<string, number>('events');
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
    keys.forEach((key, i) => {
      for (let n = 0; n <= i; n++) input.pipeInput(key, n);
    });
    const store = driver.getKeyValueStore<string, number>('counts');
    expect(store.all()).toEqual(keys.map((key, i) => [key, i + 1]));
    expect(store.get('grace')).toBe(7);
    expect(store.get('nobody')).toBeUndefined();
    expect(store.range('b', 'd')).toEqual([
      ['bob', 2],
      ['carol', 3],
    ]);
    expect(store.approximateNumEntries()).toBe(7);
    // Each task holds the keys of its own partition.
    const parts = driver.storesNamed<{ all(): [string, number][] } & import('@tributary/core').StateStore>('counts');
    expect(parts).toHaveLength(3);
    parts.forEach((part, partition) => {
      for (const [key] of part.all()) expect(defaultPartition(utf8(key), 3)).toBe(partition);
    });
  });

  it('keeps stream time per task', () => {
    const times: string[] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, number>('events').process<never, never>(() => {
      let ctx: ProcessorContext<never, never>;
      return { init: (c) => (ctx = c), process: () => times.push(`${ctx.taskId}:${ctx.streamTime()}`) };
    });
    using driver = new TopologyTestDriver(builder.build(), { partitions: { events: 4 } });
    const input = driver.createInputTopic<string, number>('events');
    input.pipeInput('21', 1, 100); // partition 0
    input.pipeInput('abc', 1, 50); // partition 3
    input.pipeInput('21', 1, 70);
    expect(times).toEqual(['0_0:100', '0_3:50', '0_0:100']);
  });

  it('follows internal repartition topics, creating them with the partition count of their writer', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('events')
      .groupBy((_k, v) => v, { name: 'by-value' })
      .count({ name: 'value-counts' });
    using driver = new TopologyTestDriver(builder.build(), { applicationId: 'my-app', partitions: { events: 5 } });
    expect(driver.topics.partitionsFor('my-app-by-value-repartition')).toBe(5);
    expect(driver.topics.partitionsFor('my-app-value-counts-changelog')).toBe(5);
    const input = driver.createInputTopic<string, string>('events');
    input.pipeInput('a', 'x');
    input.pipeInput('b', 'x');
    expect(driver.getKeyValueStore('value-counts').get('x')).toBe(2);
    // Both sub-topologies committed.
    expect([...driver.committedOffsets().keys()].sort()).toEqual(['events', 'my-app-by-value-repartition']);
  });

  it('pipes an RxJS observable: TestScheduler marbles in, asObservable() out', () => {
    using driver = new TopologyTestDriver(countTopology());
    const input = driver.createInputTopic<string, number>('events');
    const output = driver.createOutputTopic<string, number>('counts');
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const events = cold<TestRecord<string, number>>('a-b--a-c|', {
        a: { key: 'alice', value: 1 },
        b: { key: 'bob', value: 1 },
        c: { key: 'carol', value: 1 },
      });
      // The marble frame becomes the record timestamp.
      input.pipeObservable(events.pipe(map((record) => ({ ...record, timestamp: scheduler.now() }))));
      expectObservable(output.asObservable().pipe(map((r) => `${r.key}=${r.value}@${r.timestamp}`))).toBe('a-b--c-d', {
        a: 'alice=1@0',
        b: 'bob=1@2',
        c: 'alice=2@5',
        d: 'carol=1@7',
      });
    });
  });

  it('replays what was already written to a late subscriber of asObservable(), without consuming it', async () => {
    using driver = new TopologyTestDriver(countTopology());
    const input = driver.createInputTopic<string, number>('events');
    const output = driver.createOutputTopic<string, number>('counts');
    input.pipeInput('a', 1);
    input.pipeInput('a', 1);
    const values = firstValueFrom(output.asObservable().pipe(map((r) => r.value), take(3), toArray()));
    input.pipeInput('b', 1);
    await expect(values).resolves.toEqual([1, 2, 1]);
    expect(output.getQueueSize()).toBe(3);
  });

  it('pipes a synchronous observable and an array of records alike', () => {
    using driver = new TopologyTestDriver(countTopology());
    const input = driver.createInputTopic<string, number>('events');
    input.pipeObservable(of({ key: 'a', value: 1 }, { key: 'a', value: 2 }));
    input.pipeRecords([{ key: 'b', value: 3, timestamp: 9 }]);
    expect(driver.createOutputTopic('counts').readKeyValuesToList()).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('pipes raw bytes: valid ones are read with the topic serdes, malformed JSON fails naming topic, partition and offset', () => {
    using driver = new TopologyTestDriver(countTopology(), { logger: silentLogger });
    const input = driver.createInputTopic<string, number>('events');
    input.pipeRaw(utf8('a'), utf8('1'));
    let error: unknown;
    try {
      input.pipeRaw(utf8('a'), utf8('{not json'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as Error).cause).toBeInstanceOf(DeserializationError);
    expect((error as Error).message).toMatch(/Cannot deserialize the record at topic 'events' partition 0 offset 1: .*JSON/);
    expect(driver.createOutputTopic('counts').readKeyValuesToList()).toEqual([['a', 1]]);
  });

  it('numbers timestamps from startTimestamp with autoAdvance when a record has none', () => {
    const builder = new StreamsBuilder();
    builder.stream('events').to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('events', { startTimestamp: 1_000, autoAdvance: 10 });
    input.pipeInput('a', 1);
    input.pipeInput('a', 2);
    input.pipeInput('a', 3, 5);
    input.pipeInput('a', 4);
    expect(driver.createOutputTopic('out').readRecordsToList().map((r) => r.timestamp)).toEqual([1_000, 1_010, 5, 1_020]);
  });

  it('defaults record timestamps to the driver wall clock', () => {
    const builder = new StreamsBuilder();
    builder.stream('events').to('out');
    using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 12_345 });
    driver.createInputTopic('events').pipeInput('a', 1);
    expect(driver.createOutputTopic('out').readRecord().timestamp).toBe(12_345);
  });

  it('reads output topics in write order, consuming them, with serdes overrides', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('events')
      .to('out', { valueSerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('events');
    input.pipeInput('a', 1);
    input.pipeInput('b', 2);
    input.pipeInput('a', null);
    const output = driver.createOutputTopic<string, number>('out');
    expect(output.getQueueSize()).toBe(3);
    expect(output.readKeyValue()).toEqual(['a', 1]);
    expect(output.readKeyValuesToMap()).toEqual(new Map([['b', 2]]));
    expect(output.isEmpty()).toBe(true);
    expect(() => output.readRecord()).toThrow(/no more records in topic 'out'/);
    const raw = driver.createOutputTopic<string, Buffer>('out', { valueSerde: Serdes.buffer() });
    expect(raw.readValue()).toHaveLength(8);
  });

  it('rejects input to a topic the topology does not read, and a store it does not have', () => {
    using driver = new TopologyTestDriver(countTopology());
    expect(() => driver.createInputTopic('nope').pipeInput('a', 1)).toThrow(/topic 'nope' is not read by this topology \(it reads events\)/);
    expect(() => driver.getKeyValueStore('nope')).toThrow(StreamsError);
    expect(() => driver.getKeyValueStore('nope')).toThrow(/no store named 'nope' \(stores: counts\)/);
  });

  it('sums metrics over tasks and drops records with an invalid (negative) timestamp', () => {
    using driver = new TopologyTestDriver(countTopology(), { partitions: { events: 2 } });
    const input = driver.createInputTopic<string, number>('events');
    input.pipeInput('a', 1, 1);
    input.pipeInput('b', 1, -5);
    input.pipeInput(null, 1, 2);
    expect(driver.metrics()).toEqual({
      consumed: 3,
      processed: 2, // the record with an invalid timestamp never reaches the topology
      droppedRecords: 2,
      droppedByReason: { 'invalid-timestamp': 1, 'null-key': 1 },
    });
    expect(driver.getKeyValueStore('counts').all()).toEqual([['a', 1]]);
  });

  it('closes its tasks: stores are emptied', () => {
    const driver = new TopologyTestDriver(countTopology());
    driver.createInputTopic<string, number>('events').pipeInput('a', 1);
    const store = driver.getKeyValueStore('counts');
    expect(store.approximateNumEntries()).toBe(1);
    driver.close();
    expect(store.approximateNumEntries()).toBe(0);
  });
});
