import type { Logger } from './Logger';
import type { RecordHold } from './CommitTracker';
import type { StateStore } from '../state/StateStore';
import type { AnyRecord } from '../graph/GraphNode';

/** When a punctuator fires: as stream time passes, or as the wall clock does. */
export type PunctuationType = 'stream-time' | 'wall-clock-time';

export interface Cancellable {
  cancel(): void;
}

/**
 * What a node's operator may ask of the task it runs in. One per (node, task). Operators
 * never throw for a record: user code that throws goes to {@link reportError}.
 */
export interface ProcessorNodeContext {
  readonly nodeName: string;
  /** `<subTopologyId>_<partition>`, as Kafka Streams names tasks. */
  readonly taskId: string;
  readonly partition: number;
  readonly applicationId: string;
  readonly logger: Logger;
  /** The largest record timestamp the task has seen; never decreases. `-Infinity` before the first record. */
  streamTime(): number;
  /** The task's wall clock (the test driver's moves only when the test moves it). */
  currentSystemTimeMs(): number;
  getStateStore<S extends StateStore = StateStore>(name: string): S;
  schedule(intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void): Cancellable;
  /** User code threw while processing `record`: hands the error to the processing error handler. */
  reportError(error: unknown, record: AnyRecord): void;
  /** A record dropped on purpose (late, null key): counted in the `dropped-records` metric and logged at debug. */
  recordDropped(reason: string, record: AnyRecord): void;
  /** Keeps the input record being processed open (uncommittable) until the hold is released. */
  hold(): RecordHold | undefined;
  /** Runs `work` with `hold`'s input record as the current one, so outputs and errors are attributed to it. */
  resume(hold: RecordHold | undefined, work: () => void): void;
  /** Per-task scratch space shared by nodes that work together (a splitter and its branches). */
  shared<T>(key: string, create: () => T): T;
  /**
   * The task's record cache size (`cacheMaxRecords`, Kafka Streams' `statestore.cache.max.bytes`
   * counted in records): how many updated keys a caching operator may hold back; `0`: no cache.
   */
  readonly cacheMaxRecords: number;
  /** Registers what to do at each commit, before its offsets are chosen: a caching operator forwards and logs what it held back. */
  onCommit(flush: () => void): void;
}
