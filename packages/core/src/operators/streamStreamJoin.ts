import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { JoinWindowStore } from '../state/JoinWindowStore';
import type { JoinSide, OuterJoinStore, PendingJoinRecord } from '../state/OuterJoinStore';
import type { JoinWindows } from '../windows/JoinWindows';
import { recordOperator, withKeyValue, withValue, withValueAndTimestamp } from './operatorInternals';

/**
 * Stream time as the two sides of one stream-stream join see it in one task (Kafka
 * Streams' `TimeTracker`): the largest timestamp either side has seen, and a lower bound
 * of the timestamps waiting in the outer join store.
 */
interface JoinTime {
  streamTime: number;
  minTime: number;
}

/**
 * The first step of each side of a stream-stream join (Kafka Streams' `KStreamJoinWindow`):
 * passes the record on to the join, then keeps it in this side's buffer for the other side
 * to find. Records with a `null` key are passed on but never kept.
 */
export function joinWindowBuffer(storeName: string): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<JoinWindowStore<unknown, unknown>>(storeName);
    return (record) => {
      emit(record);
      if (record.key !== null && record.key !== undefined) store.put(record.key, record.value ?? null, record.timestamp);
    };
  });
}

export interface StreamJoinSideOptions {
  /** The side this processor reads. */
  readonly side: JoinSide;
  /** The other side's buffer. */
  readonly otherStore: string;
  /** The shared store of unmatched records, for left and outer joins. */
  readonly outerStore: string | undefined;
  /** Whether this side's unmatched records are emitted (left side of a left join, both sides of an outer join). */
  readonly outer: boolean;
  readonly windows: JoinWindows;
  /** The user's joiner turned to this side: `(thisValue, otherValue, key)`. */
  readonly joiner: (thisValue: unknown, otherValue: unknown, key: unknown) => unknown;
  /** Names the join time both sides share in a task. */
  readonly timeKey: string;
}

/**
 * One side of a windowed stream-stream join (Kafka Streams' `KStreamKStreamJoin`). For each
 * record it emits one result per record of the other side with the same key inside the
 * join window, timestamped with the larger of the two timestamps. In a left or outer join,
 * a record without a partner is parked in the shared outer join store; its
 * `joiner(value, null)` result is emitted only once stream time has passed its window
 * and grace, and never if a partner arrives first. A record so late that its window has
 * already closed gets its unmatched result at once. Records with a `null` key or value are
 * dropped, except that a left or outer side emits a `null`-key record unmatched right away.
 */
export function streamStreamJoinSide(options: StreamJoinSideOptions): OperatorFactory {
  const { side, outer, windows, joiner } = options;
  const otherSide: JoinSide = side === 'left' ? 'right' : 'left';
  // The window seen from this side: the left side looks `before` back and `after` ahead, the right side the reverse.
  const joinBeforeMs = side === 'left' ? windows.beforeMs : windows.afterMs;
  const joinAfterMs = side === 'left' ? windows.afterMs : windows.beforeMs;
  const graceMs = windows.graceMs;
  // How long an unmatched record of each side waits: the left side's partners may come `after` later, the right side's `before`.
  const lookBackMs = (stored: JoinSide) => (stored === 'left' ? windows.afterMs : windows.beforeMs);

  return recordOperator((context, emit) => {
    const otherStore = context.getStateStore<JoinWindowStore<unknown, unknown>>(options.otherStore);
    const outerStore = options.outerStore === undefined ? undefined : context.getStateStore<OuterJoinStore>(options.outerStore);
    const time = context.shared<JoinTime>(options.timeKey, () => ({ streamTime: -1, minTime: Number.POSITIVE_INFINITY }));

    const joinPending = (pending: PendingJoinRecord, value: unknown) =>
      pending.side === side ? joiner(value, null, pending.key) : joiner(null, value, pending.key);

    /** Emits the parked records whose window and grace have passed (Kafka Streams' `emitNonJoinedOuterRecords`). */
    const emitExpired = (store: OuterJoinStore, current: AnyRecord) => {
      // An empty store leaves minTime unbounded; Kafka Streams' long arithmetic then overflows and scans anyway.
      const bound = Number.isFinite(time.minTime) ? time.minTime + joinAfterMs + graceMs : joinAfterMs + graceMs > 0 ? -Infinity : Infinity;
      if (bound >= time.streamTime) return;
      time.minTime = Number.POSITIVE_INFINITY;
      let leftOpen = false;
      let rightOpen = false;
      for (const pending of store.all()) {
        time.minTime = pending.timestamp;
        if (leftOpen && rightOpen) break;
        if (pending.timestamp + lookBackMs(pending.side) + graceMs >= time.streamTime) {
          if (pending.side === 'left') leftOpen = true;
          else rightOpen = true;
          continue;
        }
        for (const value of pending.values) {
          emit(withKeyValue(current, pending.key, joinPending(pending, value), pending.timestamp));
        }
        store.delete(pending.timestamp, pending.side, pending.key);
      }
    };

    return (record) => {
      const { key, value, timestamp } = record;
      if (timestamp > time.streamTime) time.streamTime = timestamp;
      const nullKey = key === null || key === undefined;
      const nullValue = value === null || value === undefined;
      if (outer && nullKey && !nullValue) {
        emit(withValue(record, joiner(value, null, key)));
        return;
      }
      if (nullKey || nullValue) {
        context.recordDropped(nullKey ? 'null-key' : 'null-value', record);
        return;
      }
      if (outerStore && timestamp === time.streamTime) emitExpired(outerStore, record);

      const timeFrom = Math.max(0, timestamp - joinBeforeMs);
      const timeTo = Math.max(0, timestamp + joinAfterMs);
      const partners = otherStore.fetchRecords(key, timeFrom, timeTo);
      for (const partner of partners) {
        outerStore?.delete(partner.timestamp, otherSide, key);
        emit(withValueAndTimestamp(record, joiner(value, partner.value, key), Math.max(timestamp, partner.timestamp)));
      }
      if (outer && partners.length === 0) {
        if (!outerStore || timeTo < time.streamTime) {
          // Its window has closed already: nothing can join it any more.
          emit(withValue(record, joiner(value, null, key)));
        } else {
          if (timestamp < time.minTime) time.minTime = timestamp;
          outerStore.add(timestamp, side, key, value);
        }
      }
    };
  });
}
