/**
 * Issue 12, item 5, first figure: `keys` customer profiles written into one LMDB key-value
 * store through the store interface (`lmdbStores.open(...)`, `put`, `flush`), then every key
 * read back with `get` in a scattered order; write and read rates, CPU seconds per million,
 * and the largest V8 heap in use. The same store type in memory (`Stores.keyValueStore(...)
 * .create()`) for comparison, at `memoryKeys`. No broker; no changelog (the store is not logged).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stores, type KeyValueStore, type PersistentStore } from '@tributary/core';
import { lmdbStores } from '@tributary/lmdb';
import { collectGarbage } from '../../../packages/core/bench/harness';
import { BASE_TIME, customer, profile, scattered, type Profile } from './profiles';
import { HeapWatermark, cpuPerMillion, measure, mebibytes, rate, without, type Figure, type Phase } from './measure';

export interface KeyValueStoreBenchOptions {
  /** Keys written into the LMDB store per run. */
  readonly keys: number;
  /** Keys written into the in-memory store per run. */
  readonly memoryKeys: number;
  readonly runs: number;
  /** Called before each run, with what it is about to do. */
  readonly onRun?: (what: string) => void;
}

interface Run {
  readonly write: Phase;
  readonly read: Phase;
  readonly peakHeapBytes: number;
  readonly peakLiveHeapBytes: number;
  readonly diskBytes?: number;
}

/**
 * Writes then reads every key. `liveEvery`: operations between forced collections that
 * measure the live heap (their time is left out of the phases); a live heap is measured after
 * each phase too, outside it.
 */
async function runOnce(store: KeyValueStore<string, Profile> & { flush?: () => Promise<void> }, keys: number, liveEvery: number): Promise<Run> {
  const heap = new HeapWatermark();
  heap.sample();
  const before = { ...heap.spent };
  const write = await measure(async () => {
    for (let i = 0; i < keys; i++) {
      store.put(customer(i), profile(i), BASE_TIME + i);
      if (i % 1_000 === 0) heap.sample();
      if (i % liveEvery === liveEvery - 1) heap.sampleLive();
    }
    await store.flush?.();
  });
  const writeCollections = { wallSeconds: heap.spent.wallSeconds - before.wallSeconds, cpuSeconds: heap.spent.cpuSeconds - before.cpuSeconds };
  heap.sampleLive();
  const afterWrite = { ...heap.spent };
  const read = await measure(() => {
    let orders = 0;
    for (let i = 0; i < keys; i++) {
      const n = scattered(i, keys);
      const found = store.get(customer(n));
      if (found?.orders !== n % 97) throw new Error(`${customer(n)}: read ${JSON.stringify(found)}, wrote ${JSON.stringify(profile(n))}`);
      orders += found.orders;
      if (i % 1_000 === 0) heap.sample();
      if (i % liveEvery === liveEvery - 1) heap.sampleLive();
    }
    return orders;
  });
  const readCollections = { wallSeconds: heap.spent.wallSeconds - afterWrite.wallSeconds, cpuSeconds: heap.spent.cpuSeconds - afterWrite.cpuSeconds };
  heap.sampleLive();
  // The forced collections measure the heap; they are not the store's work.
  return { write: without(write.phase, writeCollections), read: without(read.phase, readCollections), peakHeapBytes: heap.peakBytes, peakLiveHeapBytes: heap.livePeakBytes };
}

