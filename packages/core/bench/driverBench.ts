/**
 * What benchmarks (a) and (b) share: a topology run through the TopologyTestDriver once per
 * serde variant, inputs prepared before the clock starts (JSON ones as the bytes a broker
 * would hand over), records per second as the median of the runs.
 */
import { silentLogger, type Topology } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { median, recordsPerSecond, type BenchResult } from './harness';

export type SerdeVariant = 'passthrough' | 'json';

export interface DriverBench {
  readonly benchmark: string;
  /** Records/s the no-serdes variant should reach on one core. */
  readonly target: number;
  readonly inputTopic: string;
  topology(serde: SerdeVariant): Topology;
  /** Input record `i` as objects (passthrough); JSON variants serialize them. */
  input(i: number): readonly [key: string, value: unknown];
  /** Throws when a run did not produce what it should: a benchmark that computes nothing measures nothing. */
  check(driver: TopologyTestDriver, records: number): void;
}

export async function benchThroughDriver(bench: DriverBench, options: { records: number; runs: number; warmups: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const serde of ['passthrough', 'json'] as const) {
    const built = bench.topology(serde);
    const keys: unknown[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < options.records; i++) {
      const [key, value] = bench.input(i);
      keys.push(serde === 'json' ? Buffer.from(key) : key);
      values.push(serde === 'json' ? Buffer.from(JSON.stringify(value)) : value);
    }
    const { cpu: runs, wall: wallRuns } = await recordsPerSecond(
      options.records,
      () => {
        using driver = new TopologyTestDriver(built, { logger: silentLogger, initialWallClockTime: 0 });
        const input = driver.createInputTopic(bench.inputTopic);
        for (let i = 0; i < options.records; i++) input.pipeRaw(keys[i] as Buffer, values[i] as Buffer, i);
        bench.check(driver, options.records);
      },
      options,
    );
    results.push({
      benchmark: bench.benchmark,
      variant: serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)',
      value: median(runs),
      unit: 'records/s',
      runs,
      wallRuns,
      better: 'higher',
      ...(serde === 'passthrough' ? { target: bench.target } : {}),
    });
  }
  return results;
}
