import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Interaction {
  customer: string;
  amount: number;
}

describe('KStream.mapValues', () => {
  it('replaces the value with mapper(value, key), key untouched', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .mapValues((interaction, key) => `${key}:${interaction.amount * 2}`)
      .to('doubled', { valueSerde: Serdes.string() });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('c1', { customer: 'c1', amount: 21 }, 7, { h: 'v' });
    const [record] = driver.createOutputTopic<string, string>('doubled').readRecordsToList();
    expect(record).toMatchObject({ key: 'c1', value: 'c1:42', timestamp: 7, headers: { h: 'v' } });
  });

  it('does not mark the stream for repartitioning: groupByKey stays in the same sub-topology', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .mapValues((i) => i.amount)
      .groupByKey()
      .reduce((sum, amount) => sum + amount, { name: 'spend' });
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(1);
    expect(topology.internalTopics().map((t) => t.name)).toEqual(['spend-changelog']);
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('c1', { customer: 'c1', amount: 10 });
    input.pipeInput('c1', { customer: 'c1', amount: 5 });
    expect(driver.getKeyValueStore<string, number>('spend').get('c1')).toBe(15);
  });

  it('keeps the source value serde only while the value type is unchanged: the sink falls back to JSON', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('words', { valueSerde: Serdes.string() })
      .mapValues((word) => ({ word, length: word.length }))
      .to('lengths');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic('words').pipeInput('k', 'tributary');
    const stored = driver.topics.written('lengths')[0]!;
    expect(stored.value?.toString()).toBe('{"word":"tributary","length":9}');
  });

  it('can map to null (a tombstone downstream)', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValues((v) => (v > 0 ? v : null))
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 0);
    const stored = driver.topics.written('out')[0]!;
    expect(stored.value).toBeNull();
  });
});
