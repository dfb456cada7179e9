// The topology module of tributaryApp.ts with `--stream-threads` above 1: each stream thread
// imports it and builds its own copy of the variant named in the environment (BENCH_VARIANT,
// BENCH_INPUT, BENCH_OUTPUT, BENCH_TABLE, set by tributaryApp.ts before the threads start).
// A variant with options that cannot cross to a worker thread (error handlers: `crm`) returns
// them with its topology.
import type { ThreadTopology } from '@tributary/kafka';
import { tributaryOptions, tributaryTopology, type Variant } from './topologies';

export default function threadTopology(): ThreadTopology {
  const { BENCH_VARIANT, BENCH_INPUT, BENCH_OUTPUT, BENCH_TABLE } = process.env;
  const variant = BENCH_VARIANT as Variant;
  const topology = tributaryTopology(variant, { input: BENCH_INPUT!, output: BENCH_OUTPUT!, table: BENCH_TABLE ?? '' });
  const options = tributaryOptions(variant);
  return Object.keys(options).length > 0 ? { topology, options } : topology;
}
