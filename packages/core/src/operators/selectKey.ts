import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator, withKeyValue } from './operatorInternals';

/** Sets the key to `selector(key, value)`, value untouched. Changes the key. */
export function selectRecordKey(selector: (key: unknown, value: unknown) => unknown): OperatorFactory {
  return recordOperator((_context, emit) => (record) => emit(withKeyValue(record, selector(record.key, record.value), record.value)));
}
