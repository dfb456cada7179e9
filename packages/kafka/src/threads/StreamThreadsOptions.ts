import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { consoleLogger, StreamsError, type Logger, type Topology } from '@tributary/core';
import { resolveOptions, type HttpOptions, type KafkaStreamsOptions } from '../KafkaStreamsOptions';

/**
 * Options that are functions or objects with behaviour: they cannot be sent to a worker
 * thread, so each thread gets them from the topology module (`{ topology, options }`).
 */
const THREAD_LOCAL_OPTIONS = [
  'defaultKeySerde',
  'defaultValueSerde',
  'deserializationErrorHandler',
  'processingErrorHandler',
  'productionErrorHandler',
  'uncaughtExceptionHandler',
  'persistentStores',
] as const;

type ThreadLocalOption = (typeof THREAD_LOCAL_OPTIONS)[number];

/**
 * {@link StreamThreads}' options: a `KafkaStreams`' options, less those that cannot cross to a
 * worker thread (serdes, error handlers, store factories: the topology module returns them),
 * plus where the topology comes from and how many threads run it. `logger` stays in the main
 * thread: the threads log through it.
 */
export interface StreamThreadsOptions extends Omit<KafkaStreamsOptions, ThreadLocalOption | 'client'> {
  /**
   * The module each thread imports to build the topology: a `file:` URL (`new URL('./topology.js',
   * import.meta.url)`) or a path (relative to the working directory). Its export
   * `topologyExport` is a function, called once per thread with `{ threadName, data }`, that returns a
   * `Topology`, or `{ topology, options }` where `options` holds what cannot cross threads
   * (serdes, error handlers, `persistentStores`, a logger of the thread's own). Required.
   */
  topologyModule: string | URL;
  /** The export of `topologyModule` to call. Defaults to `'default'`. */
  topologyExport?: string;
  /** Plain data (it is copied to each thread) the export gets as `data`, beside `threadName`. Defaults to none. */
  topologyData?: unknown;
  /** Stream threads, each a member of the consumer group with its own tasks (Kafka Streams' `num.stream.threads`). Defaults to `1`. */
  numStreamThreads?: number;
  /**
   * Modules each thread imports before the topology module, as `node --import` does for the
   * main thread. A worker thread does not get the main thread's module hooks (Node 20 and 22),
   * so a topology module in TypeScript run under tsx needs one here that registers tsx in the
   * thread (`import { register } from 'tsx/esm/api'; register();`). Defaults to none.
   */
  threadImports?: readonly (string | URL)[];
  /** `'kafkajs'` or `'platformatic'`: a client object cannot cross threads. Defaults to `'kafkajs'`. */
  client?: 'kafkajs' | 'platformatic';
}

/**
 * What the topology module's export returns: a topology, or a topology with the options that
 * cannot cross threads (serdes, error handlers, `persistentStores`, a logger of the thread's own).
 */
export type ThreadTopology = Topology | { readonly topology: Topology; readonly options?: Partial<KafkaStreamsOptions> };

/** The checked options: what the main thread keeps, and what every thread gets. */
export interface ResolvedThreadsOptions {
  readonly applicationId: string;
  readonly clientId: string;
  readonly numStreamThreads: number;
  readonly topologyModule: string;
  readonly topologyExport: string;
  readonly topologyData: unknown;
  readonly threadImports: readonly string[];
  readonly logger: Logger;
  readonly handleSignals: boolean;
  readonly http: Required<HttpOptions> | undefined;
  /** Each thread's `KafkaStreams` options but its `clientId` and `stateDir` (see {@link threadOptions}). */
  readonly shared: KafkaStreamsOptions;
}

const MAX_THREADS = 64;

/** Checks the options (every problem a {@link StreamsError} naming the culprit) and fills in the defaults. */
export function resolveThreadsOptions(options: StreamThreadsOptions): ResolvedThreadsOptions {
  if (!options || typeof options !== 'object') throw new StreamsError('StreamThreads needs an options object with applicationId, brokers and topologyModule');
  const { topologyModule, topologyExport = 'default', topologyData, numStreamThreads = 1, threadImports = [], logger, handleSignals = true, http, ...shared } = options;
  if (!(typeof topologyModule === 'string' && topologyModule.length > 0) && !(topologyModule instanceof URL)) {
    throw new StreamsError('topologyModule is required: the module each stream thread imports to build the topology (a file URL or a path)');
  }
  if (typeof topologyExport !== 'string' || topologyExport.length === 0) throw new StreamsError(`topologyExport must name an export of the topology module, got ${String(topologyExport)}`);
  if (!Number.isInteger(numStreamThreads) || numStreamThreads < 1 || numStreamThreads > MAX_THREADS) {
    throw new StreamsError(`numStreamThreads must be an integer from 1 to ${MAX_THREADS}, got ${String(numStreamThreads)}`);
  }
  if (!Array.isArray(threadImports)) throw new StreamsError('threadImports must be an array of module URLs or paths');
  for (const name of THREAD_LOCAL_OPTIONS) {
    if (name in shared) {
      throw new StreamsError(`StreamThreads option '${name}' cannot be sent to a stream thread (a worker thread): return it from the topology module instead, as { topology, options: { ${name} } }`);
    }
  }
  if (shared.client !== undefined && shared.client !== 'kafkajs' && shared.client !== 'platformatic') {
    throw new StreamsError(`StreamThreads option 'client' must be 'kafkajs' or 'platformatic' (a client object cannot be sent to a stream thread), got ${typeof shared.client}`);
  }
  for (const [name, value] of Object.entries({ ...shared, topologyData })) {
    try {
      structuredClone(value);
    } catch {
      throw new StreamsError(`StreamThreads option '${name}' cannot be sent to a stream thread (it holds a function or another value that does not cross threads)`);
    }
  }
  if (http?.dashboard === true) throw new StreamsError('StreamThreads does not serve the dashboard (http.dashboard): run it on a KafkaStreams, or set http.dashboard to false');
  // Every other option is checked as each thread's KafkaStreams will check it, now rather than in the threads.
  const checked = resolveOptions({ ...shared, ...(http ? { http: { ...http, dashboard: false } } : {}), handleSignals: false });
  return {
    applicationId: checked.applicationId,
    clientId: shared.clientId ?? `${checked.applicationId}-${randomBytes(4).toString('hex')}`,
    numStreamThreads,
    topologyModule: moduleSpecifier(topologyModule),
    topologyExport,
    topologyData,
    threadImports: threadImports.map(moduleSpecifier),
    logger: logger ?? consoleLogger(),
    handleSignals,
    http: checked.http,
    shared,
  };
}

/** Thread `n`'s KafkaStreams options: its own client id and, with a state directory, its own part of it. */
export function threadOptions(options: ResolvedThreadsOptions, threadName: string, n: number): KafkaStreamsOptions {
  const { shared } = options;
  // Each KafkaStreams locks its `<stateDir>/<applicationId>/`: the threads of one process keep theirs apart.
  return { ...shared, clientId: threadName, ...(shared.stateDir ? { stateDir: join(shared.stateDir, `thread-${n}`) } : {}) };
}

/** The URL `import()` in a thread loads: a URL as is, a path resolved against the working directory. */
function moduleSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (/^(file|data):/.test(module)) return module;
  return pathToFileURL(resolve(module)).href;
}
