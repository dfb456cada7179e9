import type { Headers } from '../KeyValue';
import type { AnyRecord } from '../graph/GraphNode';
import type { Change } from '../graph/Change';
import type { Windowed } from '../windows/Windowed';
import { withKeyValue } from './operatorInternals';

/**
 * What a windowed count, reduce or aggregate folds with. `reduce` has an initializer that
 * returns `null` and an aggregator that starts from the first value, as in Kafka Streams.
 */
export interface WindowAggregation {
  readonly storeName: string;
  readonly initializer: () => unknown;
  readonly aggregator: (key: unknown, value: unknown, aggregate: unknown) => unknown;
  /** `emitStrategy(onWindowClose())`: updates are not forwarded; each window is forwarded once when it closes. */
  readonly emitOnClose: boolean;
  /**
   * Whether the table sends old values (asked for by a downstream `filter`, `groupBy`, join or
   * `suppress`): then a new window's first update carries the initializer's result (sliding
   * windows: the aggregate it was seeded with) as its old value, as Kafka Streams forwards it,
   * and other updates the previous aggregate; when it does not, old values are `null`. Left
   * out, a new window's old value is `null` and other updates carry the previous aggregate.
   */
  readonly sendOldValues?: () => boolean;
  /** `onWindowClose`: the store that keeps the last emitted close time across restarts (see `windowCloseTracker`). */
  readonly closeTrackerStore?: string;
}

/** A result of a windowed aggregation: the input record's context, a windowed key, a change. */
/** The old value a window update forwards (see {@link WindowAggregation.sendOldValues}). */
export function forwardedOldValue(aggregation: WindowAggregation, previous: unknown, isNew: boolean): unknown {
  const { sendOldValues } = aggregation;
  if (sendOldValues === undefined) return isNew ? null : previous;
  return sendOldValues() ? previous : null;
}

export function windowedRecord(source: AnyRecord, key: Windowed<unknown>, value: Change<unknown>, timestamp: number, headers: Headers): AnyRecord {
  return withKeyValue(source, key, value, timestamp, headers);
}

/**
 * A copy of an aggregate that seeds a second window (sliding windows), so an aggregator
 * that mutates its aggregate in place cannot change both. Kafka Streams gets the same
 * isolation from serializing store values.
 */
export function copyAggregate<A>(aggregate: A): A {
  if (aggregate === null || typeof aggregate !== 'object') return aggregate;
  try {
    return structuredClone(aggregate);
  } catch {
    return aggregate;
  }
}

/** Records a session or window emits with no headers (Kafka Streams forwards session updates as new records). */
export const noHeaders: Headers = Object.freeze({}) as Headers;
