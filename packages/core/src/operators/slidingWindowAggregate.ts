import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import { StreamsError } from '../errors';
import type { AggregationWindowStore } from '../state/aggregationStores';
import type { WindowEntry } from '../state/AbstractWindowStore';
import type { SlidingWindows } from '../windows/SlidingWindows';
import { windowed } from '../windows/Windowed';
import { recordOperator } from './operatorInternals';
import { copyAggregate, forwardedOldValue, windowedRecord, type WindowAggregation } from './windowAggregateInternals';
import { windowCloseTracker } from './windowCloseTracker';

/** An aggregate and the largest timestamp folded into it (`null` stands for "no aggregate"). */
interface Aggregate {
  readonly value: unknown;
  readonly timestamp: number;
}

const aggregateOf = (value: unknown, timestamp: number): Aggregate | null =>
  value === null || value === undefined ? null : { value, timestamp };

/**
 * The stateful step behind `windowedBy(SlidingWindows).count/reduce/aggregate`, following
 * Kafka Streams' `KStreamSlidingWindowAggregate` step by step. Windows are `[start, end]`
 * with `end = start + timeDifference`. For a record at `t` it updates every existing
 * window of the key that contains `t` (latest start first), creates the record's left
 * window `[t - d, t]` from the latest earlier aggregate, the right window of the previous
 * record when the record falls in it, and the record's own right window `[t + 1, t + 1 + d]`
 * when later records exist. Records earlier than `d` share `[0, d]`.
 *
 * A record whose left window ended before `streamTime - grace` is dropped as `late`;
 * each existing window too old to update counts as `late` as well. Records with a `null`
 * key or value are dropped. With `onWindowClose`, windows are forwarded once, when
 * `end < streamTime - grace`, by start then key: after its update, a record that moves the
 * close time reads back the closed windows starting from `lastEmittedCloseTime - d` that the
 * window store still retains (measured from the latest window start written, as in Kafka
 * Streams, so a record far ahead can leave windows unread). Records earlier than `d` and
 * late records read nothing back.
 */
