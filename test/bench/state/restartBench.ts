/**
 * Issue 12, item 5, third figure: a restart of an instance holding `keys` customer profiles.
 * On LMDB (`stateDir`, checkpoints) the restarted instance restores only what the changelog
 * got since its checkpoint; in memory it restores the whole changelog. Before each restart,
 * `newRecords` profile updates are produced to the input, so the restarted instance has
 * something to process. Measured per restart: the changelog offsets restored (from the
 * `restore` events), the time from `start()` to RUNNING, and to the first output record an
 * independent reader sees on the output topic (its log-end offsets, polled every 10 ms).
 *
 * The state is made once: the changelog is filled with one profile per key, an instance on a
 * fresh state directory restores it into LMDB and closes cleanly (writing its checkpoint).
 * Then three restarts alternate on the same application id, each closing cleanly once it has
 * processed its input: on LMDB after a clean close; on LMDB after a crash (an instance in a
 * child process processes the new records and is killed with SIGKILL once their outputs and
 * changelog records are written, before it commits or checkpoints them; the restart comes
 * once the group has dropped the dead member, and processes them again); and in memory. An
 * LMDB restart restores what the others wrote to the changelog since its last checkpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { createTopic, uniqueName, waitFor, withAdmin } from '../../harness';
import { bulkProduce } from './bulkProduce';
import { killAfterOutput } from './killedInstance';
import { loadAverage, type Figure } from './measure';
import { OutputWatch, endOffsetSum } from './outputWatch';
import { customer, profile, scattered } from './profiles';
import { PROFILES_STORE, profilesTopology } from './profilesTopology';
import { RestoreWatch } from './restoreWatch';

export interface RestartBenchOptions {
  /** Keys of state, one changelog record each. */
  readonly keys: number;
  readonly partitions: number;
  /** Input records produced before each restart. */
  readonly newRecords: number;
  readonly runs: number;
  readonly onRun?: (what: string) => void;
}

interface Run {
  readonly restored: number;
  readonly changelogSize: number;
  readonly fromCheckpoints: boolean;
  readonly secondsToRunning: number;
  readonly secondsToFirstOutput: number;
  readonly load: number;
}

type Kind = 'lmdb' | 'crashed' | 'memory';

const VARIANTS: Record<Kind, string> = { lmdb: 'LMDB, checkpoints, after a clean close', crashed: 'LMDB, checkpoints, after SIGKILL', memory: 'in memory' };

