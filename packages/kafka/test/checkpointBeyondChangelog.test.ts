import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, StreamsBuilder, type KeyValueStore } from '@tributary/core';
import { lmdbStores } from '@tributary/lmdb';
import { StateDirectory } from '../src/state/StateDirectory';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const counting = (builder: StreamsBuilder) => builder.stream<string, string>('events').groupByKey().count({ name: 'totals' }).toStream().to('counts');

/** A state directory whose task 0_0 holds `entries` in 'totals', checkpointed at `offset`. */
async function leftBehind(stateDir: string, entries: [string, number][], offset: number): Promise<void> {
  const builder = new StreamsBuilder();
  counting(builder);
  const specs = builder.build().subTopologies[0]!.stores;
  const directory = new StateDirectory({ stateDir, applicationId: 'app', factory: lmdbStores, persistentByDefault: true, exactlyOnce: false, logger: silentLogger });
  const task = directory.openTask('0_0', 0, specs);
  const store = task.createStore(specs[0]!, undefined) as unknown as KeyValueStore<string, number> & { close(): void };
  for (const [key, count] of entries) store.put(key, count);
  await task.writeCheckpoint([{ topic: 'app-totals-changelog', partition: 0, offset }]);
  store.close();
  directory.release();
}

describe('a checkpoint the changelog does not hold', () => {
  it('beyond its end (the topic was made again): the store is cleared and restored from scratch', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tributary-corrupt-'));
    roots.push(stateDir);
    // The state of an earlier life of the application: 'stale' is in no changelog record now.
    await leftBehind(stateDir, [['stale', 99], ['a', 50]], 1_000);
    const kafka = new FakeKafka();
    kafka.createTopic('events', 1);
    kafka.createTopic('counts', 1);
    kafka.createTopic('app-totals-changelog', 1, { 'cleanup.policy': 'compact' });
    kafka.append('app-totals-changelog', JSON.stringify('a'), 2, { partition: 0 });
    const warnings: string[] = [];
    await using streams = app(kafka, counting, { stateDir, logger: { ...silentLogger, warn: (message: string) => warnings.push(message) } });
    const restores: { fromCheckpoint?: boolean; startOffset?: number; restored: number }[] = [];
    streams.events.subscribe((e) => e.type === 'restore' && restores.push(e));
    await streams.start();
    await until(() => streams.state === 'RUNNING', 'RUNNING');
    expect(streams.store<string, number>('totals').all()).toEqual([['a', 2]]);
    expect(restores.at(-1)).toMatchObject({ fromCheckpoint: false, startOffset: 0, restored: 1 });
    expect(warnings.some((w) => w.includes("store 'totals' was checkpointed at offset 1000, but app-totals-changelog-0 holds offsets 0 to 1: its state is dropped and restored from scratch"))).toBe(true);
  });
});
