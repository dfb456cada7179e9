import type { OperatorFactory } from '../graph/GraphNode';
import { change, type Change } from '../graph/Change';
import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator, withValue } from './operatorInternals';

/**
 * A derived table's store, when the table is materialized (named): `previous` reads the value
 * it held (its old value), `write` stores the new one.
 */
function materializer(context: ProcessorNodeContext, storeName: string | undefined) {
  const store = storeName ? context.getStateStore<KeyValueStore<unknown, unknown>>(storeName) : undefined;
  return {
    stored: store !== undefined,
    previous: (key: unknown) => store?.get(key) ?? null,
    write: (key: unknown, value: unknown, timestamp: number) => store?.put(key, value ?? null, timestamp),
  };
}

/**
 * `KTable.filter/filterNot` (Kafka Streams' `KTableFilter`): a value that fails the predicate
 * becomes `null`, so downstream sees a delete for a key that stops matching. When this table
 * sends old values (`sendOldValues`: its parent sends them, or it is named), the old value is
 * the previous kept value (from its own store when named) and a change that is null on both
 * sides is not forwarded, except below a versioned table (Kafka Streams' versioned semantics
 * of `KTableFilter`); otherwise the old value is `null` and every change is forwarded.
 */
export function filterTable(
  predicate: (key: unknown, value: unknown) => boolean,
  negate: boolean,
  storeName: string | undefined,
  sendOldValues: () => boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const materialized = materializer(context, storeName);
    const keep = (key: unknown, value: unknown) => value !== null && Boolean(predicate(key, value)) !== negate;
    return (record) => {
      const { newValue, oldValue, isLatest } = record.value as Change<unknown>;
      const sendOld = sendOldValues();
      const newKept = keep(record.key, newValue) ? newValue : null;
      const oldKept = !sendOld ? null : materialized.stored ? materialized.previous(record.key) : keep(record.key, oldValue) ? oldValue : null;
      // Below a versioned table (isLatest set) the old value is the latest, not the previous version: always forward.
      if (isLatest === undefined && sendOld && newKept === null && oldKept === null) return;
      materialized.write(record.key, newKept, record.timestamp);
      emit(withValue(record, change(newKept, oldKept, storeName ? undefined : isLatest)));
    };
  });
}

/**
 * `KTable.mapValues` (Kafka Streams' `KTableMapValues`): maps the new value; `null` stays
 * `null`. The old value is mapped (or read from its own store when named) only when this
 * table sends old values.
 */
export function mapTableValues(
  mapper: (value: unknown, key: unknown) => unknown,
  storeName: string | undefined,
  sendOldValues: () => boolean = () => true,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const materialized = materializer(context, storeName);
    return (record) => {
      const { newValue, oldValue, isLatest } = record.value as Change<unknown>;
      const mappedNew = newValue === null ? null : mapper(newValue, record.key);
      const mappedOld = !sendOldValues() ? null : materialized.stored ? materialized.previous(record.key) : oldValue === null ? null : mapper(oldValue, record.key);
      materialized.write(record.key, mappedNew, record.timestamp);
      // A store of its own makes the result an ordinary table again (its writes are all latest).
      emit(withValue(record, change(mappedNew, mappedOld, storeName ? undefined : isLatest)));
    };
  });
}

/** `KTable.toStream`: each change becomes a record carrying the new value (`null` for a delete). */
export function tableToStream(): OperatorFactory {
  return recordOperator((_context, emit) => (record) => emit(withValue(record, (record.value as Change<unknown>).newValue)));
}
