import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { TimeOrderedRecordBuffer } from '../state/TimeOrderedRecordBuffer';
import { recordOperator, withValue } from './operatorInternals';
import type { TableValueGetterSupplier } from './tableValueGetter';

/**
 * A stream-table join with a grace period (Kafka Streams' `KStreamKTableJoinProcessor` with
 * `Joined.withGracePeriod`): each stream record waits in a time-ordered buffer until the
 * buffer's stream time has passed its timestamp by the grace period, then looks up the
 * versioned table as of its timestamp and emits `joiner(value, tableValue, key)` with its own
 * timestamp, so table updates up to the grace period late are taken into account. Stateful:
 * the buffer store. Records come out in timestamp order (equal timestamps by serialized key);
 * a record already more than the grace period behind is joined at once. An inner join emits
 * nothing when the table had no value then; a left join emits with `null`. Records with a
 * `null` value are dropped, and with a `null` key too, except that a left join emits those at
 * once, unmatched.
 */
export function streamTableJoinGrace(
  table: TableValueGetterSupplier,
  bufferStoreName: string,
  joiner: (value: unknown, tableValue: unknown, key: unknown) => unknown,
  leftJoin: boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const lookup = table.create(context);
    const buffer = context.getStateStore<TimeOrderedRecordBuffer>(bufferStoreName);
    const join = (record: AnyRecord) => {
      const found = record.key === null || record.key === undefined ? undefined : lookup(record.key, record.timestamp);
      if (found === undefined && !leftJoin) return;
      emit(withValue(record, joiner(record.value, found === undefined ? null : found.value, record.key)));
    };
    // A joiner that throws on a buffered record fails (or skips) that record, not the ones after it.
    const joinBuffered = (record: AnyRecord) => {
      try {
        join(record);
      } catch (error) {
        context.reportError(error, record);
      }
    };
    return (record) => {
      const nullKey = record.key === null || record.key === undefined;
      const nullValue = record.value === null || record.value === undefined;
      if (nullValue || (nullKey && !leftJoin)) return context.recordDropped(nullValue ? 'null-value' : 'null-key', record);
      // Kafka Streams' buffer refuses null keys (it fails the task); nothing could match them anyway.
      if (nullKey) return join(record);
      if (!buffer.put(record)) return join(record);
      buffer.evictReady(joinBuffered);
    };
  });
}
