import { StreamsError, type StreamsEvent, type StreamsState } from '@tributary/core';
import { Subject, type Observable } from 'rxjs';
import { healthRoutes, type HealthSource } from '../http/healthRoutes';
import { metricsRoutes } from '../http/metricsRoutes';
import { Router, type Route } from '../http/Router';
import { StreamsHttpServer, type HttpAddress } from '../http/StreamsHttpServer';
import { installSignalHandlers } from '../lifecycle/signalHandlers';
import { StreamsStateMachine } from '../lifecycle/StreamsStateMachine';
import { PrometheusExporter } from '../metrics/PrometheusExporter';
import type { KafkaStreamsOptions } from '../KafkaStreamsOptions';
import type { KafkaStreamsMetrics } from '../metrics/StreamsMetricsRecorder';
import { StreamThread } from './StreamThread';
import { mergeThreadMetrics } from './mergeThreadMetrics';
import { threadStoreRoutes } from './threadStoreRoutes';
import { resolveThreadsOptions, threadOptions, type ResolvedThreadsOptions, type StreamThreadsOptions } from './StreamThreadsOptions';
import type { ThreadStatus } from './threadMessages';

/** How long `close()` waits for records still in asynchronous stages. Defaults of `close({ timeoutMs })`. */
const CLOSE_TIMEOUT_MS = 30_000;
/** How often the main thread asks the threads for their status while they run: `metrics()` is at most this old. */
const STATUS_INTERVAL_MS = 500;

/** One stream thread as `metadataForLocalThreads()` describes it (Kafka Streams' `ThreadMetadata`). */
export interface ThreadMetadata {
  /** `<clientId>-StreamThread-<n>`. */
  readonly threadName: string;
  readonly threadState: StreamsState;
  /** The ids of the tasks it runs (`<subTopology>_<partition>`). */
  readonly activeTasks: readonly string[];
  /** The ids of the tasks it keeps standby copies of. */
  readonly standbyTasks: readonly string[];
}

/** One stream thread's metrics snapshot. */
export interface ThreadMetrics {
  readonly threadName: string;
  readonly metrics: KafkaStreamsMetrics;
}

/** What the main thread last heard from each thread: refreshed before each HTTP request it answers. */
interface ThreadSnapshot {
  readonly thread: StreamThread;
  readonly status: ThreadStatus;
}

/**
 * Runs a topology on `numStreamThreads` worker threads of one process, as Kafka Streams runs
 * `num.stream.threads` stream threads: each thread is a `KafkaStreams` of its own, a member of
 * the application's consumer group with its own tasks, producer and stores, so a process
 * uses as many cores as it has threads. The process shares one state (RUNNING when every
 * thread runs), one event stream, one logger and one HTTP server: `/health` and `/ready` judge
 * all threads, `/metrics` reports each under its `thread_id`, and store queries go on to the
 * threads, which each serve them on a port of their own and advertise it in the group's
 * assignment (see `threadStoreRoutes`).
 *
 * A function cannot cross to a worker thread, so the threads do not take a topology object:
 * each imports `topologyModule` and calls its export to build its own. A thread whose
 * application fails stops the others and leaves the process in ERROR, as Kafka Streams'
 * `SHUTDOWN_CLIENT` does; `uncaughtExceptionHandler` (returned by the topology module) decides,
 * within a thread, whether an error gets that far.
 *
 * ## Example
 * ```ts
 * // topology.ts
 * export default function topology(): Topology {
 *   const builder = new StreamsBuilder();
 *   builder.stream<string, { amount: number }>('payments').filter((_k, p) => p.amount > 100).to('large-payments');
 *   return builder.build();
 * }
 *
 * // main.ts
 * import { StreamThreads } from '@tributary/kafka';
 * const app = new StreamThreads({
 *   applicationId: 'fraud-check',
 *   brokers: 'localhost:9092',
 *   topologyModule: new URL('./topology.js', import.meta.url),
 *   numStreamThreads: 2,
 *   http: { port: 8080 },
 * });
 * await app.start();
 * ```
 */
