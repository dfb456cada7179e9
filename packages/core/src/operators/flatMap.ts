import type { KeyValue } from '../KeyValue';
import type { OperatorFactory } from '../graph/GraphNode';
import { CallbackResultError } from './operatorErrors';
import { recordOperator, withKeyValue } from './operatorInternals';

/** Replaces each record with the `[key, value]` pairs `mapper` yields (none, one or many). Changes the key. */
export function flatMapRecords(mapper: (key: unknown, value: unknown) => Iterable<KeyValue<unknown, unknown>>): OperatorFactory {
  return recordOperator((_context, emit) => (record) => {
    const pairs = mapper(record.key, record.value);
    if (pairs == null || typeof (pairs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new CallbackResultError('flatMap() must return an iterable of [key, value] pairs', pairs);
    }
    // Collect first so a bad pair late in the list emits nothing for this record.
    const out = [...pairs];
    for (const pair of out) if (!Array.isArray(pair) || pair.length !== 2) throw new CallbackResultError('flatMap() must yield [key, value] pairs', pair);
    for (const [key, value] of out) emit(withKeyValue(record, key, value));
  });
}
