/**
 * (b) groupByKey -> count over 100,000 keys, through the TopologyTestDriver: records per
 * second, the store logged to its changelog, with JSON serdes and without.
 */
import { Serdes, StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { median, recordsPerSecond, type BenchResult } from './harness';

export const KEYS = 100_000;

function topology(serde: 'json' | 'passthrough') {
  const builder = new StreamsBuilder();
  const passthrough = { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<number>() };
  builder
    .stream<string, number>('purchases', serde === 'json' ? {} : passthrough)
    .groupByKey()
    .count({ name: 'purchase-count', ...(serde === 'json' ? {} : passthrough) });
  return builder.build();
}

export async function benchGroupByKeyCount(options: { records: number; runs: number; warmups: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const serde of ['passthrough', 'json'] as const) {
    const built = topology(serde);
    const keys: unknown[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < options.records; i++) {
      const key = `customer-${i % KEYS}`;
      keys.push(serde === 'json' ? Buffer.from(key) : key);
      values.push(serde === 'json' ? Buffer.from(String(i % 100)) : i % 100);
    }
    const { cpu: runs, wall: wallRuns } = await recordsPerSecond(
      options.records,
      () => {
        using driver = new TopologyTestDriver(built, { logger: silentLogger, initialWallClockTime: 0 });
        const input = driver.createInputTopic('purchases');
        for (let i = 0; i < options.records; i++) input.pipeRaw(keys[i] as Buffer, values[i] as Buffer, i);
        const store = driver.getKeyValueStore<string, number>('purchase-count');
        if (store.approximateNumEntries() !== Math.min(KEYS, options.records)) throw new Error('wrong number of keys in the store');
      },
      options,
    );
    results.push({
      benchmark: `(b) groupByKey -> count, ${KEYS.toLocaleString('en-US')} keys`,
      variant: serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)',
      value: median(runs),
      unit: 'records/s',
      runs,
      wallRuns,
      better: 'higher',
      ...(serde === 'passthrough' ? { target: 300_000 } : {}),
    });
  }
  return results;
}
