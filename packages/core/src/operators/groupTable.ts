import type { KeyValue } from '../KeyValue';
import type { OperatorFactory } from '../graph/GraphNode';
import { change, type Change } from '../graph/Change';
import type { KeyValueStore } from '../state/KeyValueStore';
import { storeKey } from '../state/storeKey';
import { CallbackResultError } from './operatorErrors';
import { recordOperator, withKeyValue, withValueAndTimestamp } from './operatorInternals';

/**
 * `KTable.groupBy`: maps each side of a table change to its new group. When both sides
 * land in the same group one record carries the whole change; otherwise the old group gets
 * a subtraction `(null, old)` before the new group gets an addition `(new, null)`, so the
 * aggregate downstream stays correct when a row moves between groups.
 */
export function selectTableGroup(selector: (key: unknown, value: unknown) => KeyValue<unknown, unknown>): OperatorFactory {
  return recordOperator((context, emit) => {
    const select = (key: unknown, value: unknown) => {
      const pair = selector(key, value);
      if (!Array.isArray(pair) || pair.length !== 2) throw new CallbackResultError('KTable.groupBy() must return a [key, value] pair', pair);
      return pair;
    };
    return (record) => {
      const { newValue, oldValue, isLatest } = record.value as Change<unknown>;
      // A versioned table's out-of-order update is not part of its latest state: not aggregated (KIP-914).
      if (isLatest === false) return;
      const next = newValue === null ? undefined : select(record.key, newValue);
      const previous = oldValue === null ? undefined : select(record.key, oldValue);
      if (next && previous && storeKey(next[0]) === storeKey(previous[0])) {
        emit(withKeyValue(record, next[0], change(next[1], previous[1])));
        return;
      }
      if (previous) emit(withKeyValue(record, previous[0], change(null, previous[1])));
      if (next) emit(withKeyValue(record, next[0], change(next[1], null)));
      if (!next && !previous) context.recordDropped('null-value', record);
    };
  });
}

/**
 * `KGroupedTable.count/reduce/aggregate`: subtracts the old value, then adds the new one,
 * and forwards the aggregate's change. Without an initializer (reduce) the first value
 * added is the aggregate.
 */
export function aggregateTable(
  storeName: string,
  initialize: (() => unknown) | undefined,
  add: (key: unknown, value: unknown, aggregate: unknown) => unknown,
  subtract: (key: unknown, value: unknown, aggregate: unknown) => unknown,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      const { newValue, oldValue } = record.value as Change<unknown>;
      const previous = store.getWithTimestamp(record.key);
      const oldAggregate = previous?.value ?? null;
      let aggregate: unknown = oldAggregate;
      if (oldValue !== null && aggregate !== null) aggregate = subtract(record.key, oldValue, aggregate);
      if (newValue !== null) {
        aggregate = aggregate === null && !initialize ? newValue : add(record.key, newValue, aggregate ?? initialize!());
      }
      const timestamp = previous ? Math.max(previous.timestamp, record.timestamp) : record.timestamp;
      store.put(record.key, aggregate ?? null, timestamp);
      emit(withValueAndTimestamp(record, change(aggregate ?? null, oldAggregate), timestamp));
    };
  });
}
