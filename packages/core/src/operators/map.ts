import type { KeyValue } from '../KeyValue';
import type { OperatorFactory } from '../graph/GraphNode';
import { CallbackResultError } from './operatorErrors';
import { recordOperator, withKeyValue } from './operatorInternals';

/** Replaces key and value with the `[key, value]` pair `mapper` returns. Record by record; changes the key. */
export function mapRecords(mapper: (key: unknown, value: unknown) => KeyValue<unknown, unknown>): OperatorFactory {
  return recordOperator((_context, emit) => (record) => {
    const pair = mapper(record.key, record.value);
    if (!Array.isArray(pair) || pair.length !== 2) throw new CallbackResultError('map() must return a [key, value] pair', pair);
    emit(withKeyValue(record, pair[0], pair[1]));
  });
}
