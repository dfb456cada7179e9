/**
 * (a) filter -> mapValues -> to, through the TopologyTestDriver (the in-memory engine):
 * records per second, with JSON serdes and without (Serdes.passthrough() on source and sink).
 */
import { Serdes, StreamsBuilder, silentLogger, type Serde } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { median, recordsPerSecond, type BenchResult } from './harness';

interface Interaction {
  id: number;
  amount: number;
}

function topology(serde: 'json' | 'passthrough') {
  const builder = new StreamsBuilder();
  const serdes = serde === 'json' ? {} : { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<Interaction>() };
  builder
    .stream<string, Interaction>('interactions', serdes)
    .filter((_customer, interaction) => interaction.amount % 4 !== 0)
    .mapValues((interaction) => ({ id: interaction.id, doubled: interaction.amount * 2 }))
    .to('doubled', serde === 'json' ? {} : { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough() as Serde<{ id: number; doubled: number }> });
  return builder.build();
}

export async function benchStatelessPipeline(options: { records: number; runs: number; warmups: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const serde of ['passthrough', 'json'] as const) {
    const built = topology(serde);
    // Inputs are prepared outside the timed part: JSON ones as the bytes a broker would hand over.
    const keys: unknown[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < options.records; i++) {
      const key = `customer-${i % 10_000}`;
      const value: Interaction = { id: i, amount: i % 1_000 };
      keys.push(serde === 'json' ? Buffer.from(key) : key);
      values.push(serde === 'json' ? Buffer.from(JSON.stringify(value)) : value);
    }
    const { cpu: runs, wall: wallRuns } = await recordsPerSecond(
      options.records,
      () => {
        using driver = new TopologyTestDriver(built, { logger: silentLogger, initialWallClockTime: 0 });
        const input = driver.createInputTopic('interactions');
        for (let i = 0; i < options.records; i++) input.pipeRaw(keys[i] as Buffer, values[i] as Buffer, i);
        const written = driver.topics.written('doubled').length;
        if (written !== options.records - Math.ceil(options.records / 4)) throw new Error(`expected 3/4 of the records out, got ${written}`);
      },
      options,
    );
    results.push({
      benchmark: '(a) filter -> mapValues -> to',
      variant: serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)',
      value: median(runs),
      unit: 'records/s',
      runs,
      wallRuns,
      better: 'higher',
      ...(serde === 'passthrough' ? { target: 1_000_000 } : {}),
    });
  }
  return results;
}
