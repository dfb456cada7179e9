import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { Change } from '../graph/Change';
import { StreamsError } from '../errors';
import type { BufferedRecord, InMemoryTimeOrderedKeyValueBuffer } from '../state/InMemoryTimeOrderedKeyValueBuffer';
import type { Windowed } from '../windows/Windowed';
import { recordOperator } from './operatorInternals';

/** What a `KTable.suppress` node does, resolved from its `Suppressed` at build time. */
export interface SuppressionPlan {
  readonly storeName: string;
  /** A buffered key's time: its window's end (final results) or its record's timestamp. */
  readonly bufferTime: 'windowEnd' | 'recordTime';
  /** How far stream time must pass a key's buffer time before the key is forwarded. */
  readonly suppressMs: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly whenFull: 'emitEarly' | 'shutDown';
  /** Final results drop tombstones (a merged-away session) instead of forwarding them. */
  readonly dropTombstones: boolean;
}

/**
 * The stateful step behind `KTable.suppress` (Kafka Streams' `KTableSuppressProcessor`):
 * buffers each table update, the latest per key, and forwards a key once the stream time
 * this node has seen (the largest timestamp among the records it received) is at least
 * its buffer time plus the suppression time. A forwarded record keeps the timestamp,
 * headers and value of the latest buffered update. Checked after every record, so a
 * window's final result comes with the first record that moves stream time past it.
 */
export function suppressRecords(plan: SuppressionPlan): OperatorFactory {
  const { storeName, bufferTime, suppressMs, maxRecords, maxBytes, whenFull, dropTombstones } = plan;
  return recordOperator((context, emit) => {
    const buffer = context.getStateStore<InMemoryTimeOrderedKeyValueBuffer>(storeName);
    let observedStreamTime = Number.NEGATIVE_INFINITY;
    const forward = (buffered: BufferedRecord) => {
      if (buffered.value.newValue === null && dropTombstones) return;
      emit({ ...buffered });
    };
    const overCapacity = () => buffer.numRecords() > maxRecords || buffer.bufferSize() > maxBytes;
    return (record: AnyRecord) => {
      if (record.timestamp > observedStreamTime) observedStreamTime = record.timestamp;
      const time = bufferTime === 'windowEnd' ? (record.key as Windowed<unknown>).window.end : record.timestamp;
      buffer.put(time, {
        key: record.key,
        value: record.value as Change<unknown>,
        timestamp: record.timestamp,
        headers: record.headers,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      });
      const expiryTime = observedStreamTime - suppressMs;
      buffer.evictWhile(() => buffer.minTime() <= expiryTime, forward);
      if (!overCapacity()) return;
      if (whenFull === 'emitEarly') {
        buffer.evictWhile(overCapacity, forward);
        return;
      }
      throw new StreamsError(
        `${context.nodeName} buffer exceeded its max capacity. Currently [${buffer.numRecords()}/${maxRecords}] records and [${buffer.bufferSize()}/${maxBytes}] bytes.`,
      );
    };
  });
}
