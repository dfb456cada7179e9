import { describe, expect, it } from 'vitest';
import { Serdes, type StoreChangeLogger } from '@tributary/core';
import { JoinWindowStore } from '../../src/state/JoinWindowStore';
import { OuterJoinStore } from '../../src/state/OuterJoinStore';
import { SubscriptionStore } from '../../src/state/SubscriptionStore';

/** A changelog that goes through JSON bytes and back, as the default changelog does. */
function changelog() {
  const json = Serdes.json();
  const records: [unknown, unknown, number][] = [];
  const logger: StoreChangeLogger = {
    log: (key, value, timestamp) => {
      const k = json.deserialize('c', json.serialize('c', key));
      records.push([k, value === null ? null : json.deserialize('c', json.serialize('c', value)), timestamp]);
    },
  };
  return { logger, records };
}

describe('join stores restore from their changelogs', () => {
  it('JoinWindowStore keeps duplicates and expiry across a restore', () => {
    const { logger, records } = changelog();
    const store = new JoinWindowStore<string, string>('w', 100, 50, logger);
    store.put('k', 'a', 1000);
    store.put('k', 'a', 1000);
    store.put('k', 'b', 1040);
    store.put('j', 'x', 1099);
    store.put('k', 'expired', 999); // 999 <= 1099 - 100: ignored, not logged
    const restored = new JoinWindowStore<string, string>('w', 100, 50);
    for (const [key, value, timestamp] of records) restored.restore(key, value, timestamp);
    expect(restored.fetch('k', 0, 2000)).toEqual(store.fetch('k', 0, 2000));
    expect(restored.fetch('k', 0, 2000)).toEqual([
      [1000, 'a'],
      [1000, 'a'],
      [1040, 'b'],
    ]);
    expect(restored.all()).toEqual(store.all());
    restored.put('k', 'c', 1100);
    expect(restored.fetch('k', 0, 2000)).toEqual([
      [1040, 'b'],
      [1100, 'c'],
    ]);
  });

  it('OuterJoinStore restores its lists, deletions included, in store order', () => {
    const { logger, records } = changelog();
    const store = new OuterJoinStore('o', logger);
    store.add(20, 'left', 'b', 'B1');
    store.add(10, 'left', 'a', 'A1');
    store.add(10, 'right', 'a', 'a1');
    store.add(20, 'left', 'b', 'B2');
    store.add(30, 'left', 'c', 'C');
    store.delete(30, 'left', 'c');
    const restored = new OuterJoinStore('o');
    for (const [key, value, timestamp] of records) restored.restore(key, value, timestamp);
    const view = (s: OuterJoinStore) => s.all().map((p) => [p.timestamp, p.side, p.key, p.values]);
    expect(view(restored)).toEqual(view(store));
    expect(view(restored)).toEqual([
      [10, 'right', 'a', ['a1']],
      [10, 'left', 'a', ['A1']],
      [20, 'left', 'b', ['B1', 'B2']],
    ]);
  });

  it('SubscriptionStore restores subscriptions by foreign key', () => {
    const { logger, records } = changelog();
    const store = new SubscriptionStore('s', logger);
    const subscription = (primaryKey: string) => ({ hash: 'h', instruction: 'propagate-only-if-present' as const, primaryKey, primaryPartition: 0 });
    store.putSubscription('fk1', 'p2', subscription('p2'), 1);
    store.putSubscription('fk1', 'p1', subscription('p1'), 2);
    store.putSubscription('fk2', 'p3', subscription('p3'), 3);
    store.deleteSubscription('fk2', 'p3', 4);
    const restored = new SubscriptionStore('s');
    for (const [key, value, timestamp] of records) restored.restore(key, value, timestamp);
    expect(restored.subscribersOf('fk1').map((s) => s.primaryKey)).toEqual(['p1', 'p2']);
    expect(restored.subscribersOf('fk2')).toEqual([]);
    expect(restored.all()).toEqual(store.all());
    expect(restored.approximateNumEntries()).toBe(2);
  });
});