export function aggregateSlidingWindows(windows: SlidingWindows, aggregation: WindowAggregation): OperatorFactory {
  const d = windows.timeDifferenceMs;
  const { graceMs } = windows;
  const { storeName, initializer, aggregator, emitOnClose, closeTrackerStore } = aggregation;
  return recordOperator((context, emit) => {
    const store = context.getStateStore<AggregationWindowStore<unknown, unknown>>(storeName);
    const tracker = windowCloseTracker(context, closeTrackerStore, storeName);
    let observedStreamTime = Number.NEGATIVE_INFINITY;

    const forward = (record: AnyRecord, start: number, newValue: unknown, oldValue: unknown, timestamp: number) => {
      if (!emitOnClose) emit(windowedRecord(record, windowed(record.key, start, start + d), change(newValue, oldValue), timestamp, record.headers));
    };

    /** Kafka's `updateWindowAndForward`: folds the record into `existing` (or into nothing) unless the window closed. */
    const updateWindow = (record: AnyRecord, start: number, existing: Aggregate | null, closeTime: number, isNew: boolean) => {
      if (start + d < closeTime) {
        context.recordDropped('late', record);
        return;
      }
      const oldValue = existing === null ? null : existing.value;
      const newValue = aggregator(record.key, record.value, oldValue) ?? null;
      const timestamp = oldValue === null ? record.timestamp : Math.max(record.timestamp, existing!.timestamp);
      // An expired window is not stored but still forwarded, as in Kafka Streams (whose store counts it as dropped).
      if (!store.put(record.key, newValue, start, timestamp)) context.recordDropped('expired-window', record);
      forward(record, start, newValue, forwardedOldValue(aggregation, oldValue, isNew), timestamp);
    };

    const createPreviousRecordRightWindow = (record: AnyRecord, start: number, closeTime: number) =>
      updateWindow(record, start, aggregateOf(initializer(), record.timestamp), closeTime, true);

    const createCurrentRecordRightWindow = (record: AnyRecord, rightAggregate: Aggregate) => {
      const start = record.timestamp + 1;
      store.put(record.key, rightAggregate.value, start, rightAggregate.timestamp);
      forward(record, start, rightAggregate.value, null, rightAggregate.timestamp);
    };

    /** The right window holds records later than `t` exactly when its aggregate's timestamp is. */
    const rightWindowIsNotEmpty = (rightAggregate: Aggregate | null, t: number): rightAggregate is Aggregate =>
      rightAggregate !== null && rightAggregate.timestamp > t;

    const createWindows = (
      record: AnyRecord,
      closeTime: number,
      windowStarts: Set<number>,
      rightAggregate: Aggregate | null,
      leftAggregate: Aggregate | null,
      leftWindowExists: boolean,
      rightWindowExists: boolean,
      previousRecordTimestamp: number | null,
    ) => {
      const t = record.timestamp;
      if (previousRecordTimestamp !== null) {
        const previousRightStart = previousRecordTimestamp + 1;
        if (!windowStarts.has(previousRightStart) && previousRightStart + d >= t) createPreviousRecordRightWindow(record, previousRightStart, closeTime);
      }
      if (!leftWindowExists) {
        // The left window holds the previous record when it lies within d of this one.
        const seed =
          previousRecordTimestamp !== null && t - d <= previousRecordTimestamp
            ? aggregateOf(copyAggregate(leftAggregate!.value), t)
            : aggregateOf(initializer(), t);
        updateWindow(record, t - d, seed, closeTime, true);
      }
      if (!rightWindowExists && rightWindowIsNotEmpty(rightAggregate, t)) createCurrentRecordRightWindow(record, rightAggregate);
    };

    const unexpectedWindow = (start: number, t: number) =>
      new StreamsError(`sliding window aggregation found an unexpected window starting at ${start} while processing a record at ${t}`);

    /** Kafka's `processReverse`: walks the key's windows in `[t - 2d, t + 1]`, latest start first. */
    const processRecord = (record: AnyRecord, closeTime: number) => {
      const t = record.timestamp;
      const found = store.entriesFor(record.key, Math.max(0, t - 2 * d), t + 1);
      const windowStarts = new Set<number>();
      let leftAggregate: Aggregate | null = null;
      let rightAggregate: Aggregate | null = null;
      let leftWindowExists = false;
      let rightWindowExists = false;
      let previousRecordTimestamp: number | null = null;
      for (let i = found.length - 1; i >= 0; i--) {
        const window: WindowEntry<unknown, unknown> = found[i]!;
        const start = window.start;
        windowStarts.add(start);
        const end = start + d;
        if (start === t + 1) {
          rightWindowExists = true;
        } else if (end > t) {
          if (rightAggregate === null) rightAggregate = window.timestamp > t ? { value: copyAggregate(window.value), timestamp: window.timestamp } : window;
          updateWindow(record, start, window, closeTime, false);
        } else if (end === t) {
          leftWindowExists = true;
          updateWindow(record, start, window, closeTime, false);
          if (window.timestamp < t) previousRecordTimestamp = window.timestamp;
          else return;
        } else if (end < t) {
          leftAggregate = window;
          previousRecordTimestamp = window.timestamp;
          break;
        } else {
          throw unexpectedWindow(start, t);
        }
      }
      createWindows(record, closeTime, windowStarts, rightAggregate, leftAggregate, leftWindowExists, rightWindowExists, previousRecordTimestamp);
    };

    /** Kafka's `processEarly`: a record at `t < d` goes into the shared window `[0, d]`. */
    const processEarlyRecord = (record: AnyRecord, closeTime: number) => {
      const t = record.timestamp;
      let combined: WindowEntry<unknown, unknown> | null = null;
      let rightAggregate: Aggregate | null = null;
      let rightWindowExists = false;
      let previousRecordTimestamp: number | null = null;
      const windowStarts = new Set<number>();
      for (const window of store.entriesFor(record.key, 0, t + 1)) {
        const start = window.start;
        windowStarts.add(start);
        if (start === 0) {
          combined = window;
          if (window.timestamp < t) previousRecordTimestamp = window.timestamp;
        } else if (start <= t) {
          rightAggregate = window.timestamp > t ? { value: copyAggregate(window.value), timestamp: window.timestamp } : window;
          updateWindow(record, start, window, closeTime, false);
        } else if (start === t + 1) {
          rightWindowExists = true;
        } else {
          throw unexpectedWindow(start, t);
        }
      }
      // Without a later window, the combined window's records after t belong in t's right window.
      if (rightAggregate === null && combined !== null && combined.timestamp > t) {
        rightAggregate = { value: copyAggregate(combined.value), timestamp: combined.timestamp };
      }
      if (!rightWindowExists && rightWindowIsNotEmpty(rightAggregate, t)) createCurrentRecordRightWindow(record, rightAggregate);
      if (previousRecordTimestamp !== null && !windowStarts.has(previousRecordTimestamp + 1)) {
        createPreviousRecordRightWindow(record, previousRecordTimestamp + 1, closeTime);
      }
      if (combined === null) updateWindow(record, 0, aggregateOf(initializer(), t), closeTime, true);
      else updateWindow(record, 0, combined, closeTime, false);
    };

    /** Kafka's `maybeForwardFinalResult`, without the wall-clock throttle. */
    const emitClosedWindows = (record: AnyRecord, closeTime: number) => {
      const lastEmitted = tracker.lastEmitted();
      if (lastEmitted !== undefined && lastEmitted >= closeTime) return;
      const upper = closeTime - d - 1;
      if (upper < 0) return;
      const lower = lastEmitted === undefined ? 0 : Math.max(0, lastEmitted - d);
      for (const window of store.entriesBetween(lower, upper)) {
        emit(windowedRecord(record, window.windowedKey, change(window.value, null), window.timestamp, record.headers));
      }
      tracker.emitted(closeTime, record.timestamp);
    };

    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      if (record.value === null || record.value === undefined) return context.recordDropped('null-value', record);
      const t = record.timestamp;
      if (t > observedStreamTime) observedStreamTime = t;
      const closeTime = observedStreamTime - graceMs;
      if (t + d < closeTime) return context.recordDropped('late', record);
      if (t < d) return processEarlyRecord(record, closeTime);
      processRecord(record, closeTime);
      // After the update, as in Kafka Streams: its writes may move the store's retention past closed windows not read yet.
      if (emitOnClose) emitClosedWindows(record, closeTime);
    };
  });
}
