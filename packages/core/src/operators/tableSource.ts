import type { OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { KeyValueStore } from '../state/KeyValueStore';
import { isVersionedStore, PUT_RETURN_CODE_NOT_PUT, PUT_RETURN_CODE_VALID_TO_UNDEFINED } from '../state/VersionedKeyValueStore';
import { recordOperator, withValue } from './operatorInternals';

/**
 * Turns a stream of updates into a table (`builder.table`, `toTable`): the latest record
 * per key wins, a `null` value deletes the key. Writes `storeName` and forwards the change
 * (new value, old value). Records with a `null` key are dropped and counted.
 *
 * With a versioned store (Kafka Streams' `KTableSource` on a versioned store), every update
 * becomes a version at its timestamp: an update older than the key's latest version is still
 * forwarded, marked `isLatest: false` (with the latest value as old value), and one older than
 * the history retention allows is refused by the store and dropped (`expired-record`).
 */
export function materializeTable(storeName: string): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore(storeName);
    if (isVersionedStore(store)) {
      return (record) => {
        if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
        const oldValue = store.get(record.key)?.value ?? null;
        const newValue = record.value ?? null;
        const validTo = store.put(record.key, newValue, record.timestamp);
        if (validTo === PUT_RETURN_CODE_NOT_PUT) return context.recordDropped('expired-record', record);
        emit(withValue(record, change(newValue, oldValue, validTo === PUT_RETURN_CODE_VALID_TO_UNDEFINED)));
      };
    }
    const keyValue = store as KeyValueStore<unknown, unknown>;
    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      const oldValue = keyValue.get(record.key) ?? null;
      const newValue = record.value ?? null;
      keyValue.put(record.key, newValue, record.timestamp);
      emit(withValue(record, change(newValue, oldValue)));
    };
  });
}
