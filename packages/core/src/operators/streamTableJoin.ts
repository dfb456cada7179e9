import type { OperatorFactory } from '../graph/GraphNode';
import { recordOperator, withValue } from './operatorInternals';
import type { TableValueGetterSupplier } from './tableValueGetter';

/**
 * A stream-table or stream-globalTable join (Kafka Streams' `KStreamKTableJoinProcessor`):
 * each stream record looks up the table's current value for its key (or, for a global
 * table, for `keySelector(key, value)`) and emits `joiner(value, tableValue, key)` with the
 * stream record's timestamp. Table updates never trigger output. An inner join emits
 * nothing when the table has no value; a left join emits with `null`. A versioned table is
 * read as of the stream record's timestamp instead of its current value. Records with a
 * `null` value are dropped, and so are records whose lookup key (the record's key, or what
 * the global table's `keySelector` returns) is `null` in an inner join; a left join emits
 * them unmatched, `joiner(value, null, key)` (Kafka Streams 4.x; 3.x dropped a global
 * table's `null` lookup key).
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
      const keepNullKey = leftJoin && noLookupKey && !nullValue;
      if (!keepNullKey && (noLookupKey || nullValue)) {
        context.recordDropped(nullValue ? 'null-value' : 'null-key', record);
        return;
      }
      // A versioned table answers as of the stream record's time (Kafka Streams 3.5+); others ignore it.
      const found = noLookupKey ? undefined : lookup(lookupKey, record.timestamp);
      if (found === undefined && !leftJoin) return;
      emit(withValue(record, joiner(value, found === undefined ? null : found.value, key)));
    };
  });
}