export class StreamThreads implements AsyncDisposable {
  /** The process's state changes, and the threads' metrics, restore progress, commits and errors. */
  readonly events: Observable<StreamsEvent>;
  private readonly options: ResolvedThreadsOptions;
  private readonly subject = new Subject<StreamsEvent>();
  private readonly machine: StreamsStateMachine;
  private threads: StreamThread[] = [];
  private http: StreamsHttpServer | undefined;
  private snapshots: readonly ThreadSnapshot[] = [];
  private nextQueryThread = 0;
  private failure: Error | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private removeSignalHandlers: (() => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(options: StreamThreadsOptions) {
    this.options = resolveThreadsOptions(options);
    this.events = this.subject.asObservable();
    this.machine = new StreamsStateMachine((from, to) => {
      this.options.logger.info(`${this.options.applicationId}: ${from} -> ${to}`);
      this.subject.next({ type: 'state', from, to });
    });
  }

  get state(): StreamsState {
    return this.machine.state;
  }

  /** The consumer group and internal-topic prefix. */
  get applicationId(): string {
    return this.options.applicationId;
  }

  get numStreamThreads(): number {
    return this.options.numStreamThreads;
  }

  /** Calls `listener(newState, oldState)` on every state change of the process; returns a function that removes it. */
  setStateListener(listener: (newState: StreamsState, oldState: StreamsState) => void): () => void {
    const subscription = this.events.subscribe((event) => {
      if (event.type === 'state') listener(event.to, event.from);
    });
    return () => subscription.unsubscribe();
  }

  /**
   * Starts the HTTP server (if any), then the threads; resolves once every thread has joined
   * the group. Rejects with the first thread's reason when one cannot start (a module that
   * does not load, a broker that cannot be reached), after stopping the others.
   */
  start(): Promise<void> {
    if (this.machine.state !== 'CREATED') {
      return Promise.reject(new StreamsError(`start() was already called (the application is ${this.machine.state}); create a new StreamThreads to start again`));
    }
    this.machine.require('REBALANCING', 'start the application');
    if (this.options.handleSignals) this.removeSignalHandlers = installSignalHandlers(() => this.close());
    this.starting = this.startUp().catch(async (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.fail(failure);
      await this.stopThreads(0);
      throw failure;
    });
    return this.starting;
  }

  /** Closes every thread (each commits and leaves the group), then the HTTP server. Safe to call more than once. */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.machine.state === 'CREATED') {
      this.machine.transition('PENDING_SHUTDOWN');
      this.machine.transition('NOT_RUNNING');
      this.subject.complete();
      return (this.stopping = Promise.resolve());
    }
    this.machine.transition('PENDING_SHUTDOWN');
    this.stopping = (async () => {
      await this.starting?.catch(() => undefined);
      await this.stopThreads(options.timeoutMs ?? CLOSE_TIMEOUT_MS);
      await this.http?.close();
      this.removeSignalHandlers?.();
      this.machine.transition('NOT_RUNNING');
      this.subject.complete();
    })();
    return this.stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Each thread's name, state and tasks now (Kafka Streams' `metadataForLocalThreads()`). */
  async metadataForLocalThreads(): Promise<ThreadMetadata[]> {
    return (await this.refresh()).map(({ thread, status }) => ({
      threadName: thread.name,
      threadState: status.state,
      activeTasks: status.metrics.tasks.map((t) => t.id).sort(),
      standbyTasks: status.metrics.standbyTasks.map((t) => t.id).sort(),
    }));
  }

  /**
   * The process's metrics: the threads' last snapshots (at most half a second old while they
   * run) merged as one `KafkaStreams` would report them. Also emitted as a `metrics` event every
   * `metricsIntervalMs`.
   */
  metrics(): KafkaStreamsMetrics {
    return mergeThreadMetrics(this.snapshots.map((s) => s.status.metrics));
  }

  /** A metrics snapshot of each thread (a thread that does not answer within 5 s is left out). */
  async threadMetrics(): Promise<ThreadMetrics[]> {
    return (await this.refresh()).map(({ thread, status }) => ({ threadName: thread.name, metrics: status.metrics }));
  }

  /** Where the HTTP server (`http` option) listens; `undefined` without one, before `start()` and after `close()`. */
  httpAddress(): HttpAddress | undefined {
    return this.http?.address;
  }

  private async startUp(): Promise<void> {
    await this.serveHttp();
    const { numStreamThreads, clientId, topologyModule, topologyExport, topologyData, threadImports, logger } = this.options;
    const serving = { ...this.options, shared: { ...this.options.shared, ...this.threadHttp() } };
    for (let n = 1; n <= numStreamThreads; n++) {
      const threadName = `${clientId}-StreamThread-${n}`;
      const data = { threadName, topologyModule, topologyExport, topologyData, imports: threadImports, options: threadOptions(serving, threadName, n) };
      const thread = new StreamThread(threadName, streamThreadEntry(), data, logger, (failed, error) => this.onThreadFailure(failed, error));
      // The process reports its own state and merged metrics; the threads' other events go through as they come.
      thread.events.subscribe((event) => {
        if (event.type === 'state') this.reconcile();
        else if (event.type !== 'metrics') this.subject.next(event);
      });
      this.threads.push(thread);
    }
    // All join the group together, once every thread has loaded its modules and built its topology.
    await Promise.all(this.threads.map((thread) => thread.whenBuilt()));
    for (const thread of this.threads) thread.start();
    await Promise.all(this.threads.map((thread) => thread.whenStarted()));
    logger.info(`${this.options.applicationId}: ${numStreamThreads} stream threads started`);
    await this.refresh();
    this.every(STATUS_INTERVAL_MS, () => void this.refresh());
    const metricsInterval = this.options.shared.metricsIntervalMs ?? 30_000;
    if (metricsInterval > 0) this.every(metricsInterval, () => this.subject.next({ type: 'metrics', metrics: this.metrics() }));
    this.reconcile();
  }

  /**
   * With `http`, each thread serves store queries on a server of its own, on the process's
   * host and a port of its own, and advertises that (the configured `applicationServer`'s host
   * with the thread's port): the group's assignment then says which thread owns a key.
   */
  private threadHttp(): Partial<KafkaStreamsOptions> {
    const http = this.options.http;
    if (!http) return {};
    const configured = this.options.shared.applicationServer;
    return { http: { port: 0, host: http.host, dashboard: false }, ...(configured ? { applicationServer: `${configured.slice(0, configured.lastIndexOf(':'))}:0` } : {}) };
  }

  /** The next live thread's HTTP server, in turn, for a store query that arrived at the process's server. */
  private queryThread(): string | undefined {
    const live = this.threads.filter((t) => t.http !== undefined && (t.state === 'RUNNING' || t.state === 'REBALANCING'));
    if (live.length === 0) return undefined;
    return live[this.nextQueryThread++ % live.length]!.http;
  }

  /** The process is RUNNING when every thread is, else REBALANCING (until it stops). */
  private reconcile(): void {
    if (!this.machine.isOneOf('REBALANCING', 'RUNNING') || this.threads.length < this.options.numStreamThreads) return;
    this.machine.transition(this.threads.every((t) => t.state === 'RUNNING') ? 'RUNNING' : 'REBALANCING');
  }

  private onThreadFailure(thread: StreamThread, error: Error): void {
    if (this.stopping || this.failure) return;
    this.options.logger.error(`${this.options.applicationId}: ${error.message}; stopping the other stream threads`, { thread: thread.name });
    this.fail(error);
    void this.stopThreads(CLOSE_TIMEOUT_MS);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.subject.next({ type: 'error', error });
    this.machine.transition('ERROR');
  }

  private every(ms: number, action: () => void): void {
    const timer = setInterval(action, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async stopThreads(timeoutMs: number): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.threads.map((thread) => thread.close(timeoutMs)));
  }

  /** Asks every thread for its status, for one answer of the HTTP server or one call. */
  private async refresh(): Promise<readonly ThreadSnapshot[]> {
    const answers = await Promise.all(this.threads.map(async (thread) => ({ thread, status: await thread.status() })));
    this.snapshots = answers.filter((a): a is ThreadSnapshot => a.status !== undefined);
    return this.snapshots;
  }

  private async serveHttp(): Promise<void> {
    const http = this.options.http;
    if (!http) return;
    const { applicationId, clientId, logger } = this.options;
    const threads = () => this.snapshots;
    const health: HealthSource = {
      state: () => this.state,
      failure: () => this.failure ?? threads().find((s) => s.status.failure)?.status.failure,
      tasks: () => threads().flatMap((s) => s.status.metrics.tasks.map(({ id, state }) => ({ id, state }))),
      remainingRestoreRecords: () => threads().reduce((n, s) => n + s.status.metrics.restore.reduce((m, r) => m + (r.total - r.restored), 0), 0),
    };
    const exporter = new PrometheusExporter(
      () => ({ state: this.state, threads: threads().map(({ thread, status }) => ({ threadId: thread.name, state: status.state, metrics: status.metrics })) }),
      { application_id: applicationId, client_id: clientId },
    );
    const refreshed = (route: Route): Route => ({
      ...route,
      handler: async (request) => {
        await this.refresh();
        return route.handler(request);
      },
    });
    const router = new Router().add(...[...healthRoutes(health), ...metricsRoutes(exporter)].map(refreshed), ...threadStoreRoutes(() => this.queryThread()));
    this.http = new StreamsHttpServer(router, logger);
    const bound = await this.http.listen(http.port, http.host);
    logger.info(`${applicationId}: HTTP server on ${bound.url}; the stream threads answer store queries on servers of their own`);
  }
}

/** The thread program (`threadProgram.ts`): beside this file in the source, `stream-thread.js` beside the bundle in a build. */
function streamThreadEntry(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./threadProgram.ts', here) : new URL('./stream-thread.js', here);
}
