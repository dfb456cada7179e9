/**
 * (b) groupByKey -> count over 100,000 keys, through the TopologyTestDriver: records per
 * second, the store logged to its changelog, with JSON serdes and without.
 */
import { Serdes, StreamsBuilder } from '@tributary/core';
import type { BenchResult } from './harness';
import { benchThroughDriver, type SerdeVariant } from './driverBench';

export const KEYS = 100_000;

function topology(serde: SerdeVariant) {
  const builder = new StreamsBuilder();
  const passthrough = { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<number>() };
  builder
    .stream<string, number>('purchases', serde === 'json' ? {} : passthrough)
    .groupByKey()
    .count({ name: 'purchase-count', ...(serde === 'json' ? {} : passthrough) });
  return builder.build();
}

export function benchGroupByKeyCount(options: { records: number; runs: number; warmups: number }): Promise<BenchResult[]> {
  return benchThroughDriver(
    {
      benchmark: `(b) groupByKey -> count, ${KEYS.toLocaleString('en-US')} keys`,
      target: 300_000,
      inputTopic: 'purchases',
      topology,
      input: (i) => [`customer-${i % KEYS}`, i % 100],
      check: (driver, records) => {
        const store = driver.getKeyValueStore<string, number>('purchase-count');
        if (store.approximateNumEntries() !== Math.min(KEYS, records)) throw new Error('wrong number of keys in the store');
      },
    },
    options,
  );
}
