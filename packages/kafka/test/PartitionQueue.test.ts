import type { InputRecord } from '@tributary/core/runtime';
import { describe, expect, it } from 'vitest';
import { PartitionQueue } from '../src/processing/PartitionQueue';

const records = (from: number, to: number): InputRecord[] =>
  Array.from({ length: to - from }, (_, i) => ({ topic: 't', partition: 0, offset: from + i, key: null, value: null, timestamp: 0, headers: {} }));

const batch = (fetchedOffset: number, from: number, to: number, nextOffset = to) => ({ fetchedOffset, nextOffset, highWatermark: 1_000, records: records(from, to) });

const drain = (queue: PartitionQueue): number[] => {
  const offsets: number[] = [];
  while (queue.size > 0) offsets.push(queue.shift().offset);
  return offsets;
};

describe('PartitionQueue', () => {
  it('takes a batch that continues where the queue is, and moves its position past it', () => {
    const queue = new PartitionQueue('t', 0);
    expect(queue.append(batch(10, 10, 13))).toBe('taken');
    expect(queue.append(batch(13, 13, 15))).toBe('taken');
    expect(queue.position).toBe(15);
    expect(drain(queue)).toEqual([10, 11, 12, 13, 14]);
  });

  it('refuses a batch fetched from after its position: taking it would skip records', () => {
    const queue = new PartitionQueue('t', 0);
    queue.append(batch(0, 0, 5));
    // A client that moved on without the runtime (records 5..9 never reached the queue).
    expect(queue.append(batch(10, 10, 20))).toBe('gap');
    expect(queue.position).toBe(5);
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4]);
    expect(queue.append(batch(5, 5, 20))).toBe('taken');
    expect(drain(queue)).toEqual(Array.from({ length: 15 }, (_, i) => 5 + i));
  });

  it('keeps each offset once when a fetch from before repeats records', () => {
    const queue = new PartitionQueue('t', 0);
    queue.append(batch(0, 0, 5));
    expect(queue.append(batch(3, 3, 8))).toBe('taken');
    expect(drain(queue)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(queue.consumed).toBe(8);
  });

  it('moves past transaction markers: a batch ending in one, and a range with only markers', () => {
    const queue = new PartitionQueue('t', 0);
    // Records 0..2, then a commit marker at 3: the next fetch starts at 4.
    queue.append(batch(0, 0, 3, 4));
    expect(queue.position).toBe(4);
    // A marker alone at 7 after records 4..6; the client moves past it without a batch.
    queue.append(batch(4, 4, 7));
    queue.pass({ nextOffset: 8 });
    expect(queue.append(batch(8, 8, 9))).toBe('taken');
    expect(drain(queue)).toEqual([0, 1, 2, 4, 5, 6, 8]);
    // An old pass behind the position changes nothing.
    queue.pass({ nextOffset: 5 });
    expect(queue.position).toBe(9);
  });

  it('starts again at an offset, dropping what it held', () => {
    const queue = new PartitionQueue('t', 0);
    queue.append(batch(0, 0, 5));
    queue.resetTo(3);
    expect(queue.size).toBe(0);
    expect(queue.append(batch(0, 0, 6))).toBe('taken');
    expect(drain(queue)).toEqual([3, 4, 5]);
  });
});
