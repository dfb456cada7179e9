import type { OperatorFactory } from '../graph/GraphNode';
import { CallbackResultError } from './operatorErrors';
import { recordOperator, withValue } from './operatorInternals';

/** Replaces each record with one record per value `mapper(value, key)` yields, key untouched. */
export function flatMapRecordValues(mapper: (value: unknown, key: unknown) => Iterable<unknown>): OperatorFactory {
  return recordOperator((_context, emit) => (record) => {
    const values = mapper(record.value, record.key);
    if (values == null || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new CallbackResultError('flatMapValues() must return an iterable', values);
    }
    for (const value of [...values]) emit(withValue(record, value));
  });
}
