import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { AggregationSessionStore } from '../state/aggregationStores';
import type { SessionWindows } from '../windows/SessionWindows';
import { windowed } from '../windows/Windowed';
import { recordOperator } from './operatorInternals';
import { noHeaders, windowedRecord, type WindowAggregation } from './windowAggregateInternals';
import { windowCloseTracker } from './windowCloseTracker';

/**
 * The stateful step behind `windowedBy(SessionWindows).count/reduce/aggregate` (Kafka
 * Streams' `KStreamSessionWindowAggregate`). A record at `t` finds the key's sessions
 * with `end >= t - gap` and `start <= t + gap`, merges their aggregates with `merger`
 * into the session spanning all of them and `t`, and folds the record in. If that
 * session ends before `streamTime - gap - grace`, the record is dropped as `late`.
 * Otherwise, when sessions were merged (or the record extends one), each old session is
 * deleted downstream with a tombstone (timestamp: its end), then the new session is
 * forwarded (timestamp: its end). Records with a `null` key are dropped.
 *
 * With `onWindowClose`, nothing is forwarded on update; each session is forwarded once
 * when `end < streamTime - gap - grace`, by end, then start, then key.
 */
export function aggregateSessionWindows(
  windows: SessionWindows,
  aggregation: WindowAggregation & { readonly merger: (key: unknown, aggregate1: unknown, aggregate2: unknown) => unknown },
): OperatorFactory {
  const { gapMs, graceMs } = windows;
  const { storeName, initializer, aggregator, merger, emitOnClose, closeTrackerStore } = aggregation;
  return recordOperator((context, emit) => {
    const store = context.getStateStore<AggregationSessionStore<unknown, unknown>>(storeName);
    const tracker = windowCloseTracker(context, closeTrackerStore, storeName);
    let observedStreamTime = Number.NEGATIVE_INFINITY;

    const emitClosedSessions = (record: AnyRecord, closeTime: number) => {
      const lastEmitted = tracker.lastEmitted();
      if (lastEmitted !== undefined && lastEmitted >= closeTime) return;
      const upper = closeTime - 1;
      if (upper < 0) return;
      const lower = Math.max(0, lastEmitted ?? -1);
      if (upper < lower) return;
      for (const session of store.entriesEndingBetween(lower, upper)) {
        emit(windowedRecord(record, session.sessionKey, change(session.value, null), session.sessionKey.window.end, record.headers));
      }
      tracker.emitted(closeTime, record.timestamp);
    };

    return (record) => {
      const key = record.key;
      if (key === null || key === undefined) return context.recordDropped('null-key', record);
      const t = record.timestamp;
      if (t > observedStreamTime) observedStreamTime = t;
      const closeTime = observedStreamTime - graceMs - gapMs;
      // Sessions this record merges end at t - gap or later, never before the close time,
      // so emitting closed sessions first forwards what Kafka Streams forwards afterwards.
      if (emitOnClose) emitClosedSessions(record, closeTime);
      const merged = store.entriesFor(key, t - gapMs, t + gapMs);
      let aggregate = initializer();
      let start = t;
      let end = t;
      for (const session of merged) {
        aggregate = merger(key, aggregate, session.value);
        if (session.sessionKey.window.start < start) start = session.sessionKey.window.start;
        if (session.sessionKey.window.end > end) end = session.sessionKey.window.end;
      }
      if (end < closeTime) return context.recordDropped('late', record);
      if (start !== t || end !== t) {
        for (const session of merged) {
          store.remove(session.sessionKey);
          if (!emitOnClose) emit(windowedRecord(record, session.sessionKey, change(null, session.value), session.sessionKey.window.end, noHeaders));
        }
      }
      aggregate = aggregator(key, record.value, aggregate) ?? null;
      const sessionKey = windowed(key, start, end);
      if (!store.put(sessionKey, aggregate)) context.recordDropped('expired-window', record);
      if (!emitOnClose) emit(windowedRecord(record, sessionKey, change(aggregate, null), end, noHeaders));
    };
  });
}
