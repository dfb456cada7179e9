import { StreamsBuilder, Stores } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { describe, expect, it } from 'vitest';
import { internalTopicSpecs } from '../src/topics/InternalTopics';

/** A count behind a repartition topic: one repartition topic and one changelog. */
function specs(replicationFactor: number) {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { page: string }>('clicks')
    .groupBy((_k, v) => v.page)
    .count({ name: 'per-page' });
  const topology = builder.build();
  return internalTopicSpecs(topology, planPartitions(topology, () => 4), 'app', replicationFactor);
}

describe('internalTopicSpecs', () => {
  it('asks for two in-sync replicas when the topics have three replicas or more', () => {
    for (const spec of specs(3)) expect(spec.config['min.insync.replicas'], spec.name).toBe('2');
    expect(specs(3).map((s) => [s.kind, s.config['cleanup.policy']])).toEqual([
      ['repartition', 'delete'],
      ['changelog', 'compact'],
    ]);
  });

  it('keeps a versioned store\'s changelog compacted, with a compaction lag of the history retention plus a day', () => {
    const builder = new StreamsBuilder();
    builder.table('rates', { store: Stores.versionedKeyValueStore('rates', { historyRetention: '1h' }) });
    const topology = builder.build();
    const [changelog] = internalTopicSpecs(topology, planPartitions(topology, () => 2), 'app', 1);
    expect(changelog).toMatchObject({ name: 'app-rates-changelog', kind: 'changelog', partitions: 2 });
    expect(changelog!.config).toEqual({ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(3_600_000 + 86_400_000) });
  });

  it('leaves min.insync.replicas to the broker with two replicas, one, or the broker’s default replication factor', () => {
    for (const replicationFactor of [2, 1, -1]) {
      for (const spec of specs(replicationFactor)) expect(spec.config['min.insync.replicas'], `${spec.name}, replication ${replicationFactor}`).toBeUndefined();
    }
  });
});
