import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { AggregationWindowStore } from '../state/aggregationStores';
import type { RestorableStore } from '../state/StateStore';
import { storeKey } from '../state/storeKey';
import type { TimeWindows } from '../windows/TimeWindows';
import { windowed } from '../windows/Windowed';
import { recordOperator } from './operatorInternals';
import { RecordCache } from './RecordCache';
import { forwardedOldValue, windowedRecord, type WindowAggregation } from './windowAggregateInternals';
import { windowCloseTracker } from './windowCloseTracker';

/**
 * The stateful step behind `windowedBy(TimeWindows).count/reduce/aggregate` (Kafka
 * Streams' `KStreamWindowAggregate`). For each window `[start, end)` that contains the
 * record, in ascending start: if stream time (the largest timestamp this node has seen,
 * the record included) is still below `end + grace`, folds the record into the window's
 * aggregate in the window store and forwards the change; otherwise counts the record as
 * `late` for that window. The output timestamp is the largest input timestamp in the
 * window. Records with a `null` key are dropped (`null-key`); `null` values reach the
 * aggregator, as in Kafka Streams.
 *
 * With `onWindowClose`, nothing is forwarded on update; instead, after its update, each
 * record that moves the close time (stream time - grace) past the last one emitted reads
 * back the windows that closed since, as Kafka Streams does: those starting after the
 * previous read (`lastEmittedCloseTime - size`) and ending by the close time, still retained
 * by the window store (retention is measured from the latest window start written, so a
 * record far ahead can leave windows unread), by start then key.
 *
 * With record caches (`cacheMaxRecords`), windows are written at once without their
 * changelog, and each window updated since the last commit is logged (and, without
 * `onWindowClose`, forwarded) once at the commit, with its latest aggregate.
 */
export function aggregateTimeWindows(windows: TimeWindows, aggregation: WindowAggregation): OperatorFactory {
  const { sizeMs, advanceMs, graceMs } = windows;
  const { storeName, initializer, aggregator, emitOnClose, closeTrackerStore } = aggregation;
  /** Kafka's `shouldRangeFetch`: whether some window starts between the two times (both windowsFor sets differ). */
  const windowBoundaryBetween = (lower: number, upper: number) =>
    windows.firstWindowStart(lower) !== windows.firstWindowStart(upper) || lastStartAtOrBefore(lower) !== lastStartAtOrBefore(upper);
  const lastStartAtOrBefore = (t: number) => t - (t % advanceMs);
  return recordOperator((context, emit) => {
    const store = context.getStateStore<AggregationWindowStore<unknown, unknown> & RestorableStore>(storeName);
    const tracker = windowCloseTracker(context, closeTrackerStore, storeName);
    const cache =
      context.cacheMaxRecords > 0
        ? new RecordCache<HeldWindow>(context, context.cacheMaxRecords, ({ record, start, value, timestamp, oldValue }) => {
            // A window past retention by now is not logged (a restore would drop it), but still forwarded, as Kafka Streams' caching store does.
            const written = store.putEntry(record.key, value, start, timestamp);
            const windowedKey = written ? written.windowedKey : windowed(record.key, start, start + sizeMs);
            if (!emitOnClose) emit(windowedRecord(record, windowedKey, change(value, oldValue), timestamp, record.headers));
          })
        : undefined;
    let observedStreamTime = Number.NEGATIVE_INFINITY;

    /** Kafka's `maybeForwardFinalResult`, without the wall-clock throttle. */
    const emitClosedWindows = (record: AnyRecord, closeTime: number) => {
      const lastEmitted = tracker.lastEmitted();
      if (lastEmitted !== undefined && lastEmitted >= closeTime) return;
      const upper = closeTime - sizeMs;
      if (upper < 0) return;
      const lower = lastEmitted === undefined ? 0 : Math.max(0, lastEmitted - sizeMs) + 1;
      if (lastEmitted !== undefined && !windowBoundaryBetween(lower - 1, upper)) return;
      for (const window of store.entriesBetween(lower, upper)) {
        emit(windowedRecord(record, window.windowedKey, change(window.value, null), window.timestamp, record.headers));
      }
      tracker.emitted(closeTime, record.timestamp);
    };

    return (record) => {
      const key = record.key;
      if (key === null || key === undefined) return context.recordDropped('null-key', record);
      const timestamp = record.timestamp;
      if (timestamp > observedStreamTime) observedStreamTime = timestamp;
      const closeTime = observedStreamTime - graceMs;
      for (let start = windows.firstWindowStart(timestamp); start <= timestamp; start += advanceMs) {
        const end = start + sizeMs;
        if (end <= closeTime) {
          context.recordDropped('late', record);
          continue;
        }
        const previous = store.entryAt(key, start);
        const oldAggregate = previous === undefined ? initializer() : previous.value;
        const newAggregate = aggregator(key, record.value, oldAggregate) ?? null;
        const newTimestamp = previous === undefined ? timestamp : Math.max(timestamp, previous.timestamp);
        if (cache) {
          store.restore(windowed(key, start, end), newAggregate, newTimestamp);
          const old = forwardedOldValue(aggregation, oldAggregate, previous === undefined);
          const id = storeKey(key);
          const held = cache.entry(`${start}/${typeof id}/${String(id)}`, () => ({ record, start, value: newAggregate, timestamp: newTimestamp, oldValue: old }));
          held.record = record;
          held.value = newAggregate;
          held.timestamp = newTimestamp;
          continue;
        }
        const written = store.putEntry(key, newAggregate, start, newTimestamp);
        if (!emitOnClose) {
          const windowedKey = written ? written.windowedKey : windowed(key, start, end);
          const old = forwardedOldValue(aggregation, oldAggregate, previous === undefined);
          emit(windowedRecord(record, windowedKey, change(newAggregate, old), newTimestamp, record.headers));
        }
      }
      // After the update, as in Kafka Streams: the windows it wrote may move the store's
      // retention past closed windows that were not read yet, and those are never emitted.
      if (emitOnClose) emitClosedWindows(record, closeTime);
    };
  });
}

/** A window's updates since the last commit: the latest record (its key and context) and aggregate, and the old value to forward. */
interface HeldWindow {
  record: AnyRecord;
  readonly start: number;
  value: unknown;
  timestamp: number;
  readonly oldValue: unknown;
}
