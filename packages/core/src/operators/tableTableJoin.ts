import { change, type Change } from '../graph/Change';
import type { OperatorFactory } from '../graph/GraphNode';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator, withValue, withValueAndTimestamp } from './operatorInternals';
import type { TableValueGetterSupplier } from './tableValueGetter';

/**
 * What one side of a table-table join does with an update it receives: `inner`, `left`
 * and `outer` as the join kind says; `right` is the right side of a left join (it emits
 * only while the left side has a value).
 */
export type TableJoinSideKind = 'inner' | 'left' | 'right' | 'outer';

/** A joiner turned to the side that received the update: `(thisValue, otherValue, key)`. */
type SideJoiner = (thisValue: unknown, otherValue: unknown, key: unknown) => unknown;

/**
 * One side of a table-table join (Kafka Streams' `KTableKTable{Inner,Left,Right,Outer}Join`):
 * an update on this side looks up the other side's current value and forwards the
 * joined change `(joined new value, joined old value)`, timestamped with the larger of the
 * two sides' timestamps. A `null` joined new value is a delete downstream. The old value is
 * computed only when downstream asked for old values. An out-of-order update of a versioned
 * table (older than the key's latest version) is ignored.
 */
export function tableJoinSide(
  kind: TableJoinSideKind,
  other: TableValueGetterSupplier,
  joiner: SideJoiner,
  sendOldValues: () => boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const lookup = other.create(context);
    return (record) => {
      const { key } = record;
      if (key === null || key === undefined) return context.recordDropped('null-key', record);
      const { newValue, oldValue, isLatest } = record.value as Change<unknown>;
      // An out-of-order update of a versioned table changes its history, not the join (KIP-914).
      if (isLatest === false) return context.recordDropped('out-of-order', record);
      const found = lookup(key);
      const otherValue = found === undefined ? null : found.value;
      if (found === undefined) {
        if (kind === 'inner' || kind === 'right') return;
        if (newValue === null && oldValue === null) return;
      }
      const timestamp = found === undefined ? record.timestamp : Math.max(record.timestamp, found.timestamp);
      let joinedNew: unknown = null;
      let joinedOld: unknown = null;
      if (kind === 'right') {
        joinedNew = joiner(newValue, otherValue, key);
        if (sendOldValues()) joinedOld = joiner(oldValue, otherValue, key);
      } else if (kind === 'outer') {
        if (otherValue !== null || newValue !== null) joinedNew = joiner(newValue, otherValue, key);
        if (sendOldValues() && (otherValue !== null || oldValue !== null)) joinedOld = joiner(oldValue, otherValue, key);
      } else {
        if (newValue !== null) joinedNew = joiner(newValue, otherValue, key);
        if (sendOldValues() && oldValue !== null) joinedOld = joiner(oldValue, otherValue, key);
      }
      emit(withValueAndTimestamp(record, change(joinedNew ?? null, joinedOld ?? null), timestamp));
    };
  });
}

/**
 * Where the two sides of a table-table join meet (Kafka Streams' `KTableKTableJoinMerger`):
 * writes the joined value to the result's store when it is materialized, and forwards the
 * change (the old value only when downstream asked for it).
 */
export function tableJoinMerge(storeName: string | undefined, sendOldValues: () => boolean): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = storeName === undefined ? undefined : context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
    return (record) => {
      const { newValue } = record.value as Change<unknown>;
      store?.put(record.key, newValue, record.timestamp);
      emit(sendOldValues() ? record : withValue(record, change(newValue, null)));
    };
  });
}

/** Looks up the joined value of an unmaterialized join result: both sides' values, joined as the kind says. */
export function tableJoinValueGetter(
  kind: 'inner' | 'left' | 'outer',
  left: TableValueGetterSupplier,
  right: TableValueGetterSupplier,
  joiner: (leftValue: unknown, rightValue: unknown, key: unknown) => unknown,
): TableValueGetterSupplier {
  return {
    storeNames: [...new Set([...left.storeNames, ...right.storeNames])],
    create: (context) => {
      const getLeft = left.create(context);
      const getRight = right.create(context);
      return (key) => {
        const l = getLeft(key);
        if (kind !== 'outer' && l === undefined) return undefined;
        const r = getRight(key);
        if (kind === 'inner' && r === undefined) return undefined;
        if (l === undefined && r === undefined) return undefined;
        const value = joiner(l === undefined ? null : l.value, r === undefined ? null : r.value, key);
        if (value === null || value === undefined) return undefined;
        return { value, timestamp: Math.max(l?.timestamp ?? -1, r?.timestamp ?? -1) };
      };
    },
  };
}
