import { describe, expect, it } from 'vitest';
import { replayInteractions } from '../../src/data';
import type { CustomerInteraction, InteractionRecord } from '../../src/data';

function interaction(eventId: string, customerId: string, timestamp: number): CustomerInteraction {
  return {
    eventId,
    customerId,
    invoiceNo: eventId.split('-')[0] as string,
    type: 'purchase',
    stockCode: '85123A',
    description: 'WHITE HANGING HEART T-LIGHT HOLDER',
    quantity: 1,
    unitPrice: 2.55,
    amount: 2.55,
    country: 'United Kingdom',
    timestamp,
  };
}

/** A sink that remembers its batches. */
function collector() {
  const batches: InteractionRecord[][] = [];
  return { batches, sink: (batch: InteractionRecord[]) => void batches.push(batch) };
}

describe('replayInteractions', () => {
  it('sends records keyed by customer with the event time, in batches', async () => {
    const events = [interaction('1-2', 'a', 100), interaction('1-3', 'b', 100), interaction('2-4', 'a', 200)];
    const { batches, sink } = collector();
    const summary = await replayInteractions(events, sink, { batchSize: 2 });
    expect(batches).toEqual([
      [
        { key: 'a', value: events[0], timestamp: 100 },
        { key: 'b', value: events[1], timestamp: 100 },
      ],
      [{ key: 'a', value: events[2], timestamp: 200 }],
    ]);
    expect(summary).toEqual({ records: 3, batches: 2, sorted: false, firstTimestamp: 100, lastTimestamp: 200 });
  });

  it('sorts an out-of-order source stably, without touching the caller’s array', async () => {
    const events = [
      interaction('3-1', 'c', 300),
      interaction('1-1', 'a', 100),
      interaction('2-1', 'b', 200),
      interaction('1-2', 'a2', 100),
    ];
    const before = [...events];
    const { batches, sink } = collector();
    const summary = await replayInteractions(events, sink);
    expect(batches.flat().map((r) => r.value.eventId)).toEqual(['1-1', '1-2', '2-1', '3-1']);
    expect(summary.sorted).toBe(true);
    expect(events).toEqual(before);
  });

  it('reads async iterables and waits for an async sink', async () => {
    async function* source() {
      yield interaction('1-1', 'a', 1);
      yield interaction('1-2', 'a', 2);
    }
    const received: string[] = [];
    await replayInteractions(source(), async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      received.push(...batch.map((r) => r.value.eventId));
    }, { batchSize: 1 });
    expect(received).toEqual(['1-1', '1-2']);
  });

  it('paces the replay with speedup, batching only records that are due', async () => {
    // 0, 0 and 60 ms of event time at speedup 1: the third record comes ~60 ms later.
    const events = [interaction('1-1', 'a', 0), interaction('1-2', 'a', 0), interaction('2-1', 'b', 60)];
    const arrivals: number[] = [];
    const started = performance.now();
    const summary = await replayInteractions(events, (batch) => void arrivals.push(performance.now() - started), {
      speedup: 1,
    });
    expect(summary.batches).toBe(2);
    expect(arrivals[0]).toBeLessThan(50);
    expect(arrivals[1]).toBeGreaterThanOrEqual(55);
  });

  it('does nothing for an empty source', async () => {
    const { batches, sink } = collector();
    expect(await replayInteractions([], sink)).toEqual({
      records: 0,
      batches: 0,
      sorted: false,
      firstTimestamp: undefined,
      lastTimestamp: undefined,
    });
    expect(batches).toEqual([]);
  });

  it('rejects bad options', async () => {
    await expect(replayInteractions([], () => {}, { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(replayInteractions([], () => {}, { speedup: 0 })).rejects.toThrow(RangeError);
  });
});
