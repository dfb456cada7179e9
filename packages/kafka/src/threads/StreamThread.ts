import { Worker } from 'node:worker_threads';
import { StreamsError, type Logger, type StreamsEvent, type StreamsState } from '@tributary/core';
import { Subject, type Observable } from 'rxjs';
import { fromThreadError, type FromStreamThread, type StreamThreadData, type ThreadStatus, type ToStreamThread } from './threadMessages';

/** How long the main thread waits for a thread's status before it reports it unknown. */
const STATUS_TIMEOUT_MS = 5_000;

/**
 * The main thread's handle on one stream thread: the worker thread, its application's state
 * as last reported, its events, and requests for its status. The worker runs
 * `threadProgram.ts`, started through a small bootstrap that first imports the modules the
 * application asks for (a worker thread does not get the main thread's module hooks), so that
 * a thread can load a topology module written in TypeScript under tsx.
 */
export class StreamThread {
  /** The thread's application's events: state changes, metrics, restores, commits and errors. */
  readonly events: Observable<StreamsEvent>;
  private readonly subject = new Subject<StreamsEvent>();
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (status: ThreadStatus | undefined) => void; timer: NodeJS.Timeout }>();
  private nextRequest = 0;
  private current: StreamsState = 'CREATED';
  private readonly built: Promise<void>;
  private readonly started: Promise<void>;
  private readonly exited: Promise<number>;
  private closed = false;
  private httpUrl: string | undefined;

  constructor(
    readonly name: string,
    entry: URL,
    data: StreamThreadData,
    private readonly logger: Logger,
    /** Called once if the thread stops without being asked to (its application failed, or the worker died). */
    onFailure: (thread: StreamThread, error: Error) => void,
  ) {
    this.events = this.subject.asObservable();
    this.worker = new Worker(BOOTSTRAP, { eval: true, name, workerData: { ...data, entry: entry.href } });
    let startOutcome: { resolve: () => void; reject: (error: Error) => void };
    this.started = new Promise<void>((resolve, reject) => (startOutcome = { resolve, reject }));
    this.started.catch(() => undefined);
    let buildOutcome: { resolve: () => void; reject: (error: Error) => void };
    this.built = new Promise<void>((resolve, reject) => (buildOutcome = { resolve, reject }));
    this.built.catch(() => undefined);
    // A thread that fails before it built fails its build and its start alike.
    const failStart = (error: Error) => {
      buildOutcome.reject(error);
      startOutcome.reject(error);
    };
    let exited: (code: number) => void;
    this.exited = new Promise<number>((resolve) => (exited = resolve));
    this.worker.on('message', (message: FromStreamThread) => {
      switch (message.type) {
        case 'built':
          buildOutcome.resolve();
          break;
        case 'started':
          this.httpUrl = message.http;
          startOutcome.resolve();
          break;
        case 'startFailed':
          failStart(fromThreadError(message.error));
          break;
        case 'event': {
          const event = message.event.type === 'error' ? { type: 'error' as const, error: fromThreadError(message.event.error) } : message.event;
          if (event.type === 'state') {
            this.current = event.to;
            if (event.to === 'ERROR' && !this.closed) onFailure(this, new StreamsError(`stream thread ${name} stopped in ERROR`));
          }
          this.subject.next(event);
          break;
        }
        case 'log':
          this.logger[message.level](`[${name}] ${message.message}`, message.extra);
          break;
        case 'status':
          this.settle(message.id, message.status);
          break;
        case 'closed':
          this.closed = true;
          void this.worker.terminate();
          break;
      }
    });
    this.worker.on('error', (error) => {
      failStart(error);
      if (!this.closed) onFailure(this, new StreamsError(`stream thread ${name} died: ${error.message}`, { cause: error }));
    });
    this.worker.on('exit', (code) => {
      const unasked = !this.closed;
      this.closed = true;
      for (const id of [...this.pending.keys()]) this.settle(id, undefined);
      failStart(new StreamsError(`stream thread ${name} exited (code ${code}) before it started`));
      if (unasked && this.current !== 'ERROR') {
        this.current = 'ERROR';
        onFailure(this, new StreamsError(`stream thread ${name} exited (code ${code}) without being closed`));
      }
      this.subject.complete();
      exited(code);
    });
  }

  /** The thread's application's state, as it last reported it. */
  get state(): StreamsState {
    return this.current;
  }

  /** The URL of the thread's own HTTP server, which answers store queries for its tasks; `undefined` before it started or without HTTP. */
  get http(): string | undefined {
    return this.closed ? undefined : this.httpUrl;
  }

  /** Resolves once the thread has built its topology and application, rejects with the reason it could not. */
  whenBuilt(): Promise<void> {
    return this.built;
  }

  /** Tells the thread to start its application (join the group). */
  start(): void {
    if (!this.closed) this.send({ type: 'start' });
  }

  /** Resolves once the thread's application has started (joined the group), rejects with the reason it could not. */
  whenStarted(): Promise<void> {
    return this.started;
  }

  /** The thread's state, metrics and failure now; `undefined` when it does not answer within 5 s or has exited. */
  status(): Promise<ThreadStatus | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, undefined), STATUS_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
      this.send({ type: 'status', id });
    });
  }

  /** Closes the thread's application (commits, leaves the group) and ends the worker thread. */
  async close(timeoutMs: number | undefined): Promise<void> {
    if (!this.closed) this.send({ type: 'close', timeoutMs });
    await this.exited;
  }

  /** Ends the worker thread at once, without closing its application (after a failed start). */
  async terminate(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private send(message: ToStreamThread): void {
    this.worker.postMessage(message);
  }

  private settle(id: number, status: ThreadStatus | undefined): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    clearTimeout(request.timer);
    request.resolve(status);
  }
}

/**
 * The worker's first code: import what the application asked for, then the thread program.
 * CommonJS, as `eval` workers are, so it needs no loader of its own.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  for (const module of workerData.imports) await import(module);
  await import(workerData.entry);
})().catch((error) => {
  require('node:worker_threads').parentPort.postMessage({ type: 'startFailed', error: { name: error?.name ?? 'Error', message: error?.message ?? String(error), stack: error?.stack } });
});
`;