export async function benchRestart(options: RestartBenchOptions): Promise<Figure[]> {
  const applicationId = uniqueName('bench-restart');
  const input = `${applicationId}-input`;
  const output = `${applicationId}-output`;
  const changelog = `${applicationId}-${PROFILES_STORE}-changelog`;
  await createTopic(input, options.partitions);
  await createTopic(output, options.partitions);
  await createTopic(changelog, options.partitions, { 'cleanup.policy': 'compact' });
  const stateDir = mkdtempSync(join(tmpdir(), 'tributary-bench-restart-'));
  try {
    await bulkProduce(changelog, options.keys, (n) => ({ key: customer(n), value: JSON.stringify(profile(n)) }));
    options.onRun?.(`state: ${options.keys.toLocaleString('en-US')} keys restored into LMDB once, then a clean close (checkpoint)`);
    await instance(applicationId, input, output, stateDir, options);
    const runs: Record<Kind, Run[]> = { lmdb: [], crashed: [], memory: [] };
    let produced = 0;
    for (let run = 1; run <= options.runs; run++) {
      for (const kind of ['lmdb', 'crashed', 'memory'] as const) {
        // Updates of existing customers, spread over the key space.
        const from = produced;
        await bulkProduce(input, options.newRecords, (n) => {
          const customerId = scattered(from + n, options.keys);
          return { key: customer(customerId), value: JSON.stringify({ ...profile(customerId), orders: profile(customerId).orders + 1 }) };
        });
        produced += options.newRecords;
        if (kind === 'crashed') {
          options.onRun?.(`an instance on LMDB processes the ${options.newRecords.toLocaleString('en-US')} new records, writes their outputs and is killed with SIGKILL, run ${run}`);
          await killAfterOutput({ applicationId, input, output, stateDir }, options.newRecords);
        }
        options.onRun?.(`restart: ${VARIANTS[kind]}, run ${run}`);
        const result = await instance(applicationId, input, output, kind === 'memory' ? undefined : stateDir, options);
        runs[kind].push(result);
        console.log(
          `    restored ${result.restored.toLocaleString('en-US')} of ${result.changelogSize.toLocaleString('en-US')} changelog records (${percent(result).toFixed(2)}%${result.fromCheckpoints ? ', from checkpoints' : ''}); RUNNING after ${result.secondsToRunning.toFixed(2)} s, first output after ${result.secondsToFirstOutput.toFixed(2)} s (load ${result.load.toFixed(1)})`,
        );
      }
    }
    const benchmark = `restart with ${options.keys.toLocaleString('en-US')} keys of state`;
    return (['lmdb', 'crashed', 'memory'] as const).flatMap((kind) => {
      const list = runs[kind];
      const variant = VARIANTS[kind];
      const loads = list.map((r) => r.load);
      const onDisk = kind !== 'memory';
      return [
        { benchmark: `${benchmark}: changelog records restored`, variant, unit: 'records', runs: list.map((r) => r.restored), loads },
        { benchmark: `${benchmark}: share of the changelog restored`, variant, unit: '%', runs: list.map(percent), loads, ...(onDisk ? { target: { better: 'lower', value: 1 } } : {}) },
        { benchmark: `${benchmark}: start() to RUNNING`, variant, unit: 's', runs: list.map((r) => r.secondsToRunning), loads },
        { benchmark: `${benchmark}: start() to first output record`, variant, unit: 's', runs: list.map((r) => r.secondsToFirstOutput), loads, ...(onDisk ? { target: { better: 'lower', value: 5 } } : {}) },
      ] satisfies Figure[];
    });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const percent = (run: Run): number => (100 * run.restored) / run.changelogSize;

/**
 * Starts an instance, waits until it has restored, is RUNNING and has written an output record
 * for every input record its group had not committed, then closes it cleanly.
 */
async function instance(applicationId: string, input: string, output: string, stateDir: string | undefined, options: RestartBenchOptions): Promise<Run> {
  const changelog = `${applicationId}-${PROFILES_STORE}-changelog`;
  const { changelogSize, uncommitted } = await withAdmin(async (admin) => {
    const [committed] = await admin.fetchOffsets({ groupId: applicationId, topics: [input] });
    const done = (committed?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    return { changelogSize: await endOffsetSum(admin, changelog), uncommitted: (await endOffsetSum(admin, input)) - done };
  });
  const outputs = await OutputWatch.open(output);
  const app = new KafkaStreams(profilesTopology(input, output), {
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
    await waitFor(() => watch.isDone && watch.secondsToRunning !== undefined, { timeoutMs: 600_000, intervalMs: 10, description: () => `restored and RUNNING (${watch.restored} restored, ${app.state})` });
    const firstOutput = uncommitted > 0 ? watch.secondsTo(await outputs.firstRecordAt()) : Number.NaN;
    const load = loadAverage();
    await outputs.records(uncommitted);
    const held = app.store(PROFILES_STORE).approximateNumEntries();
    if (held !== options.keys) throw new Error(`the stores hold ${held} profiles, not ${options.keys}`);
    return { restored: watch.restored, changelogSize, fromCheckpoints: watch.fromCheckpoints, secondsToRunning: watch.secondsToRunning!, secondsToFirstOutput: firstOutput, load };
  } finally {
    await app.close();
    await outputs.close();
  }
}
