import type { StreamsEvent, StreamsState } from '@tributary/core';
import type { KafkaStreamsOptions } from '../KafkaStreamsOptions';
import type { KafkaStreamsMetrics } from '../metrics/StreamsMetricsRecorder';

/**
 * What the main thread and a stream thread (a worker thread running one `KafkaStreams`) say
 * to each other. Everything here crosses `postMessage`, so it is plain data: no functions,
 * and errors travel as {@link ThreadError}.
 */

/** What a stream thread is started with (its `workerData`). */
export interface StreamThreadData {
  /** `<clientId>-StreamThread-<n>`: the thread's name, and the client id of its consumer and producer. */
  readonly threadName: string;
  /** The module that builds the topology, as a URL: `import()`ed in the thread. */
  readonly topologyModule: string;
  /** Its export to call: a function returning a `Topology` or `{ topology, options }`. */
  readonly topologyExport: string;
  /** What the export gets besides the thread's name (`StreamThreads`' `topologyData`). */
  readonly topologyData: unknown;
  /** Modules the thread imports before the topology module (`node --import` for the thread). */
  readonly imports: readonly string[];
  /** The options every thread shares (functions excepted: the topology module supplies those). */
  readonly options: KafkaStreamsOptions;
}

/** An error as it crosses threads: enough to rebuild one with the same name and message. */
export interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** A stream thread's view of itself, asked for by the main thread. */
export interface ThreadStatus {
  readonly state: StreamsState;
  readonly metrics: KafkaStreamsMetrics;
  /** The failure that stopped the thread's application, if one did. */
  readonly failure: ThreadError | undefined;
}

/** An event of the thread's application; an `error` event's error travels as a {@link ThreadError}. */
export type ThreadEvent = Exclude<StreamsEvent, { type: 'error' }> | { readonly type: 'error'; readonly error: ThreadError };

export type ToStreamThread =
  /** Join the group now: sent to every thread at once, once all have built their topology. */
  | { readonly type: 'start' }
  | { readonly type: 'status'; readonly id: number }
  | { readonly type: 'close'; readonly timeoutMs: number | undefined };

export type FromStreamThread =
  /** The thread has imported the topology module and built its application; it starts when told to. */
  | { readonly type: 'built' }
  /** `http`: the URL of the thread's own HTTP server (store queries), when the application serves HTTP. */
  | { readonly type: 'started'; readonly http: string | undefined }
  | { readonly type: 'startFailed'; readonly error: ThreadError }
  | { readonly type: 'event'; readonly event: ThreadEvent }
  | { readonly type: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string; readonly extra: Record<string, unknown> | undefined }
  | { readonly type: 'status'; readonly id: number; readonly status: ThreadStatus }
  | { readonly type: 'closed' };

/** An error as plain data, to cross threads. */
export function toThreadError(error: unknown): ThreadError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

/** The error a {@link ThreadError} describes, rebuilt on this side. */
export function fromThreadError(error: ThreadError): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
