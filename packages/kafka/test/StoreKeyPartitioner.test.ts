import { Serdes, StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { KafkaStreams } from '../src';
import { FakeKafka } from './fakes/FakeKafka';
import { app, until } from './fakes/fakeApp';

/**
 * `metadataForKey` must name the partition the runtime put the key in: for every key the
 * application processed, the partition of the topic its store's task read it from.
 */
async function expectPartitionsOfRecords(streams: KafkaStreams, kafka: FakeKafka, topic: string, store: string, decodeKey: (key: Buffer) => unknown): Promise<number> {
  const records = (kafka.logs.get(topic) ?? []).flat();
  expect(records.length).toBeGreaterThan(0);
  for (const { key, partition } of records) {
    expect(streams.metadataForKey(store, decodeKey(key!))).toMatchObject({ partition, activeHost: { host: 'self', port: 1 } });
  }
  return new Set(records.map((r) => r.partition)).size;
}

describe('the partition of a store key', () => {
  it('of a store fed by a user topic: murmur2 of the key as the source key serde writes it', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('events', 4);
    for (let i = 0; i < 40; i++) kafka.append('events', `user-${i}`, { n: i });
    await using streams = app(kafka, (b) => b.stream<string, { n: number }>('events').groupByKey().count({ name: 'counts' }), { applicationServer: 'self:1' });
    await streams.start();
    await until(() => streams.metrics().processed === 40, 'the records processed');
    const partitions = await expectPartitionsOfRecords(streams, kafka, 'events', 'counts', (k) => k.toString());
    expect(partitions).toBe(4);
    const meta = streams.metadataForKey('counts', 'user-7')!;
    expect(meta.taskId).toBe(`0_${meta.partition}`);
  });

  it('of a store behind a repartition topic: as the repartition sink placed each key, string and number keys alike', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('views', 3);
    for (let i = 0; i < 60; i++) kafka.append('views', `v${i}`, { page: `page-${i % 13}`, size: i % 7 });
    const build = (b: StreamsBuilder) => {
      const views = b.stream<string, { page: string; size: number }>('views');
      views.groupBy((_k, v) => v.page).count({ name: 'per-page' });
      views.groupBy((_k, v) => v.size).count({ name: 'per-size' });
    };
    await using streams = app(kafka, build, { applicationServer: 'self:1' });
    await streams.start();
    await until(() => streams.metrics().processed >= 180, 'the records processed through both repartitions');
    const topics = [...kafka.logs.keys()].filter((t) => t.endsWith('-repartition')).sort();
    expect(topics).toHaveLength(2);
    // The string keys travel as JSON but are placed as the default key serde (string) writes them.
    const pages = await expectPartitionsOfRecords(streams, kafka, topics[0]!, 'per-page', (k) => JSON.parse(k.toString()));
    // Number keys: the string serde cannot write them, so they are placed by their JSON bytes.
    const sizes = await expectPartitionsOfRecords(streams, kafka, topics[1]!, 'per-size', (k) => JSON.parse(k.toString()));
    expect(pages).toBeGreaterThan(1);
    expect(sizes).toBeGreaterThan(1);
  });

  it("of a store behind a repartition with a declared key serde or a partitioner: the sink's choice", async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('readings', 4);
    for (let i = 0; i < 40; i++) kafka.append('readings', `r${i}`, { sensor: i % 9 });
    const build = (b: StreamsBuilder) => {
      const readings = b.stream<string, { sensor: number }>('readings');
      readings.groupBy((_k, v) => v.sensor, { name: 'by-sensor', keySerde: Serdes.number() }).count({ name: 'per-sensor' });
      readings
        .selectKey((_k, v) => `s${v.sensor}`)
        .repartition({ name: 'evens-first', partitioner: (_t, key) => (Number(key.slice(1)) % 2 === 0 ? 0 : 3) })
        .groupByKey()
        .count({ name: 'per-parity' });
    };
    await using streams = app(kafka, build, { applicationServer: 'self:1' });
    await streams.start();
    await until(() => streams.metrics().processed >= 120, 'the records processed');
    const number = Serdes.number();
    await expectPartitionsOfRecords(streams, kafka, 'app-by-sensor-repartition', 'per-sensor', (k) => number.deserialize('t', k));
    expect(streams.metadataForKey('per-parity', 's4')!.partition).toBe(0);
    expect(streams.metadataForKey('per-parity', 's5')!.partition).toBe(3);
    await expectPartitionsOfRecords(streams, kafka, 'app-evens-first-repartition', 'per-parity', (k) => JSON.parse(k.toString()));
  });

  it('tells an unknown store from a key its serde cannot write', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('events', 2);
    await using streams = app(kafka, (b) => b.stream<string, unknown>('events').groupByKey().count({ name: 'counts' }), { applicationServer: 'self:1' });
    expect(streams.metadataForKey('counts', 'a')).toBeUndefined(); // not started
    await streams.start();
    await until(() => streams.metadataForKey('counts', 'a') !== undefined, 'the assignment');
    expect(() => streams.metadataForKey('count', 'a')).toThrow("no store named 'count'; the topology's queryable stores: counts");
    expect(() => streams.metadataForKey('counts', 42)).toThrow(/the key 42 cannot be serialized with the string serde of topic 'events'/);
    expect(streams.metadataForKey('counts', 42, Serdes.json())).toMatchObject({ activeHost: { host: 'self', port: 1 } });
  });
});
