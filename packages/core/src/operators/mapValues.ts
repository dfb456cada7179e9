import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator, withValue } from './operatorInternals';

/** Replaces the value with `mapper(value, key)`, key untouched. Record by record. */
export function mapRecordValues(mapper: (value: unknown, key: unknown) => unknown): OperatorFactory {
  return recordOperator((_context, emit) => (record) => emit(withValue(record, mapper(record.value, record.key))));
}
