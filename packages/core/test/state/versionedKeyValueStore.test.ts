import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from '@tributary/core/testing';
import {
  PUT_RETURN_CODE_NOT_PUT,
  PUT_RETURN_CODE_VALID_TO_UNDEFINED,
  Stores,
  StreamsBuilder,
  TopologyError,
  type ProcessorContext,
  type RestorableStore,
  type StoreChangeLogger,
  type VersionedKeyValueStore,
} from '@tributary/core';

type Store = VersionedKeyValueStore<string, string> & RestorableStore;

function create(historyRetention = 10) {
  const logged: [unknown, unknown, number][] = [];
  const logger: StoreChangeLogger = { log: (key, value, timestamp) => logged.push([key, value, timestamp]) };
  const spec = Stores.versionedKeyValueStore<string, string>('rates', { historyRetention });
  return { store: spec.create(logger) as unknown as Store, logged, spec };
}

describe('in-memory versioned key-value store', () => {
  it('answers get(key) with the latest version and get(key, asOf) with the version valid then', () => {
    const { store } = create(100);
    expect(store.put('a', 'v10', 10)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.put('a', 'v20', 20)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.get('a')).toEqual({ value: 'v20', timestamp: 20 });
    expect(store.get('a', 9)).toBeUndefined();
    expect(store.get('a', 10)).toEqual({ value: 'v10', timestamp: 10, validTo: 20 });
    expect(store.get('a', 19)).toEqual({ value: 'v10', timestamp: 10, validTo: 20 });
    expect(store.get('a', 20)).toEqual({ value: 'v20', timestamp: 20 });
    expect(store.get('a', 1_000)).toEqual({ value: 'v20', timestamp: 20 });
    expect(store.get('missing')).toBeUndefined();
    expect(store.get('missing', 20)).toBeUndefined();
  });

  it('returns the validTo of an out-of-order put: the timestamp of the next version', () => {
    const { store } = create(100);
    store.put('a', 'v10', 10);
    store.put('a', 'v20', 20);
    expect(store.put('a', 'v15', 15)).toBe(20);
    expect(store.put('a', 'v5', 5)).toBe(10);
    expect(store.get('a', 16)).toEqual({ value: 'v15', timestamp: 15, validTo: 20 });
    expect(store.get('a', 7)).toEqual({ value: 'v5', timestamp: 5, validTo: 10 });
    expect(store.get('a')).toEqual({ value: 'v20', timestamp: 20 });
  });

  it('keeps one version per key and timestamp: a second put replaces it and keeps its validTo', () => {
    const { store } = create(100);
    store.put('a', 'v10', 10);
    store.put('a', 'v20', 20);
    expect(store.put('a', 'again10', 10)).toBe(20);
    expect(store.put('a', 'again20', 20)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.get('a', 15)).toEqual({ value: 'again10', timestamp: 10, validTo: 20 });
    expect(store.get('a')).toEqual({ value: 'again20', timestamp: 20 });
  });

  it('keeps deletes as versions: a null value ends the version before it', () => {
    const { store } = create(100);
    store.put('a', 'v10', 10);
    expect(store.put('a', null, 20)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('a', 25)).toBeUndefined();
    expect(store.get('a', 15)).toEqual({ value: 'v10', timestamp: 10, validTo: 20 });
    // An update older than the delete is history: the delete stays the latest version.
    expect(store.put('a', 'v15', 15)).toBe(20);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('a', 17)).toEqual({ value: 'v15', timestamp: 15, validTo: 20 });
    // A delete of a key without versions is a version too.
    expect(store.put('b', null, 12)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.put('b', 'b5', 5)).toBe(12);
    expect(store.get('b', 11)).toEqual({ value: 'b5', timestamp: 5, validTo: 12 });
    expect(store.get('b')).toBeUndefined();
  });

  it('refuses writes older than stream time minus the history retention', () => {
    const { store, logged } = create(10);
    store.put('a', 'v30', 30);
    expect(store.put('a', 'v19', 19)).toBe(PUT_RETURN_CODE_NOT_PUT);
    expect(store.put('b', 'b19', 19)).toBe(PUT_RETURN_CODE_NOT_PUT);
    expect(store.get('b')).toBeUndefined();
    // Exactly the history retention behind is still accepted.
    expect(store.put('a', 'v20', 20)).toBe(30);
    expect(logged.map(([key, value, timestamp]) => [key, value, timestamp])).toEqual([
      ['a', 'v30', 30],
      ['a', 'v20', 20],
    ]);
  });

  it('answers get(key, asOf) older than the history retention only from the latest version', () => {
    const { store } = create(10);
    store.put('a', 'v0', 0);
    store.put('b', 'b2', 2);
    store.put('a', 'v15', 15);
    expect(store.get('a', 5)).toEqual({ value: 'v0', timestamp: 0, validTo: 15 });
    store.put('c', 'c30', 30); // stream time 30: versions before 20 are out of the history
    expect(store.get('a', 5)).toBeUndefined();
    expect(store.get('a', 14)).toBeUndefined();
    expect(store.get('a', 20)).toEqual({ value: 'v15', timestamp: 15 });
    // The latest version never expires, also when asked as of a time before the history.
    expect(store.get('b', 5)).toEqual({ value: 'b2', timestamp: 2 });
    expect(store.get('b', 1)).toBeUndefined();
    expect(store.get('a')).toEqual({ value: 'v15', timestamp: 15 });
  });

  it('keeps a version replaced within the history retention, however old it is', () => {
    const { store } = create(10);
    store.put('a', 'v0', 0);
    store.put('a', 'v25', 25);
    store.put('z', 'z30', 30);
    // v0 was valid until 25, inside the history (20..30), so it still answers as of 20.
    expect(store.get('a', 22)).toEqual({ value: 'v0', timestamp: 0, validTo: 25 });
  });

  it('deletes as of a timestamp and returns the version valid then', () => {
    const { store, logged } = create(10);
    store.put('a', 'v10', 10);
    store.put('a', 'v20', 20);
    expect(store.delete('a', 15)).toEqual({ value: 'v10', timestamp: 10, validTo: 20 });
    expect(store.get('a', 16)).toBeUndefined();
    expect(store.get('a')).toEqual({ value: 'v20', timestamp: 20 });
    expect(store.delete('a', 25)).toEqual({ value: 'v20', timestamp: 20 });
    expect(store.get('a')).toBeUndefined();
    // Too old: nothing happens, nothing is returned.
    expect(store.delete('a', 5)).toBeUndefined();
    expect(logged.slice(2)).toEqual([
      ['a', null, 15],
      ['a', null, 25],
    ]);
  });

  it('restores the history from its changelog without logging it again', () => {
    const { store, logged } = create(15);
    store.put('a', 'v10', 10);
    store.put('a', 'v5', 5);
    store.put('a', null, 20);
    store.put('b', 'b1', 1); // refused: not logged
    const { store: restored, logged: relogged } = create(15);
    for (const [key, value, timestamp] of logged) restored.restore(key, value, timestamp);
    expect(relogged).toEqual([]);
    expect(restored.get('a')).toBeUndefined();
    expect(restored.get('a', 12)).toEqual({ value: 'v10', timestamp: 10, validTo: 20 });
    expect(restored.get('a', 7)).toEqual({ value: 'v5', timestamp: 5, validTo: 10 });
    expect(restored.get('b')).toBeUndefined();
  });

  it('stores keys by value, objects included', () => {
    const { spec } = create();
    const store = spec.create(undefined) as unknown as VersionedKeyValueStore<{ id: number; region: string }, number>;
    store.put({ id: 1, region: 'eu' }, 5, 1);
    expect(store.get({ region: 'eu', id: 1 })).toEqual({ value: 5, timestamp: 1 });
  });

  it('with no history retention keeps only the latest version and refuses anything older than stream time', () => {
    const { store } = create(0);
    store.put('a', 'v10', 10);
    expect(store.put('a', 'v9', 9)).toBe(PUT_RETURN_CODE_NOT_PUT);
    expect(store.put('a', 'v11', 11)).toBe(PUT_RETURN_CODE_VALID_TO_UNDEFINED);
    expect(store.get('a', 10)).toBeUndefined();
    expect(store.get('a', 11)).toEqual({ value: 'v11', timestamp: 11 });
  });

  it('has a spec for tables and the changelog: kind, retention, and a compaction lag of the retention plus a day', () => {
    const spec = Stores.versionedKeyValueStore('rates', { historyRetention: '1h', logging: false });
    expect(spec).toMatchObject({ name: 'rates', kind: 'versioned', logging: false, historyRetentionMs: 3_600_000 });
    expect(spec.changelogConfig).toEqual({ 'min.compaction.lag.ms': String(3_600_000 + 86_400_000) });
    expect((spec.create(undefined) as unknown as Store).historyRetentionMs).toBe(3_600_000);
  });

  it('serves a custom processor: it writes versions and reads as of a time, the driver reads the same store', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('prices')
      .process<string, string>(
        () => {
          let context: ProcessorContext<string, string>;
          let store: VersionedKeyValueStore<string, string>;
          return {
            init: (c) => {
              context = c;
              store = c.getStateStore<VersionedKeyValueStore<string, string>>('prices');
            },
            process: (record) => {
              const validTo = store.put(record.key, record.value, record.timestamp);
              context.forward({ key: record.key, value: `${record.value} valid to ${validTo}, before: ${store.get(record.key, record.timestamp - 1)?.value}` });
            },
          };
        },
        { stores: [Stores.versionedKeyValueStore('prices', { historyRetention: 100 })] },
      )
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, string>('prices');
    input.pipeInput('p', 'ten', 10);
    input.pipeInput('p', 'five', 5);
    expect(driver.createOutputTopic<string, string>('out').readValuesToList()).toEqual(['ten valid to -1, before: undefined', 'five valid to 10, before: undefined']);
    expect(driver.getVersionedKeyValueStore<string, string>('prices').get('p', 7)).toEqual({ value: 'five', timestamp: 5, validTo: 10 });
  });

  it('rejects a missing or negative history retention', () => {
    expect(() => Stores.versionedKeyValueStore('x', {} as never)).toThrow(TopologyError);
    expect(() => Stores.versionedKeyValueStore('x', { historyRetention: -1 })).toThrow(/historyRetention/);
    expect(() => Stores.versionedKeyValueStore('', { historyRetention: 1 })).toThrow(/name/);
  });
});
