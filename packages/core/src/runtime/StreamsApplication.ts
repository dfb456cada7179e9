import type { Observable } from 'rxjs';
import type { ReadOnlyKeyValueStore } from '../state/KeyValueStore';

/** The lifecycle of a running application, as Kafka Streams' `KafkaStreams.State`. */
export type StreamsState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'ERROR';

/** One input partition as the application sees it (the seed's lag formula). */
export interface PartitionMetrics {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; `null` before the first commit. */
  readonly committedOffset: number | null;
  readonly logEndOffset: number;
  /** `logEndOffset - committedOffset` (the whole log when nothing is committed). */
  readonly lag: number;
  readonly consumed: number;
}

/** A snapshot of an application's metrics (design section 8). */
export interface StreamsMetrics {
  readonly elapsedMs: number;
  readonly consumed: number;
  /** Records consumed / elapsed seconds. */
  readonly consumptionRate: number;
  readonly processed: number;
  readonly processRate: number;
  /** Summed over partitions. */
  readonly lag: number;
  readonly partitions: readonly PartitionMetrics[];
  readonly droppedRecords: number;
  readonly droppedByReason: Readonly<Record<string, number>>;
  readonly commits: number;
  /** Average and maximum end-to-end latency (processing time - record timestamp), ms. */
  readonly endToEndLatencyMs: { readonly avg: number; readonly max: number };
  /** Average and maximum time to process one record synchronously, ms. */
  readonly processLatencyMs: { readonly avg: number; readonly max: number };
  /** Average commit duration, ms. */
  readonly commitLatencyMs: number;
  readonly restore: readonly { readonly store: string; readonly partition: number; readonly restored: number; readonly total: number }[];
}

/** What an application reports while it runs. */
export type StreamsEvent =
  | { readonly type: 'state'; readonly from: StreamsState; readonly to: StreamsState }
  | { readonly type: 'metrics'; readonly metrics: StreamsMetrics }
  | {
      readonly type: 'restore';
      readonly store: string;
      readonly partition: number;
      /** Changelog offsets restored so far, of `total`. */
      readonly restored: number;
      readonly total: number;
      /** Offsets per second so far (runtimes that read changelogs report it). */
      readonly ratePerSecond?: number;
      /** Estimated time left at that rate, ms; `undefined` while not known, `0` when done. */
      readonly remainingMs?: number | undefined;
      /** Whether a persistent store restores from its checkpoint rather than from scratch. */
      readonly fromCheckpoint?: boolean;
      /** The changelog offset restoration started at. */
      readonly startOffset?: number;
    }
  | { readonly type: 'commit'; readonly offsets: readonly { topic: string; partition: number; offset: number }[] }
  | { readonly type: 'error'; readonly error: Error };

/**
 * A topology running as an application: `KafkaStreams` on a broker, or the embedded
 * engine on in-memory topics. Code written against this interface switches between them
 * by changing the line that creates the application.
 */
export interface StreamsApplication {
  readonly state: StreamsState;
  start(): Promise<void>;
  close(): Promise<void>;
  metrics(): StreamsMetrics;
  /** A read-only view of a key-value store across this instance's tasks (interactive queries). */
  store<K = unknown, V = unknown>(name: string): ReadOnlyKeyValueStore<K, V>;
  /** State changes, metrics, restore progress, commits and errors. */
  readonly events: Observable<StreamsEvent>;
}
