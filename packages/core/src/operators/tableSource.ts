import type { OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator, withValue } from './operatorInternals';

/**
 * Turns a stream of updates into a table (`builder.table`, `toTable`): the latest record
 * per key wins, a `null` value deletes the key. Writes `storeName` and forwards the change
 * (new value, old value). Records with a `null` key are dropped and counted.
 */
export function materializeTable(storeName: string): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      const oldValue = store.get(record.key) ?? null;
      const newValue = record.value ?? null;
      store.put(record.key, newValue, record.timestamp);
      emit(withValue(record, change(newValue, oldValue)));
    };
  });
}
