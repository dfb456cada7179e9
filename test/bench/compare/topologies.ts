// Tributary's side of each variant of `pnpm bench:compare`; the Java twins are in
// tools/kafka-streams-bench/src/main/java/KafkaStreamsBench.java (`topology`), and for `crm` in
// its crm/ package (CrmTopology.java).
import { Serdes, StreamsBuilder, TimeWindows, type Topology } from '@tributary/core';
import type { KafkaStreamsOptions } from '@tributary/kafka';
import { crmApplicationOptions, crmTopology } from './crmVariant';
import { enrich, keep, slim, type Customer, type Interaction } from './workload';

/**
 * The variants of the benchmark; `exactly-once` is the stateless topology in transactions;
 * `crm` is the CRM application of packages/examples on the Online Retail data (crmVariant.ts).
 */
export type Variant = 'stateless' | 'windowed' | 'join' | 'exactly-once' | 'crm';
export const VARIANTS: readonly Variant[] = ['stateless', 'windowed', 'join', 'exactly-once', 'crm'];

/** Whether `variant` reads the synthetic interactions (workload.ts), so it also has a latency run at a fixed rate; `crm` reads the Online Retail data set. */
export const readsSyntheticInput = (variant: Variant): boolean => variant !== 'crm';

/**
 * Whether a run of `variant` writes in transactions (Tributary's `exactly_once`, Kafka Streams'
 * `exactly_once_v2`): its output's log-end offsets then count transaction markers too, so the
 * harness times it by committed input offsets and counts its output with a read_committed reader.
 */
export const isTransactional = (variant: Variant): boolean => variant === 'exactly-once';

/** The topics one run reads and writes. */
export interface VariantTopics {
  input: string;
  /** The output topic (`crm`: the prefix of its three, see `crmOutputTopics`). */
  output: string;
  /** The customers table (join only). */
  table: string;
}

const strings = Serdes.string();

/** `variant` as a Tributary topology: string keys and JSON values, as in the Java app. */
export function tributaryTopology(variant: Variant, topics: VariantTopics): Topology {
  if (variant === 'crm') return crmTopology(topics);
  const builder = new StreamsBuilder();
  const interactions = builder.stream<string, Interaction>(topics.input, { keySerde: strings, valueSerde: Serdes.json<Interaction>() });
  switch (variant) {
    case 'stateless':
    case 'exactly-once':
      interactions.filter((_k, v) => keep(v)).mapValues(slim).to(topics.output, { keySerde: strings, valueSerde: Serdes.json() });
      break;
    case 'windowed':
      interactions
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))
        .count({ name: 'interactions-per-minute' })
        .toStream()
        .map((windowed, count): [string, number] => [`${windowed.key}@${windowed.window.start}`, count])
        .to(topics.output, { keySerde: strings, valueSerde: Serdes.json() });
      break;
    case 'join': {
      const customers = builder.table<string, Customer>(topics.table, { name: 'customers', keySerde: strings, valueSerde: Serdes.json<Customer>() });
      interactions.leftJoin(customers, (i, c) => enrich(i, c)).to(topics.output, { keySerde: strings, valueSerde: Serdes.json() });
      break;
    }
  }
  return builder.build();
}

/** Options `variant`'s Tributary application takes beyond the harness's: `crm` the CRM demo's (error handlers, so in each stream thread). */
export function tributaryOptions(variant: Variant): Partial<KafkaStreamsOptions> {
  return variant === 'crm' ? crmApplicationOptions() : {};
}

/**
 * Records a run of `variant` writes for `records` inputs when every update is emitted (no record
 * cache); `crm`: not known beforehand (0), its runs end when the application has drained its input.
 */
export function expectedOutputs(variant: Variant, records: number, kept: number): number {
  if (variant === 'crm') return 0;
  return variant === 'stateless' || variant === 'exactly-once' ? kept : records;
}
