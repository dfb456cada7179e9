import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator } from './operatorInternals';

/**
 * Keeps the records for which `predicate(key, value)` is true (or false, for `filterNot`).
 * A record-by-record operation; a dropped record is complete for commits at once.
 */
export function filterRecords(predicate: (key: unknown, value: unknown) => boolean, negate = false): OperatorFactory {
  return recordOperator((_context, emit) => (record) => {
    if (Boolean(predicate(record.key, record.value)) !== negate) emit(record);
  });
}
