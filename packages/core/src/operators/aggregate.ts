import type { OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { KeyValueStore } from '../state/KeyValueStore';
import { recordOperator, withValueAndTimestamp } from './operatorInternals';

/**
 * The stateful step behind `KGroupedStream.count/reduce/aggregate`: reads the key's
 * aggregate from `storeName` (or starts one), folds the record in, writes it back and
 * forwards the change. Records with a `null` key or value are dropped and counted. The
 * output timestamp is the largest timestamp of the records in the aggregate. Emits on
 * every update.
 *
 * When the table sends old values (`sendOldValues`), a key's first update carries the
 * initializer's result as its old value, as Kafka Streams' `KStreamAggregate` forwards it
 * (`reduce`, without an initializer, carries `null`); otherwise the old value is `null`.
 * Without `sendOldValues`, the old value is the stored aggregate or `null`.
 */
export function aggregateStream(
  storeName: string,
  initialize: (() => unknown) | undefined,
  fold: (key: unknown, value: unknown, aggregate: unknown) => unknown,
  sendOldValues?: () => boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      if (record.value === null || record.value === undefined) return context.recordDropped('null-value', record);
      const previous = store.getWithTimestamp(record.key);
      const stored = previous?.value ?? null;
      // reduce() has no initializer: its first value is the aggregate.
      const oldAggregate = stored === null && initialize ? initialize() : stored;
      const newAggregate = stored === null && !initialize ? record.value : fold(record.key, record.value, oldAggregate);
      const timestamp = previous ? Math.max(previous.timestamp, record.timestamp) : record.timestamp;
      store.put(record.key, newAggregate, timestamp);
      const forwardedOld = sendOldValues === undefined ? stored : sendOldValues() ? oldAggregate : null;
      emit(withValueAndTimestamp(record, change(newAggregate, forwardedOld), timestamp));
    };
  });
}
