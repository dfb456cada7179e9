import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Profile {
  name: string;
  tier: string;
}

describe('KStream.toTable', () => {
  it('keeps the latest value per key; a null value deletes the key', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Profile>('profiles').toTable({ name: 'profiles-table' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Profile>('profiles');
    input.pipeInput('c1', { name: 'Ann', tier: 'silver' }, 1);
    input.pipeInput('c2', { name: 'Bob', tier: 'gold' }, 2);
    input.pipeInput('c1', { name: 'Ann', tier: 'gold' }, 3);
    const store = driver.getKeyValueStore<string, Profile>('profiles-table');
    expect(store.get('c1')).toEqual({ name: 'Ann', tier: 'gold' });
    expect(store.getWithTimestamp('c1')?.timestamp).toBe(3);
    input.pipeInput('c2', null, 4);
    expect(store.get('c2')).toBeUndefined();
    expect(store.all()).toEqual([['c1', { name: 'Ann', tier: 'gold' }]]);
    expect(store.approximateNumEntries()).toBe(1);
  });

  it('forwards every update downstream; toStream() shows tombstones as null values', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Profile>('profiles').toTable().toStream().to('updates');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Profile>('profiles');
    input.pipeInput('c1', { name: 'Ann', tier: 'silver' });
    input.pipeInput('c1', null);
    input.pipeInput('c1', { name: 'Ann', tier: 'gold' });
    expect(driver.createOutputTopic<string, Profile | null>('updates').readKeyValuesToList()).toEqual([
      ['c1', { name: 'Ann', tier: 'silver' }],
      ['c1', null],
      ['c1', { name: 'Ann', tier: 'gold' }],
    ]);
  });

  it('logs every write, deletes as tombstones, to the <applicationId>-<store>-changelog topic (JSON when no serde was declared)', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, number>('levels').toTable({ name: 'levels' });
    using driver = new TopologyTestDriver(builder.build(), { applicationId: 'crm' });
    const input = driver.createInputTopic<string, number>('levels');
    input.pipeInput('a', 1);
    input.pipeInput('a', null);
    const changelog = driver.topics.written('crm-levels-changelog');
    expect(changelog.map((r) => [r.key?.toString(), r.value?.toString() ?? null])).toEqual([
      ['"a"', '1'],
      ['"a"', null],
    ]);
  });

  it('can turn logging off', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, number>('levels').toTable({ name: 'levels', store: { logging: false } });
    const topology = builder.build();
    expect(topology.internalTopics()).toEqual([]);
  });

  it('drops records with a null key, counting them', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, number>('levels').toTable({ name: 'levels' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('levels');
    input.pipeInput(null, 1);
    expect(driver.getKeyValueStore('levels').approximateNumEntries()).toBe(0);
    expect(driver.metrics().droppedByReason['null-key']).toBe(1);
  });

  it('repartitions first when the key changed, through a topic named after the processor (as Kafka Streams)', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Profile>('profiles')
      .selectKey((_id, p) => p.name)
      .toTable();
    const topology = builder.build();
    // KEY-SELECT 1, TOTABLE 2, its store 3, then sink 4, filter 5, source 6.
    expect(topology.internalTopics().map((t) => t.name)).toEqual(['KSTREAM-TOTABLE-0000000002-repartition', 'KSTREAM-TOTABLE-STATE-STORE-0000000003-changelog']);
    using driver = new TopologyTestDriver(topology, { partitions: { profiles: 2 } });
    const input = driver.createInputTopic<string, Profile>('profiles');
    input.pipeInput('1', { name: 'Ann', tier: 'a' });
    input.pipeInput('2', { name: 'Ann', tier: 'b' });
    input.pipeInput('3', { name: 'Bob', tier: 'c' });
    const store = driver.getKeyValueStore<string, Profile>('KSTREAM-TOTABLE-STATE-STORE-0000000003');
    expect(store.get('Ann')).toEqual({ name: 'Ann', tier: 'b' });
    expect(store.all().map(([k]) => k)).toEqual(['Ann', 'Bob']);
  });

  it('is exposed by queryableStoreName()', () => {
    const builder = new StreamsBuilder();
    const table = builder.stream('in').toTable({ name: 'tbl' });
    expect(table.queryableStoreName()).toBe('tbl');
  });
});
