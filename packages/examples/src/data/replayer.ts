import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomerInteraction } from './interaction';

/** A record for the `customer_interactions` topic: key `customerId`, timestamp the event time. */
export interface InteractionRecord {
  key: string;
  value: CustomerInteraction;
  timestamp: number;
}

/**
 * Where the replayer sends records, a batch at a time: a Kafka producer, an
 * in-memory topic, a test array. The next batch waits until the returned promise
 * settles, so a slow sink slows the replay down (backpressure).
 */
export type InteractionSink = (batch: InteractionRecord[]) => Promise<void> | void;

/** Options of {@link replayInteractions}. */
export interface ReplayOptions {
  /**
   * How much faster than real time to replay: `3600` plays an hour of event time
   * per second, `1` is real time. Defaults to `Infinity`: as fast as the sink
   * accepts, with no waiting.
   */
  speedup?: number;
  /** The most records in one call of the sink. Defaults to `500`. */
  batchSize?: number;
}

/** What a replay did. */
export interface ReplaySummary {
  /** Records sent. */
  records: number;
  /** Calls of the sink. */
  batches: number;
  /** Whether the source was out of event-time order and had to be sorted. */
  sorted: boolean;
  /** Event time of the first and last record; undefined for an empty source. */
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
}

/**
 * Replays interactions as `customer_interactions` records in event-time order:
 * key `customerId`, value the interaction, timestamp its `timestamp`.
 *
 * The source is read to its end first. If it is not in non-decreasing timestamp
 * order it is sorted, stably, so events with the same timestamp keep their source
 * order (the Online Retail file is already in order; the rows of an invoice share
 * a minute and stay in line order). The caller's array is never modified.
 *
 * With a finite `speedup`, each record is sent no earlier than its event time
 * (relative to the first record) divided by the speedup; a batch holds only
 * records that are already due, up to `batchSize`.
 *
 * ## Example
 *
 * ```ts
 * import { loadOnlineRetail, replayInteractions } from '@tributary/examples';
 *
 * const { interactions } = await loadOnlineRetail();
 * await replayInteractions(interactions, (batch) => producer.send({
 *   topic: 'customer_interactions',
 *   messages: batch.map((r) => ({ key: r.key, value: JSON.stringify(r.value), timestamp: String(r.timestamp) })),
 * }), { batchSize: 1000 });
 * ```
 *
 * @param source The interactions, in any order; an array, or any (async) iterable.
 * @param sink Receives the records, batch by batch, in event-time order.
 * @param options See {@link ReplayOptions}.
 * @return What was sent, once the sink has accepted the last batch.
 */
export async function replayInteractions(
  source: Iterable<CustomerInteraction> | AsyncIterable<CustomerInteraction>,
  sink: InteractionSink,
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const speedup = options.speedup ?? Number.POSITIVE_INFINITY;
  const batchSize = options.batchSize ?? 500;
  if (!(speedup > 0)) throw new RangeError(`speedup must be > 0, got ${speedup}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }

  let events = Array.isArray(source) ? (source as CustomerInteraction[]) : await collect(source);
  const sorted = !inEventTimeOrder(events);
  if (sorted) events = [...events].sort((a, b) => a.timestamp - b.timestamp); // Array#sort is stable

  const first = events[0]?.timestamp;
  const paced = Number.isFinite(speedup) && first !== undefined;
  const startedAt = performance.now();
  const dueAt = (event: CustomerInteraction): number => startedAt + (event.timestamp - (first ?? 0)) / speedup;

  let batches = 0;
  for (let i = 0; i < events.length; ) {
    if (paced) {
      const wait = dueAt(events[i] as CustomerInteraction) - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const now = performance.now();
    const batch: InteractionRecord[] = [];
    do {
      const event = events[i] as CustomerInteraction;
      batch.push({ key: event.customerId, value: event, timestamp: event.timestamp });
      i++;
    } while (i < events.length && batch.length < batchSize && (!paced || dueAt(events[i] as CustomerInteraction) <= now));
    await sink(batch);
    batches++;
  }

  return {
    records: events.length,
    batches,
    sorted,
    firstTimestamp: first,
    lastTimestamp: events[events.length - 1]?.timestamp,
  };
}

async function collect<T>(source: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

function inEventTimeOrder(events: readonly CustomerInteraction[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as CustomerInteraction).timestamp < (events[i - 1] as CustomerInteraction).timestamp) return false;
  }
  return true;
}
