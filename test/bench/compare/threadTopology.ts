// The topology module of tributaryApp.ts with `--stream-threads` above 1: each stream thread
// imports it and builds its own copy of the variant named in the environment (BENCH_VARIANT,
// BENCH_INPUT, BENCH_OUTPUT, BENCH_TABLE, set by tributaryApp.ts before the threads start).
import type { Topology } from '@tributary/core';
import { tributaryTopology, type Variant } from './topologies';

export default function threadTopology(): Topology {
  const { BENCH_VARIANT, BENCH_INPUT, BENCH_OUTPUT, BENCH_TABLE } = process.env;
  return tributaryTopology(BENCH_VARIANT as Variant, { input: BENCH_INPUT!, output: BENCH_OUTPUT!, table: BENCH_TABLE ?? '' });
}
