import type { Change } from '../graph/Change';
import type { OperatorFactory } from '../graph/GraphNode';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator } from './operatorInternals';

/**
 * Writes each change a table forwards into `storeName` (the new value; `null` deletes),
 * so the table can be looked up by a join. A leaf: it forwards nothing.
 */
export function materializeChanges(storeName: string): OperatorFactory {
  return recordOperator((context) => {
    const store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
    return (record) => {
      if (record.key === null || record.key === undefined) return;
      store.put(record.key, (record.value as Change<unknown>).newValue ?? null, record.timestamp);
    };
  });
}
