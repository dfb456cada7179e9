import { describe, expect, it } from 'vitest';
import { ChangelogCache } from '../../src/state/ChangelogCache';

const recording = () => {
  const logged: [unknown, unknown, number][] = [];
  return { logged, log: (key: unknown, value: unknown, timestamp: number) => void logged.push([key, value, timestamp]) };
};

describe('ChangelogCache', () => {
  it('holds the latest value and timestamp of each key until flushed, in the order keys were first written', () => {
    const changelog = recording();
    const cache = new ChangelogCache(changelog, 10);
    cache.log('a', 1, 10);
    cache.log('b', 1, 11);
    cache.log('a', 2, 12);
    cache.log('a', null, 13);
    cache.log({ id: 7, region: 'eu' }, 'x', 14);
    cache.log({ region: 'eu', id: 7 }, 'y', 15); // the same key, its properties in another order
    expect(changelog.logged).toEqual([]);
    cache.flush();
    expect(changelog.logged).toEqual([
      ['a', null, 13],
      ['b', 1, 11],
      [{ id: 7, region: 'eu' }, 'y', 15],
    ]);
    cache.flush();
    expect(changelog.logged).toHaveLength(3);
  });

  it('writes everything it holds once it holds maxRecords keys and a new key comes', () => {
    const changelog = recording();
    const cache = new ChangelogCache(changelog, 2);
    cache.log('a', 1, 1);
    cache.log('b', 1, 2);
    cache.log('a', 2, 3);
    expect(changelog.logged).toEqual([]);
    cache.log('c', 1, 4);
    expect(changelog.logged).toEqual([
      ['a', 2, 3],
      ['b', 1, 2],
    ]);
    cache.flush();
    expect(changelog.logged.at(-1)).toEqual(['c', 1, 4]);
  });
});
