/**
 * `pnpm bench:state`: the persistent-state figures of issue 12 (item 5). A benchmark, not a
 * test: nothing here fails a build, every figure is printed with its runs and the load average
 * the machine had when each run ended.
 *
 *   pnpm bench:state                               10,000,000 keys in an LMDB key-value store (no broker)
 *   pnpm bench:state -- --brokers                  also restore and restart, on KAFKA_BROKERS or a broker of their own
 *   pnpm bench:state -- --brokers=127.0.0.1:9092   on that broker
 *   pnpm bench:state -- --only=restore,restart     a subset (kv, restore, restart)
 *   pnpm bench:state -- --runs=5                   runs of each variant (default 3)
 *   pnpm bench:state -- --brokers --only=restore --restore-from=<applicationId>
 *                                                  restore the changelog an earlier run filled (to profile the restore alone)
 *   pnpm bench:state -- --quick                    smaller sizes, one run: a smoke run
 */
import { machineNote } from '../../../packages/core/bench/harness';
import type { BenchBroker } from './benchBroker';
import { benchKeyValueStore } from './keyValueStoreBench';
import { figureTable, loadAverage, type Figure } from './measure';

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const value = (name: string) => option(name)?.split('=')[1];
const quick = option('quick') !== undefined;
const withBroker = option('brokers') !== undefined;
const only = value('only')?.split(',');
const runs = Number(value('runs') ?? (quick ? 1 : 3));
const wanted = (id: string) => (only ? only.includes(id) : id === 'kv' || withBroker);

async function main(): Promise<void> {
  for (const id of only ?? []) if (!['kv', 'restore', 'restart'].includes(id)) throw new Error(`--only: unknown benchmark '${id}' (kv, restore, restart)`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got '${value('runs')}'`);
  if ((wanted('restore') || wanted('restart')) && !withBroker) throw new Error('restore and restart need a broker: add --brokers (KAFKA_BROKERS, or a broker started for the run) or --brokers=<host:port>');
  console.log(`Tributary persistent-state benchmarks — ${machineNote()}; load average ${loadAverage().toFixed(2)} at the start`);
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') console.log('note: run with --expose-gc (as `pnpm bench:state` does): the live heap is measured after forced collections');
  const figures: Figure[] = [];
  const onRun = (what: string) => console.log(`  ${what}`);
  if (wanted('kv')) {
    const keys = quick ? 200_000 : 10_000_000;
    console.log(`\nKey-value store: ${keys.toLocaleString('en-US')} keys written, then read back, LMDB and in memory alternately`);
    figures.push(...(await benchKeyValueStore({ keys, memoryKeys: keys, runs, onRun })));
  }
  let broker: BenchBroker | undefined;
  try {
    // Loaded only with a broker: the key-value figures' heap then holds no Kafka client.
    if (wanted('restore') || wanted('restart')) broker = (await import('./benchBroker')).benchBroker(value('brokers'));
    if (wanted('restore')) {
      const { benchRestore } = await import('./restoreBench');
      const records = quick ? 100_000 : 1_000_000;
      console.log(`\nRestore: ${records.toLocaleString('en-US')} changelog records on ${broker!.brokers.join(',')}, into memory and into LMDB alternately`);
      const from = value('restore-from');
      figures.push(...(await benchRestore({ records, partitions: 4, runs, onRun, ...(from ? { applicationId: from } : {}) })));
    }
    if (wanted('restart')) {
      const { benchRestart } = await import('./restartBench');
      const keys = quick ? 100_000 : 1_000_000;
      console.log(`\nRestart: ${keys.toLocaleString('en-US')} keys of state, LMDB with checkpoints and in memory alternately`);
      figures.push(...(await benchRestart({ keys, partitions: 4, newRecords: 1_000, runs, onRun })));
    }
  } finally {
    broker?.stop();
  }
  console.log(`\n${figureTable(figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
