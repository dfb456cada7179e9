import { Observable } from 'rxjs';
import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';

/**
 * The one helper every operator is written with (after RxJS's `operate`): `init` runs once
 * per task and returns what to do with each record. Whatever the record handler throws
 * (user code, a serde, a store) goes to the task's processing error handler for that
 * record, so one bad record never tears the pipeline down.
 */
export function recordOperator(
  init: (context: ProcessorNodeContext, emit: (record: AnyRecord) => void) => RecordHandler,
): OperatorFactory {
  return (context) => (source) =>
    new Observable<AnyRecord>((subscriber) => {
      const handler = init(context, (record) => subscriber.next(record));
      const onRecord = typeof handler === 'function' ? handler : handler.next;
      const subscription = source.subscribe({
        next: (record) => {
          try {
            onRecord(record);
          } catch (error) {
            context.reportError(error, record);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      if (typeof handler !== 'function' && handler.close) subscription.add(handler.close);
      return subscription;
    });
}

/** What an operator does per record, optionally with what to do when the task closes. */
export type RecordHandler = ((record: AnyRecord) => void) | { next(record: AnyRecord): void; close?(): void };

/** The same record with another key and value, and optionally another timestamp and headers (its context kept). */
export function withKeyValue(record: AnyRecord, key: unknown, value: unknown, timestamp = record.timestamp, headers = record.headers): AnyRecord {
  return { key, value, timestamp, headers, topic: record.topic, partition: record.partition, offset: record.offset };
}

/** The same record with another value. */
export function withValue(record: AnyRecord, value: unknown): AnyRecord {
  return withKeyValue(record, record.key, value);
}

/** The same record with another value and timestamp. */
export function withValueAndTimestamp(record: AnyRecord, value: unknown, timestamp: number): AnyRecord {
  return withKeyValue(record, record.key, value, timestamp);
}
