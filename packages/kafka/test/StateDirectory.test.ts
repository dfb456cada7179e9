import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Stores, StreamsError, type KeyValueStore, type Logger, type StoreSpec } from '@tributary/core';
import { lmdbStores } from '@tributary/lmdb';
import { Checkpoint } from '../src/state/Checkpoint';
import { StateDirectory } from '../src/state/StateDirectory';

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(join(tmpdir(), 'tributary-state-'));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const open = (stateDir: string, exactlyOnce = false) => new StateDirectory({ stateDir, applicationId: 'app', factory: lmdbStores, persistentByDefault: true, exactlyOnce, logger: silent });

describe('Checkpoint', () => {
  it('writes offsets atomically and reads them back; no file reads as empty', () => {
    const dir = newRoot();
    const checkpoint = new Checkpoint(dir);
    expect(checkpoint.read().size).toBe(0);
    checkpoint.write([
      { topic: 'app-counts-changelog', partition: 3, offset: 120 },
      { topic: 'app-spend-changelog', partition: 3, offset: 7 },
    ]);
    expect(readFileSync(join(dir, '.checkpoint'), 'utf8')).toBe('0\n2\napp-counts-changelog 3 120\napp-spend-changelog 3 7\n');
    expect(existsSync(join(dir, '.checkpoint.tmp'))).toBe(false);
    expect([...checkpoint.read().values()]).toEqual([120, 7]);
  });

  it('refuses a file it did not write, naming it', () => {
    const dir = newRoot();
    writeFileSync(join(dir, '.checkpoint'), '7\n1\nx 0 1\n');
    expect(() => new Checkpoint(dir).read()).toThrow(`the checkpoint file ${join(dir, '.checkpoint')} is not one this version writes`);
  });
});

describe('StateDirectory', () => {
  it('is locked by one instance: a second one gets a clear error until the first releases it', () => {
    const root = newRoot();
    const first = open(root);
    expect(() => open(root)).toThrow(StreamsError);
    expect(() => open(root)).toThrow(`the state directory ${join(root, 'app')} is locked by another KafkaStreams instance in this process`);
    first.release();
    open(root).release();
  });

  it('takes over a lock whose process is gone', () => {
    const root = newRoot();
    open(root).release();
    writeFileSync(join(root, 'app', '.lock'), '2147483646\n'); // no such process
    const directory = open(root);
    expect(readFileSync(join(root, 'app', '.lock'), 'utf8')).toBe(`${process.pid}\n`);
    directory.release();
  });

  const spec: StoreSpec = Stores.keyValueStore('counts');
  const fill = (root: string, exactlyOnce: boolean, checkpointed: boolean) => {
    const directory = open(root, exactlyOnce);
    const task = directory.openTask('0_1', 1, [spec]);
    const store = task.createStore(spec, undefined) as unknown as KeyValueStore<string, number>;
    store.put('a', 1);
    return { directory, task, store, checkpointed };
  };

  it('keeps a store with a checkpointed offset and restores it from there', async () => {
    const root = newRoot();
    const { directory, task, store } = fill(root, false, true);
    await task.writeCheckpoint([{ topic: 'app-counts-changelog', partition: 1, offset: 42 }]);
    store.close();
    directory.release();
    const again = open(root).openTask('0_1', 1, [spec]);
    expect(again.restoreFrom('app-counts-changelog')).toBe(42);
    const reopened = again.createStore(spec, undefined) as unknown as KeyValueStore<string, number>;
    expect(reopened.get('a')).toBe(1);
    reopened.close();
  });

  it('sums the checkpointed offsets of each task directory, for the assignor; no checkpoint or a bad one counts as no state', () => {
    const root = newRoot();
    const directory = open(root);
    directory.openTask('0_1', 1, [spec]);
    directory.openTask('1_0', 0, [spec]);
    directory.openTask('1_2', 2, [spec]);
    new Checkpoint(join(directory.directory, '0_1')).write([
      { topic: 'app-counts-changelog', partition: 1, offset: 40 },
      { topic: 'app-other-changelog', partition: 1, offset: 2 },
    ]);
    new Checkpoint(join(directory.directory, '1_0')).write([{ topic: 'app-counts-changelog', partition: 0, offset: 7 }]);
    writeFileSync(join(directory.directory, '1_2', '.checkpoint'), 'garbage');
    expect(directory.checkpointedOffsetSums()).toEqual(new Map([['0_1', 42], ['1_0', 7]]));
    directory.release();
  });

  it('wipes a logged store that has no checkpointed offset: it restores from scratch', () => {
    const root = newRoot();
    const { directory, store } = fill(root, false, false);
    store.close();
    directory.release();
    const again = open(root).openTask('0_1', 1, [spec]);
    expect(again.restoreFrom('app-counts-changelog')).toBeUndefined();
    const reopened = again.createStore(spec, undefined) as unknown as KeyValueStore<string, number>;
    expect(reopened.get('a')).toBeUndefined();
    reopened.close();
  });

  it('exactly-once: deletes the checkpoint when the task starts processing, so a crash restores from scratch', async () => {
    const root = newRoot();
    const { directory, task, store } = fill(root, true, true);
    await task.writeCheckpoint([{ topic: 'app-counts-changelog', partition: 1, offset: 42 }]);
    task.startProcessing();
    store.put('b', 2); // uncommitted, then the process dies: no clean close, no checkpoint
    store.close();
    directory.release();
    const again = open(root, true).openTask('0_1', 1, [spec]);
    expect(again.restoreFrom('app-counts-changelog')).toBeUndefined();
    const reopened = again.createStore(spec, undefined) as unknown as KeyValueStore<string, number>;
    expect(reopened.all()).toEqual([]);
    reopened.close();
  });

  it('keeps stores of type inMemory, and the stores of joins and buffers, in memory', () => {
    const root = newRoot();
    const directory = open(root);
    expect(directory.isPersistent(Stores.keyValueStore('a'))).toBe(true);
    expect(directory.isPersistent(Stores.keyValueStore('b', { type: 'inMemory' }))).toBe(false);
    expect(directory.isPersistent(Stores.versionedKeyValueStore('c', { historyRetention: 10 }))).toBe(false);
    directory.release();
  });
});
