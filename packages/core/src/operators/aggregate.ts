import type { OperatorFactory } from '../graph/GraphNode';
import { change } from '../graph/Change';
import type { KeyValueStore } from '../state/KeyValueStore';
import type { RestorableStore } from '../state/StateStore';
import { storeKey } from '../state/storeKey';
import type { AnyRecord } from '../graph/GraphNode';
import { RecordCache } from './RecordCache';
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
 *
 * With record caches (`cacheMaxRecords`), the store is written at once without its changelog,
 * and each key updated since the last commit is logged and forwarded once at the commit,
 * with its latest aggregate and the old value of its first update since the previous one.
 */
export function aggregateStream(
  storeName: string,
  initialize: (() => unknown) | undefined,
  fold: (key: unknown, value: unknown, aggregate: unknown) => unknown,
  sendOldValues?: () => boolean,
): OperatorFactory {
  return recordOperator((context, emit) => {
    const store = context.getStateStore<KeyValueStore<unknown, unknown> & RestorableStore>(storeName);
    const cache =
      context.cacheMaxRecords > 0
        ? new RecordCache<HeldUpdate>(context, context.cacheMaxRecords, ({ record, value, timestamp, oldValue }) => {
            store.put(record.key, value, timestamp);
            emit(withValueAndTimestamp(record, change(value, oldValue), timestamp));
          })
        : undefined;
    return (record) => {
      if (record.key === null || record.key === undefined) return context.recordDropped('null-key', record);
      if (record.value === null || record.value === undefined) return context.recordDropped('null-value', record);
      const previous = store.getWithTimestamp(record.key);
      const stored = previous?.value ?? null;
      // reduce() has no initializer: its first value is the aggregate.
      const oldAggregate = stored === null && initialize ? initialize() : stored;
      const newAggregate = stored === null && !initialize ? record.value : fold(record.key, record.value, oldAggregate);
      const timestamp = previous ? Math.max(previous.timestamp, record.timestamp) : record.timestamp;
      const forwardedOld = sendOldValues === undefined ? stored : sendOldValues() ? oldAggregate : null;
      if (cache) {
        store.restore(record.key, newAggregate, timestamp);
        const held = cache.entry(storeKey(record.key), () => ({ record, value: newAggregate, timestamp, oldValue: forwardedOld }));
        held.record = record;
        held.value = newAggregate;
        held.timestamp = timestamp;
        return;
      }
      store.put(record.key, newAggregate, timestamp);
      emit(withValueAndTimestamp(record, change(newAggregate, forwardedOld), timestamp));
    };
  });
}

/** A key's updates since the last commit: the latest record (its key, context and headers) and aggregate, and the old value to forward. */
interface HeldUpdate {
  record: AnyRecord;
  value: unknown;
  timestamp: number;
  readonly oldValue: unknown;
}
