import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { InMemoryWindowStore } from '../state/InMemoryWindowStore';
import type { TimeWindows } from '../windows/TimeWindows';
import { windowed } from '../windows/Windowed';
import { recordOperator } from './operatorInternals';
import { windowedRecord, type WindowAggregation } from './windowAggregateInternals';

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
 * With `onWindowClose`, nothing is forwarded on update; instead, each record that moves
 * the close time (stream time - grace) forwards the windows that closed, once each, by
 * start then key.
 */
export function aggregateTimeWindows(windows: TimeWindows, aggregation: WindowAggregation): OperatorFactory {
  const { sizeMs, advanceMs, graceMs } = windows;
  const { storeName, initializer, aggregator, emitOnClose } = aggregation;
  return recordOperator((context, emit) => {
    const store = context.getStateStore<InMemoryWindowStore<unknown, unknown>>(storeName);
    let observedStreamTime = Number.NEGATIVE_INFINITY;
    let lastEmitCloseTime: number | undefined;

    const emitClosedWindows = (record: AnyRecord, closeTime: number) => {
      if (lastEmitCloseTime !== undefined && lastEmitCloseTime >= closeTime) return;
      const upper = closeTime - sizeMs;
      if (upper < 0) return;
      const lower = lastEmitCloseTime === undefined ? 0 : Math.max(0, lastEmitCloseTime - sizeMs) + 1;
      for (const window of store.entriesBetween(lower, upper)) {
        emit(windowedRecord(record, window.windowedKey, change(window.value, null), window.timestamp, record.headers));
      }
      lastEmitCloseTime = closeTime;
    };

    return (record) => {
      const key = record.key;
      if (key === null || key === undefined) return context.recordDropped('null-key', record);
      const timestamp = record.timestamp;
      if (timestamp > observedStreamTime) observedStreamTime = timestamp;
      const closeTime = observedStreamTime - graceMs;
      // Closed windows are disjoint from the windows this record may still update, so
      // emitting them first forwards what Kafka Streams forwards after the update, and
      // reads them before the update's write can move them out of retention.
      if (emitOnClose) emitClosedWindows(record, closeTime);
      for (let start = windows.firstWindowStart(timestamp); start <= timestamp; start += advanceMs) {
        const end = start + sizeMs;
        if (end <= closeTime) {
          context.recordDropped('late', record);
          continue;
        }
        const previous = store.entryAt(key, start);
        const oldAggregate = previous === undefined ? null : previous.value;
        const newAggregate = aggregator(key, record.value, oldAggregate === null ? initializer() : oldAggregate) ?? null;
        const newTimestamp = previous === undefined ? timestamp : Math.max(timestamp, previous.timestamp);
        const written = store.putEntry(key, newAggregate, start, newTimestamp);
        if (!emitOnClose) {
          const windowedKey = written ? written.windowedKey : windowed(key, start, end);
          emit(windowedRecord(record, windowedKey, change(newAggregate, oldAggregate), newTimestamp, record.headers));
        }
      }
    };
  });
}
