import { StreamsError } from '../errors';
import type { OperatorFactory } from '../graph/GraphNode';
import { FixedKeyRecord } from './FixedKeyRecord';
import { processRecords, type ProcessorContext } from './process';

/**
 * What a `processValues` processor may do (Kafka Streams' `api.FixedKeyProcessorContext`):
 * everything a `process` processor may, except that `forward` takes only a
 * {@link FixedKeyRecord} made from a received record, so the key stays as it was.
 */
export interface FixedKeyProcessorContext<K, VOut> extends Omit<ProcessorContext<K, VOut>, 'forward'> {
  /** Sends `record` (`received.withValue(...)`, with its timestamp and headers) to the processor's children. */
  forward(record: FixedKeyRecord<K, VOut>): void;
}

/** A custom processor that may change values but not keys (Kafka Streams' `api.FixedKeyProcessor`). */
export interface FixedKeyProcessor<K, VIn, VOut = never> {
  init?(context: FixedKeyProcessorContext<K, VOut>): void;
  process(record: FixedKeyRecord<K, VIn>): void;
  close?(): void;
}

/** Makes a new fixed-key processor for each task. */
export type FixedKeyProcessorSupplier<K, VIn, VOut> = () => FixedKeyProcessor<K, VIn, VOut>;

/**
 * The node behind `KStream.processValues()`: one processor instance per task, run as a
 * `process()` processor whose forwards keep the received key.
 */
export function processRecordValues(supplier: FixedKeyProcessorSupplier<unknown, unknown, unknown>): OperatorFactory {
  return processRecords(() => {
    const processor = supplier();
    return {
      init(context) {
        // The context's methods are closures (no `this`), so the fixed-key context shares them.
        processor.init?.({
          ...context,
          forward: (record) => {
            if (!FixedKeyRecord.isFixedKey(record)) {
              throw new StreamsError('processValues: forward() takes a FixedKeyRecord made from a received record (record.withValue(...)), so the key cannot change');
            }
            context.forward({ key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers });
          },
        });
      },
      process: (record) => processor.process(FixedKeyRecord.of(record)),
      close: () => processor.close?.(),
    };
  });
}
