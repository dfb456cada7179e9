import type { Headers, RecordContext, StreamRecord } from '../KeyValue';
import { toMillis, type Duration } from '../duration';
import type { AnyRecord, OperatorFactory } from '../graph/GraphNode';
import type { Cancellable, PunctuationType } from '../runtime/ProcessorNodeContext';
import type { StateStore } from '../state/StateStore';
import { recordOperator } from './operatorInternals';

/** What a custom processor may do (Kafka Streams' `api.ProcessorContext`). */
export interface ProcessorContext<KOut, VOut> {
  readonly taskId: string;
  readonly partition: number;
  readonly applicationId: string;
  /**
   * Sends a record to the processor's children. Without a timestamp it takes the timestamp
   * of the record being processed (or of the punctuation); headers likewise.
   */
  forward(record: { key: KOut; value: VOut; timestamp?: number; headers?: Headers }): void;
  getStateStore<S extends StateStore = StateStore>(name: string): S;
  /** Calls `punctuator` every `interval` of stream time or of wall-clock time. */
  schedule(interval: Duration, type: PunctuationType, punctuator: (timestamp: number) => void): Cancellable;
  streamTime(): number;
  currentSystemTimeMs(): number;
  /** Topic, partition, offset, timestamp and headers of the record being processed; `undefined` in a punctuator. */
  recordContext(): RecordContext | undefined;
}

/** A custom processor (Kafka Streams' `api.Processor`). */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: StreamRecord<KIn, VIn>): void;
  close?(): void;
}

/** Makes a new processor for each task. */
export type ProcessorSupplier<KIn, VIn, KOut, VOut> = () => Processor<KIn, VIn, KOut, VOut>;

/** The node behind `KStream.process()`: one processor instance per task. */
export function processRecords(supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>): OperatorFactory {
  return recordOperator((context, emit) => {
    const processor = supplier();
    let current: AnyRecord | undefined;
    let punctuationTime = 0;
    const processorContext: ProcessorContext<unknown, unknown> = {
      taskId: context.taskId,
      partition: context.partition,
      applicationId: context.applicationId,
      forward: ({ key, value, timestamp, headers }) => {
        emit({
          key,
          value,
          timestamp: timestamp ?? current?.timestamp ?? punctuationTime,
          headers: headers ?? current?.headers ?? {},
          topic: current?.topic ?? '',
          partition: current?.partition ?? context.partition,
          offset: current?.offset ?? -1,
        });
      },
      getStateStore: (name) => context.getStateStore(name),
      schedule: (interval, type, punctuator) =>
        context.schedule(toMillis(interval, 'punctuation interval'), type, (timestamp) => {
          punctuationTime = timestamp;
          punctuator(timestamp);
        }),
      streamTime: () => context.streamTime(),
      currentSystemTimeMs: () => context.currentSystemTimeMs(),
      recordContext: () =>
        current && {
          topic: current.topic,
          partition: current.partition,
          offset: current.offset,
          timestamp: current.timestamp,
          headers: current.headers,
        },
    };
    processor.init?.(processorContext);
    return {
      next(record) {
        current = record;
        try {
          processor.process(record);
        } finally {
          current = undefined;
        }
      },
      close: () => processor.close?.(),
    };
  });
}
