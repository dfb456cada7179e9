import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator } from './operatorInternals';

/**
 * Calls `action(key, value)` and passes the record on unchanged (`forward = true`, `peek`),
 * or ends the stream there (`foreach`).
 */
export function peekRecords(action: (key: unknown, value: unknown) => void, forward: boolean): OperatorFactory {
  return recordOperator((_context, emit) => (record) => {
    action(record.key, record.value);
    if (forward) emit(record);
  });
}
