/**
 * (a) filter -> mapValues -> to, through the TopologyTestDriver (the in-memory engine):
 * records per second, with JSON serdes and without (Serdes.passthrough() on source and sink).
 */
import { Serdes, StreamsBuilder, type Serde } from '@tributary/core';
import type { BenchResult } from './harness';
import { benchThroughDriver, type SerdeVariant } from './driverBench';

interface Interaction {
  id: number;
  amount: number;
}

function topology(serde: SerdeVariant) {
  const builder = new StreamsBuilder();
  const serdes = serde === 'json' ? {} : { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough<Interaction>() };
  builder
    .stream<string, Interaction>('interactions', serdes)
    .filter((_customer, interaction) => interaction.amount % 4 !== 0)
    .mapValues((interaction) => ({ id: interaction.id, doubled: interaction.amount * 2 }))
    .to('doubled', serde === 'json' ? {} : { keySerde: Serdes.passthrough<string>(), valueSerde: Serdes.passthrough() as Serde<{ id: number; doubled: number }> });
  return builder.build();
}

export function benchStatelessPipeline(options: { records: number; runs: number; warmups: number }): Promise<BenchResult[]> {
  return benchThroughDriver(
    {
      benchmark: '(a) filter -> mapValues -> to',
      target: 1_000_000,
      inputTopic: 'interactions',
      topology,
      input: (i) => [`customer-${i % 10_000}`, { id: i, amount: i % 1_000 } satisfies Interaction],
      check: (driver, records) => {
        const written = driver.topics.written('doubled').length;
        if (written !== records - Math.ceil(records / 4)) throw new Error(`expected 3/4 of the records out, got ${written}`);
      },
    },
    options,
  );
}
