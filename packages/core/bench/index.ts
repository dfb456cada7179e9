/**
 * `pnpm bench`: in-memory throughput and heap figures for @tributary/core (design issue 2,
 * item 10). Runs each benchmark several times and prints medians; the machine is shared, so
 * read single runs with care. Not a test: nothing here fails a build.
 *
 *   pnpm bench                    all benchmarks, default sizes
 *   pnpm bench -- --quick         smaller sizes, fewer runs (a smoke run)
 *   pnpm bench -- --only=a,b,c    a subset
 */
import { benchGroupByKeyCount } from './groupByKeyCount';
import { benchKeyValueStoreHeap } from './keyValueStoreHeap';
import { benchStatelessPipeline } from './statelessPipeline';
import { benchStreamTableJoin } from './streamTableJoin';
import { benchWindowedCount } from './windowedCount';
import { hasGc, machineNote, median, table, type BenchResult } from './harness';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (id: string) => !only || only.includes(id);
const runs = quick ? 3 : 5;
const warmups = quick ? 1 : 2;

async function main(): Promise<void> {
  console.log(`Tributary core benchmarks — ${machineNote()}`);
  if (!hasGc()) console.log('note: run with --expose-gc (as `pnpm bench` does) for steadier figures and heap baselines');
  const results: BenchResult[] = [];
  const run = async (id: string, label: string, bench: () => Promise<BenchResult[]>) => {
    if (!wanted(id)) return;
    process.stdout.write(`running ${label} ...`);
    const started = Date.now();
    const produced = await bench();
    console.log(` ${((Date.now() - started) / 1000).toFixed(1)}s`);
    results.push(...produced);
  };
  await run('a', '(a) filter -> mapValues -> to', () => benchStatelessPipeline({ records: quick ? 200_000 : 1_000_000, runs, warmups }));
  await run('b', '(b) groupByKey -> count', () => benchGroupByKeyCount({ records: quick ? 300_000 : 1_000_000, runs, warmups }));
  await run('c', '(c) key-value store heap', () => benchKeyValueStoreHeap({ keys: quick ? 200_000 : 1_000_000, runs: quick ? 1 : 3 }));
  await run('windowed', 'benchWindowedCount', () => contributed('benchWindowedCount', benchWindowedCount));
  await run('join', 'benchStreamTableJoin', () => contributed('benchStreamTableJoin', benchStreamTableJoin));
  console.log(`\n${table(results)}`);
}

type ContributedBench = (options: { serde: 'none' | 'json'; quick: boolean; records?: number; runs: number; warmups: number }) => unknown;

/**
 * Runs the windows and joins benchmarks, which measure in their own way, for both serde
 * variants. One may return BenchResult(s) with their own runs, or one run's
 * `{ recordsPerSecond, wallRecordsPerSecond }` (or a bare number), in which case it is called
 * `runs` times and the median taken here.
 */
async function contributed(name: string, bench: ContributedBench): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const serde of ['none', 'json'] as const) {
    const variant = serde === 'json' ? 'JSON serdes' : 'no serdes (passthrough)';
    const options = { serde, quick, runs, warmups, ...(quick ? { records: 200_000 } : {}) };
    const first = await bench(options);
    if (Array.isArray(first)) results.push(...(first as BenchResult[]));
    else if (first && typeof first === 'object' && Array.isArray((first as BenchResult).runs)) results.push(first as BenchResult);
    else {
      const cpu: number[] = [];
      const wall: number[] = [];
      const add = (value: unknown) => {
        if (typeof value === 'number') cpu.push(value);
        else if (value && typeof value === 'object' && typeof (value as { recordsPerSecond?: unknown }).recordsPerSecond === 'number') {
          const figures = value as { recordsPerSecond: number; wallRecordsPerSecond?: number };
          cpu.push(figures.recordsPerSecond);
          if (typeof figures.wallRecordsPerSecond === 'number') wall.push(figures.wallRecordsPerSecond);
        }
      };
      add(first);
      for (let i = 1; i < runs && cpu.length > 0; i++) add(await bench(options));
      if (cpu.length === 0) {
        console.log(`${name} returned nothing to report`);
        continue;
      }
      results.push({ benchmark: name, variant, value: median(cpu), unit: 'records/s', runs: cpu, ...(wall.length ? { wallRuns: wall } : {}), better: 'higher' });
    }
  }
  return results;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
