/**
 * Issue 12, item 5, second figure: an application whose store's changelog already holds
 * `records` customer profiles (one per key, as a compacted changelog holds them) starts and
 * restores them, into memory and into LMDB (a fresh `stateDir`: no checkpoint, a full restore).
 * The real code path: `KafkaStreams.start()`, the `StoreRestorer` with the KafkaJS changelog
 * reader, `Task.restore`, the store. Measured from the application's `restore` events: from
 * the first (restoration began) to every partition done; CPU time of the whole process over
 * the same span (KafkaJS fetching and decoding included; the broker runs on the same machine
 * and its CPU time is not counted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { createTopic, uniqueName, waitFor } from '../../harness';
import { bulkProduce } from './bulkProduce';
import { cpuPerMillion, rate, type Figure, type Phase } from './measure';
import { customer, profile } from './profiles';
import { PROFILES_STORE, profilesTopology } from './profilesTopology';
import { RestoreWatch } from './restoreWatch';

export interface RestoreBenchOptions {
  /** Records in the changelog, one per key. */
  readonly records: number;
  readonly partitions: number;
  readonly runs: number;
  /** Restore the changelog of this earlier run's application (same `records` and `partitions`) instead of filling a new one: to profile the restore alone. */
  readonly applicationId?: string;
  readonly onRun?: (what: string) => void;
}

interface Run {
  readonly restore: Phase;
  readonly secondsToRunning: number;
}

/** Restores into memory and into LMDB alternately, `runs` times each, from one pre-filled changelog. */
export async function benchRestore(options: RestoreBenchOptions): Promise<Figure[]> {
  const applicationId = options.applicationId ?? uniqueName('bench-restore');
  const input = `${applicationId}-input`;
  const changelog = `${applicationId}-${PROFILES_STORE}-changelog`;
  if (!options.applicationId) {
    await createTopic(input, options.partitions);
    await createTopic(changelog, options.partitions, { 'cleanup.policy': 'compact' });
    const filling = performance.now();
    await bulkProduce(changelog, options.records, (n) => ({ key: customer(n), value: JSON.stringify(profile(n)) }));
    console.log(`    changelog ${changelog}: ${options.records.toLocaleString('en-US')} records in ${((performance.now() - filling) / 1000).toFixed(1)} s (--restore-from=${applicationId} restores it again)`);
  }
  const kinds = ['memory', 'lmdb'] as const;
  const runs = { memory: [] as Run[], lmdb: [] as Run[] };
  for (let run = 1; run <= options.runs; run++) {
    for (const kind of kinds) {
      options.onRun?.(`restore into ${kind === 'lmdb' ? 'LMDB' : 'memory'}, run ${run}`);
      const result = await restoreOnce(applicationId, input, kind, options);
      runs[kind].push(result);
      console.log(
        `    ${Math.round(rate(options.records, result.restore)).toLocaleString('en-US')} records/s, ${cpuPerMillion(options.records, result.restore).toFixed(2)} CPU-s/M (restore ${result.restore.wallSeconds.toFixed(2)} s, start() to RUNNING ${result.secondsToRunning.toFixed(2)} s, load ${result.restore.load.toFixed(1)})`,
      );
    }
  }
  const benchmark = `restore ${options.records.toLocaleString('en-US')} changelog records (${options.partitions} partitions)`;
  return kinds.flatMap((kind) => {
    const variant = kind === 'lmdb' ? 'LMDB (empty stateDir)' : 'in memory';
    const list = runs[kind];
    const loads = list.map((r) => r.restore.load);
    return [
      { benchmark, variant, unit: 'records/s', runs: list.map((r) => rate(options.records, r.restore)), loads, target: { better: 'higher', value: 200_000 } },
      { benchmark, variant, unit: 'CPU-s/M', runs: list.map((r) => cpuPerMillion(options.records, r.restore)), loads },
      { benchmark: `${benchmark}: start() to RUNNING`, variant, unit: 's', runs: list.map((r) => r.secondsToRunning), loads },
    ] satisfies Figure[];
  });
}

async function restoreOnce(applicationId: string, input: string, kind: 'memory' | 'lmdb', options: RestoreBenchOptions): Promise<Run> {
  const stateDir = kind === 'lmdb' ? mkdtempSync(join(tmpdir(), 'tributary-bench-restore-')) : undefined;
  const app = new KafkaStreams(profilesTopology(input), {
    applicationId,
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logger: silentLogger,
    metricsIntervalMs: 0,
    handleSignals: false,
    ...(stateDir ? { stateDir } : {}),
  });
  try {
    const watch = new RestoreWatch(app, options.partitions);
    await app.start();
    await waitFor(() => watch.isDone, { timeoutMs: 600_000, intervalMs: 10, description: () => `the restore to finish (${watch.restored} restored)` });
    await waitFor(() => watch.secondsToRunning !== undefined, { timeoutMs: 60_000, intervalMs: 10, description: 'the application to be RUNNING' });
    const held = app.store(PROFILES_STORE).approximateNumEntries();
    if (held !== options.records) throw new Error(`the stores hold ${held} profiles after the restore, not ${options.records}`);
    return { restore: watch.restorePhase, secondsToRunning: watch.secondsToRunning! };
  } finally {
    await app.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }
}