async function lmdbRun(keys: number): Promise<Run> {
  const directory = mkdtempSync(join(tmpdir(), 'tributary-bench-kv-'));
  try {
    collectGarbage();
    const store = lmdbStores.open(Stores.keyValueStore('profiles'), join(directory, 'profiles'), undefined) as PersistentStore & KeyValueStore<string, Profile>;
    const run = await runOnce(store, keys, 1_000_000);
    store.close();
    return { ...run, diskBytes: statSync(join(directory, 'profiles', 'data.mdb')).size };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function memoryRun(keys: number): Promise<Run> {
  collectGarbage();
  const store = Stores.keyValueStore('profiles').create(undefined) as unknown as KeyValueStore<string, Profile>;
  // Full collections of a heap of gigabytes would take seconds each: the live heap is measured after each phase only.
  const run = await runOnce(store, keys, Number.POSITIVE_INFINITY);
  store.close();
  return run;
}

/** Runs LMDB and in-memory alternately, `runs` times each. */
export async function benchKeyValueStore(options: KeyValueStoreBenchOptions): Promise<Figure[]> {
  const lmdb: Run[] = [];
  const memory: Run[] = [];
  for (let run = 1; run <= options.runs; run++) {
    options.onRun?.(`LMDB, ${options.keys.toLocaleString('en-US')} keys, run ${run}`);
    lmdb.push(await lmdbRun(options.keys));
    report(lmdb.at(-1)!, options.keys);
    options.onRun?.(`in memory, ${options.memoryKeys.toLocaleString('en-US')} keys, run ${run}`);
    memory.push(await memoryRun(options.memoryKeys));
    report(memory.at(-1)!, options.memoryKeys);
  }
  return [...figures(`${options.keys.toLocaleString('en-US')} keys in a key-value store`, 'LMDB', lmdb, options.keys, true), ...figures(`${options.memoryKeys.toLocaleString('en-US')} keys in a key-value store`, 'in memory', memory, options.memoryKeys, false)];
}

function figures(benchmark: string, variant: string, runs: readonly Run[], keys: number, targets: boolean): Figure[] {
  const loads = (phase: (r: Run) => Phase) => runs.map((r) => phase(r).load);
  return [
    { benchmark: `${benchmark}: write (put, then flush)`, variant, unit: 'records/s', runs: runs.map((r) => rate(keys, r.write)), loads: loads((r) => r.write) },
    { benchmark: `${benchmark}: write (put, then flush)`, variant, unit: 'CPU-s/M', runs: runs.map((r) => cpuPerMillion(keys, r.write)), loads: loads((r) => r.write) },
    { benchmark: `${benchmark}: read every key (get)`, variant, unit: 'records/s', runs: runs.map((r) => rate(keys, r.read)), loads: loads((r) => r.read) },
    { benchmark: `${benchmark}: read every key (get)`, variant, unit: 'CPU-s/M', runs: runs.map((r) => cpuPerMillion(keys, r.read)), loads: loads((r) => r.read) },
    {
      benchmark: `${benchmark}: peak live V8 heap (after full GCs)`,
      variant,
      unit: 'MiB',
      runs: runs.map((r) => mebibytes(r.peakLiveHeapBytes)),
      loads: loads((r) => r.read),
      ...(targets ? { target: { better: 'lower' as const, value: 100 } } : {}),
    },
    { benchmark: `${benchmark}: peak V8 heapUsed sampled (every 1,000 operations, garbage included)`, variant, unit: 'MiB', runs: runs.map((r) => mebibytes(r.peakHeapBytes)), loads: loads((r) => r.read) },
  ];
}

function report(run: Run, keys: number): void {
  const line = (what: string, phase: Phase) =>
    `${what} ${Math.round(rate(keys, phase)).toLocaleString('en-US')} records/s, ${cpuPerMillion(keys, phase).toFixed(2)} CPU-s/M (${phase.wallSeconds.toFixed(1)} s, load ${phase.load.toFixed(1)})`;
  console.log(`    ${line('write', run.write)}; ${line('read', run.read)}; peak heap ${mebibytes(run.peakLiveHeapBytes).toFixed(1)} MiB live, ${mebibytes(run.peakHeapBytes).toFixed(1)} MiB sampled${run.diskBytes ? `; data.mdb ${mebibytes(run.diskBytes).toFixed(0)} MiB` : ''}`);
}
