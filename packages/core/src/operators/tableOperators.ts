import type { OperatorFactory } from '../graph/GraphNode';
import { change, type Change } from '../graph/Change';
import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator, withValue } from './operatorInternals';

/** Writes a derived table's new values to its store, when the table is materialized (named). */
function materializer(context: ProcessorNodeContext, storeName: string | undefined) {
  const store = storeName ? context.getStateStore<KeyValueStore<unknown, unknown>>(storeName) : undefined;
  return (key: unknown, value: unknown, timestamp: number) => store?.put(key, value ?? null, timestamp);
}

/**
 * `KTable.filter/filterNot`: a value that fails the predicate becomes `null`, so downstream
 * sees a delete for a key that stops matching (Kafka Streams' behaviour). A change that
 * is null on both sides is not forwarded when old values are sent.
 */
export function filterTable(
  predicate: (key: unknown, value: unknown) => boolean,
  negate: boolean,
  storeName: string | undefined,
  sendOldValues: () => boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const materialize = materializer(context, storeName);
    const keep = (key: unknown, value: unknown) => value !== null && Boolean(predicate(key, value)) !== negate;
    return (record) => {
      const { newValue, oldValue } = record.value as Change<unknown>;
      const newKept = keep(record.key, newValue) ? newValue : null;
      const oldKept = oldValue !== null && keep(record.key, oldValue) ? oldValue : null;
      if (sendOldValues() && newKept === null && oldKept === null) return;
      materialize(record.key, newKept, record.timestamp);
      emit(withValue(record, change(newKept, oldKept)));
    };
  });
}

/** `KTable.mapValues`: maps both sides of each change; `null` stays `null`. */
export function mapTableValues(
  mapper: (value: unknown, key: unknown) => unknown,
  storeName: string | undefined,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const materialize = materializer(context, storeName);
    return (record) => {
      const { newValue, oldValue } = record.value as Change<unknown>;
      const mappedNew = newValue === null ? null : mapper(newValue, record.key);
      const mappedOld = oldValue === null ? null : mapper(oldValue, record.key);
      materialize(record.key, mappedNew, record.timestamp);
      emit(withValue(record, change(mappedNew, mappedOld)));
    };
  });
}

/** `KTable.toStream`: each change becomes a record carrying the new value (`null` for a delete). */
export function tableToStream(): OperatorFactory {
  return recordOperator((_context, emit) => (record) => emit(withValue(record, (record.value as Change<unknown>).newValue)));
}
