import type { OperatorFunction } from 'rxjs';
import type { StreamRecord } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';

/** What flows between nodes inside a task; table nodes carry a {@link Change} as value. */
export type AnyRecord = StreamRecord<unknown, unknown>;

/** Builds the RxJS operator for one node of one task. */
export type OperatorFactory = (context: ProcessorNodeContext) => OperatorFunction<AnyRecord, AnyRecord>;

/** A sink's topic: fixed, or chosen per record (Kafka Streams' `TopicNameExtractor`). */
export type TopicChooser = string | ((key: unknown, value: unknown, record: AnyRecord) => string);

/** Chooses a partition for a sink record; `undefined` means Kafka's default (murmur2 of the key). */
export type StreamPartitioner = (topic: string, key: unknown, value: unknown, partitions: number) => number | undefined;

interface NodeBase {
  readonly name: string;
  readonly parents: GraphNode[];
  readonly children: GraphNode[];
}

export interface SourceNode extends NodeBase {
  readonly kind: 'source';
  readonly topics: readonly string[];
  /** True for repartition topics: the runtime prefixes them with the application id. */
  readonly internal: boolean;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  /** Extracts the event time of a record; defaults to the record's own timestamp. */
  readonly timestampExtractor: ((record: AnyRecord) => number) | undefined;
  /** For a repartition topic: its partition count when fixed (`repartition({ numberOfPartitions })`). */
  readonly numberOfPartitions?: number;
}

export interface ProcessorNode extends NodeBase {
  readonly kind: 'processor';
  readonly operator: OperatorFactory;
  readonly stores: string[];
}

export interface SinkNode extends NodeBase {
  readonly kind: 'sink';
  readonly topic: TopicChooser;
  readonly internal: boolean;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  readonly partitioner: StreamPartitioner | undefined;
}

export type GraphNode = SourceNode | ProcessorNode | SinkNode;
