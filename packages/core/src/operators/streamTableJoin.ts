import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator, withValue } from './operatorInternals';
import type { TableValueGetterSupplier } from './tableValueGetter';

/**
 * A stream-table or stream-globalTable join (Kafka Streams' `KStreamKTableJoinProcessor`):
 * each stream record looks up the table's current value for its key (or, for a global
 * table, for `keySelector(key, value)`) and emits `joiner(value, tableValue, key)` with the
 * stream record's timestamp. Table updates never trigger output. An inner join emits
 * nothing when the table has no value; a left join emits with `null`. Records with a
 * `null` value or lookup key are dropped; a left join still emits a `null`-key record,
 * unmatched (Kafka Streams 3.7+).
 */
export function streamTableJoin(
  table: TableValueGetterSupplier,
  keySelector: ((key: unknown, value: unknown) => unknown) | undefined,
  joiner: (value: unknown, tableValue: unknown, key: unknown) => unknown,
  leftJoin: boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const lookup = table.create(context);
    return (record) => {
      const { key, value } = record;
      const lookupKey = keySelector ? keySelector(key, value) : key;
      const noLookupKey = lookupKey === null || lookupKey === undefined;
      const nullValue = value === null || value === undefined;
      const keepNullKey = leftJoin && (key === null || key === undefined) && !nullValue;
      if (!keepNullKey && (noLookupKey || nullValue)) {
        context.recordDropped(nullValue ? 'null-value' : 'null-key', record);
        return;
      }
      const found = noLookupKey ? undefined : lookup(lookupKey);
      if (found === undefined && !leftJoin) return;
      emit(withValue(record, joiner(value, found === undefined ? null : found.value, key)));
    };
  });
}
