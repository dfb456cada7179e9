// `pnpm bench:failover`: how long a killed instance's tasks take to process again on the
// survivor, with and without a standby replica (issue 12). Two instances of a counting
// application (child processes, in-memory stores) share 4 partitions; once every record is
// processed, committed and (with standbys) copied, one is killed with SIGKILL, a marker record
// goes to each of its partitions, and the clock runs until the survivor has processed them.
// The time includes the group noticing the death (sessionTimeoutMs 6 s in the fixture).
//
//   KAFKA_BROKERS=127.0.0.1:9092 pnpm bench:failover [-- --records=1000000 --keys=500000 --rounds=2]
import { loadavg } from 'node:os';
import { createTopic, produce, uniqueName, waitFor } from '../harness';
import { spawnChildApp, type ChildApp } from '../kafka/childApp';
import { committedOffsets } from '../kafka/support';

const PARTITIONS = 4;
const args = new Map(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a): [string, string | undefined] => { const [name, value] = a.slice(2).split('='); return [name!, value]; }));
const RECORDS = Number(args.get('records') ?? 1_000_000);
const KEYS = Number(args.get('keys') ?? 500_000);
const ROUNDS = Number(args.get('rounds') ?? 2);

interface Round {
  readonly standbys: number;
  readonly resumeMs: number;
  readonly restoredRecords: number;
  /** The 1-minute load average when the survivor had processed the markers. */
  readonly load: number;
}

const progress = (app: ChildApp) => app.last('progress') as { processed: number; tasks: string[]; standbys: string[] } | undefined;

async function round(standbys: number): Promise<Round> {
  const input = uniqueName('failover-in');
  await createTopic(input, PARTITIONS);
  const applicationId = uniqueName('failover-app');
  for (let from = 0; from < RECORDS; from += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, RECORDS - from) }, (_, i) => ({ key: `k${(from + i) % KEYS}`, value: '1' }));
    await produce(input, batch);
  }
  const env = { APP_ID: applicationId, INPUT: input, STANDBYS: String(standbys), PROGRESS_MS: '20' };
  const doomed = spawnChildApp({ ...env, INSTANCE: 'doomed' }, 'persistentApp');
  const survivor = spawnChildApp({ ...env, INSTANCE: 'survivor' }, 'persistentApp');
  try {
    const long = { timeoutMs: 15 * 60_000 };
    await waitFor(() => progress(doomed)?.tasks.length === 2 && progress(survivor)?.tasks.length === 2, { ...long, description: 'two tasks on each instance' });
    await waitFor(async () => [...(await committedOffsets(applicationId, input)).values()].reduce((a, b) => a + b, 0) === RECORDS, { ...long, description: 'every record committed' });
    if (standbys > 0) {
      await waitFor(() => progress(survivor)?.standbys.length === 2, { ...long, description: 'two standbys on the survivor' });
      await new Promise((r) => setTimeout(r, 3_000)); // the standbys read the last changelog records
    }
    const moved = progress(doomed)!.tasks.map((t) => Number(t.split('_')[1]));
    const before = progress(survivor)!.processed;
    const restoredBefore = survivor.lines.length;
    const killedAt = Date.now();
    doomed.process.kill('SIGKILL');
    await produce(input, moved.map((partition) => ({ key: `marker-${partition}`, value: '1', partition })));
    await waitFor(() => (progress(survivor)?.processed ?? 0) >= before + moved.length && progress(survivor)!.tasks.length === PARTITIONS, { ...long, intervalMs: 10, description: 'the survivor to process the markers' });
    const resumeMs = Date.now() - killedAt;
    const restoredRecords = survivor.lines.slice(restoredBefore).filter((l) => l.event === 'restored' && moved.includes(l.partition as number)).reduce((n, l) => n + (l.total as number), 0);
    return { standbys, resumeMs, restoredRecords, load: Math.round(loadavg()[0]! * 10) / 10 };
  } finally {
    doomed.process.kill('SIGKILL');
    survivor.process.kill('SIGTERM');
    await survivor.exited;
  }
}

const results: Round[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const standbys of [1, 0]) {
    const result = await round(standbys);
    results.push(result);
    console.log(JSON.stringify({ round: r + 1, ...result }));
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
console.log(`\nFailover of 2 of 4 tasks, ${RECORDS.toLocaleString('en-US')} records over ${KEYS.toLocaleString('en-US')} keys, ${ROUNDS} interleaved rounds (median):`);
for (const standbys of [1, 0]) {
  const rows = results.filter((r) => r.standbys === standbys);
  console.log(
    `  ${standbys === 1 ? 'one standby' : 'no standby '}: processing again after ${median(rows.map((r) => r.resumeMs)).toLocaleString('en-US')} ms (runs ${rows.map((r) => r.resumeMs).join(', ')}), restored ${median(rows.map((r) => r.restoredRecords)).toLocaleString('en-US')} records; load average ${rows.map((r) => r.load).join(', ')}`,
  );
}
