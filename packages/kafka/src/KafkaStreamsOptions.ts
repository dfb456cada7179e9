import { randomBytes } from 'node:crypto';
import { consoleLogger, StreamsError, type ErrorHandler, type Logger, type PersistentStoreFactory, type Serde } from '@tributary/core';
import { CLIENT_NAMES, type ClientName } from './client/namedClient';
import type { StreamsClient } from './client/StreamsClient';
import { ResolvedConnection, type ConnectionOptions } from './config/ConnectionOptions';
import { rejectUnknownOptions } from './config/unknownOptions';
import { formatHostInfo, parseHostInfo } from './queries/HostInfo';

/** At-least-once is the default; exactly-once puts each task's outputs and offsets in transactions. */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once';

/**
 * What becomes of the application after an error no error handler took care of (Kafka
 * Streams' `StreamsUncaughtExceptionHandler` responses):
 * - `'replace_task'`: the failed task is closed without committing the failed record and
 *   created again, restoring its stores and starting at its committed offsets; the
 *   application goes on (Kafka Streams' `REPLACE_THREAD`; Tributary has tasks, not threads).
 *   A record that fails every time fails again: pair it with an error handler that skips or
 *   dead-letters such records.
 * - `'shutdown_client'`: this instance stops in `ERROR`; its partitions move to the others.
 * - `'shutdown_application'`: every instance of the application stops in `ERROR` (the
 *   request travels through the consumer group's next rebalance).
 */
export type UncaughtExceptionResponse = 'replace_task' | 'shutdown_client' | 'shutdown_application';

export type UncaughtExceptionHandler = (error: Error) => UncaughtExceptionResponse;

/**
 * The HTTP server an application serves: `GET /metrics` (Prometheus), `GET /health` and
 * `GET /ready` (probes), interactive queries under `/stores` and the dashboard at
 * `GET /dashboard` (see the README). It starts with `start()` and stops with `close()`.
 */
export interface HttpOptions {
  /** The port to listen on; `0` lets the system choose one (read it with `app.httpAddress()`). Required. */
  port: number;
  /** The address to listen on. Defaults to `'0.0.0.0'` (every IPv4 interface); `'127.0.0.1'` keeps it on this machine. */
  host?: string;
  /**
   * Serves the live dashboard at `GET /dashboard` (topology, rate and lag per partition,
   * restore, tasks per instance, dead letters, a store browser), sampling the metrics every
   * second for it. `false` leaves it out. Defaults to `true`.
   */
  dashboard?: boolean;
}

/**
 * How the application connects (TLS, SASL, timeouts, each kind of client's settings: see
 * {@link ConnectionOptions}) and what it does. Every client the application creates
 * (consumers, producers, admin, restore and global readers) gets the same security settings.
 */
export interface KafkaStreamsOptions extends ConnectionOptions {
  /** Names the consumer group and prefixes internal topics (`<applicationId>-<name>-changelog`). Required. */
  applicationId: string;
  /** Bootstrap servers: `'host:port'`, `'h1:9092,h2:9092'` or an array. Required. */
  brokers: string | readonly string[];
  /** Defaults to `'at_least_once'`. `'exactly_once'`: transactions per task, `read_committed` consumers (design section 5). */
  processingGuarantee?: ProcessingGuarantee;
  /** How often the commit sequence runs. Defaults to `30000`, or `100` with exactly-once (Kafka Streams' `commit.interval.ms`). */
  commitIntervalMs?: number;
  /** Client id on every connection. Defaults to `<applicationId>-<8 random hex digits>`. */
  clientId?: string;
  /** Defaults to warnings and errors on stderr (`consoleLogger()`). */
  logger?: Logger;
  /** For user topics whose key serde the topology does not declare. Defaults to `Serdes.string()`. */
  defaultKeySerde?: Serde<unknown>;
  /** For user topics whose value serde the topology does not declare. Defaults to `Serdes.json()`. */
  defaultValueSerde?: Serde<unknown>;
  /** Defaults to `ErrorHandlers.logAndFail()`. */
  deserializationErrorHandler?: ErrorHandler;
  /** Defaults to `ErrorHandlers.logAndFail()`. */
  processingErrorHandler?: ErrorHandler;
  /**
   * For an output record that cannot be written: a key or value its sink's serde refuses (a
   * value outside the serde's schema, say), or a record too large to write (above
   * `maxRequestSizeBytes` or its topic's `max.message.bytes` once serialized). `fail` stops the
   * task naming the topic, the input record and the reason (the schema issues with their paths,
   * or the size); `continue` skips the output; `deadLetter(topic)` sends the input record there.
   * The records sent with it are written either way; a changelog record that cannot be written
   * always fails. Defaults to `ErrorHandlers.logAndFail()` (Kafka Streams' `ProductionExceptionHandler`).
   */
  productionErrorHandler?: ErrorHandler;
  /**
   * Decides what a failure that no error handler took care of does (a handler answered
   * `fail`, a write the broker refused for `deliveryTimeoutMs`, a failed restore, a consumer
   * that gave up). Defaults to `() => 'shutdown_client'`, as in Kafka Streams.
   */
  uncaughtExceptionHandler?: UncaughtExceptionHandler;
  /** Replication factor of the internal topics. Defaults to `-1`: the broker's `default.replication.factor`. */
  replicationFactor?: number;
  /** Where a partition without a committed offset starts. Defaults to `'earliest'`, as in Kafka Streams. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Defaults to `45000` (Kafka's `session.timeout.ms`). The broker bounds it (6000 to 1800000 by default). */
  sessionTimeoutMs?: number;
  /** Defaults to `3000`. */
  heartbeatIntervalMs?: number;
  /** How long the group waits for members to rejoin. Defaults to `60000`. */
  rebalanceTimeoutMs?: number;
  /** How long the broker holds a fetch that has no data yet. Defaults to `500` (`fetch.max.wait.ms`). */
  maxWaitTimeMs?: number;
  /** Defaults to `1048576` (`max.partition.fetch.bytes`). */
  maxBytesPerPartition?: number;
  /** Processed records whose outputs wait for acknowledgement, above which processing and fetching pause. Defaults to `20000`. */
  maxInFlightRecords?: number;
  /** Fetched and unprocessed records (all partitions), above which fetching pauses. Defaults to `20000`. */
  maxBufferedRecords?: number;
  /** Records one partition may buffer before it is paused. Defaults to `50000`. */
  maxBufferedRecordsPerPartition?: number;
  /** How long a task with several inputs waits for an empty one before processing the others. Defaults to `0` (`max.task.idle.ms`). */
  maxTaskIdleMs?: number;
  /** How often a `metrics` event is emitted (and log-end offsets refreshed). Defaults to `30000`; `0` turns it off. */
  metricsIntervalMs?: number;
  /** How long a write may retry before the task fails (a broker restart must fit). Defaults to `120000` (`delivery.timeout.ms`). */
  deliveryTimeoutMs?: number;
  /**
   * The largest produce request, and so the largest record (in a record batch of its own, as
   * Kafka counts it), the producer sends; a larger record goes to the production error handler.
   * Defaults to `1048576` (Kafka's `max.request.size`). Each topic's `max.message.bytes` bounds too.
   */
  maxRequestSizeBytes?: number;
  /** How often consumed records are deleted from repartition topics. Defaults to `30000`; `0` never purges. */
  repartitionPurgeIntervalMs?: number;
  /** `start()` installs SIGTERM and SIGINT handlers that run `close()`; `close()` removes them. Defaults to `true`. */
  handleSignals?: boolean;
  /** Serves metrics, health, readiness and interactive queries over HTTP. Defaults to none: no server. */
  http?: HttpOptions;
  /**
   * `host:port` where this instance serves interactive queries, as the other instances reach
   * it (Kafka Streams' `application.server`): advertised in the group assignment, so every
   * instance knows which one owns a key. Defaults, when `http` is set, to the HTTP server's
   * host and bound port (the machine's host name when it listens on every interface); without
   * `http`, to none (`metadataForKey` then knows no owner). Set it when the instances reach
   * each other by another name (a Kubernetes service, a container's address). With `http`,
   * `'host:0'` advertises that host with the port the server bound (`http.port` `0`).
   */
  applicationServer?: string;
  /**
   * The Kafka client. `'kafkajs'` (the default) or `'platformatic'` (`@platformatic/kafka`,
   * an optional peer dependency, Node 22 or newer, loaded only when named) with the
   * connection options above; or a {@link StreamsClient}, which brings its own (pass them
   * to `createKafkaJsClient`). Defaults to `'kafkajs'`.
   */
  client?: StreamsClient | ClientName;
  /**
   * Where persistent stores live (Kafka Streams' `state.dir`): each task's stores under
   * `<stateDir>/<applicationId>/<taskId>/`, with a `.checkpoint` file, so a restarted instance
   * restores only what the changelogs got since. Setting it makes every plain key-value,
   * window and session store persistent (LMDB, from `@tributary/lmdb`) unless its
   * `store.type` is `'inMemory'`; stores of type `'lmdb'` are persistent either way. The
   * directory is locked by one instance at a time. Defaults to none (stores in memory), or,
   * when a store asks for `'lmdb'`, to `<os.tmpdir()>/tributary-streams`.
   */
  stateDir?: string;
  /** Opens the persistent stores. Defaults to `lmdbStores` from `@tributary/lmdb`, loaded when a store is persistent. */
  persistentStores?: PersistentStoreFactory;
  /**
   * Standby replicas of each task with logged stores (Kafka Streams' `num.standby.replicas`):
   * other instances keep warm copies of its stores by reading their changelogs, so when the
   * task moves (its instance died or left), it goes to an instance with a copy and restores
   * only what that copy lacks. Copies are kept in memory, or in LMDB like the active task's
   * stores with a `stateDir`. Defaults to `0`.
   */
  numStandbyReplicas?: number;
  /**
   * Record caches (Kafka Streams' `statestore.cache.max.bytes`, counted in records, per
   * aggregation of a task): an aggregation holds back up to this many updated keys and, at
   * each commit (or when it holds that many), writes one changelog record and forwards one
   * output per key with its latest value. Fewer changelog and output records when keys are
   * updated more than once per commit interval; outputs come at commits, not per record.
   * Defaults to `0` (off: every update is logged and forwarded, as Kafka Streams with caching
   * disabled).
   */
  cacheMaxRecords?: number;
  /**
   * How the group moves tasks. `'cooperative'` (Kafka's incremental cooperative rebalancing,
   * KIP-429): while the group rebalances, every instance goes on processing the tasks it
   * keeps; a task that moves is committed and closed by its owner first, and its new owner,
   * which has it from the same rebalance, starts it once that commit is in (under exactly-once,
   * in a second, short rebalance). `'eager'`: every instance stops processing until
   * the rebalance ends. Cooperative needs a client that can do it (`'platformatic'`);
   * KafkaJS rebalances eagerly whatever this says. Instances of one application may mix:
   * the group is eager while any member is. Defaults to `'cooperative'`.
   */
  rebalanceProtocol?: 'cooperative' | 'eager';
  /**
   * The consumer group protocol. `'classic'` (JoinGroup and SyncGroup): the group's leader runs
   * Tributary's task assignor. `'consumer'` (KIP-848, Kafka 4.0 and later, `'platformatic'`
   * only): the broker assigns with its `range` assignor, which keeps partition `p` of
   * co-partitioned topics together, and moves partitions one by one through heartbeats, with no
   * group-wide rebalance; members send no user data, so there are no standby replicas, no
   * exactly-once (yet), no map
   * of which instance serves which key (each instance answers queries
   * for its own tasks only) and a `'shutdown_application'` answer stops only this instance.
   * `sessionTimeoutMs` and `heartbeatIntervalMs` are then the broker's
   * (`group.consumer.session.timeout.ms`, `group.consumer.heartbeat.interval.ms`). Defaults to `'classic'`.
   */
  groupProtocol?: 'classic' | 'consumer';
}

/** Every option's name, checked against the type: an unknown option is a typo, and an error. */
const OPTION_NAMES = Object.keys({
  applicationId: 1, brokers: 1, processingGuarantee: 1, commitIntervalMs: 1, clientId: 1, logger: 1, defaultKeySerde: 1, defaultValueSerde: 1,
  deserializationErrorHandler: 1, processingErrorHandler: 1, productionErrorHandler: 1, uncaughtExceptionHandler: 1, replicationFactor: 1,
  autoOffsetReset: 1, sessionTimeoutMs: 1, heartbeatIntervalMs: 1, rebalanceTimeoutMs: 1, maxWaitTimeMs: 1, maxBytesPerPartition: 1,
  maxInFlightRecords: 1, maxBufferedRecords: 1, maxBufferedRecordsPerPartition: 1, maxTaskIdleMs: 1, metricsIntervalMs: 1, deliveryTimeoutMs: 1,
  maxRequestSizeBytes: 1, repartitionPurgeIntervalMs: 1, handleSignals: 1, http: 1, applicationServer: 1, client: 1, stateDir: 1, persistentStores: 1, numStandbyReplicas: 1, cacheMaxRecords: 1, rebalanceProtocol: 1, groupProtocol: 1,
  ssl: 1, sasl: 1, connectionTimeoutMs: 1, requestTimeoutMs: 1, authenticationTimeoutMs: 1, consumer: 1, producer: 1, admin: 1,
} satisfies Record<keyof KafkaStreamsOptions, 1>);

export type ResolvedOptions = Required<
  Omit<
    KafkaStreamsOptions,
    | keyof ConnectionOptions
    | 'brokers'
    | 'client'
    | 'defaultKeySerde'
    | 'defaultValueSerde'
    | 'deserializationErrorHandler'
    | 'processingErrorHandler'
    | 'productionErrorHandler'
    | 'http'
    | 'applicationServer'
    | 'stateDir'
    | 'persistentStores'
  >
> &
  Pick<
    KafkaStreamsOptions,
    'client' | 'defaultKeySerde' | 'defaultValueSerde' | 'deserializationErrorHandler' | 'processingErrorHandler' | 'productionErrorHandler' | 'applicationServer' | 'stateDir' | 'persistentStores'
  > & {
    http: Required<HttpOptions> | undefined;
    brokers: string[];
    /** TLS, SASL and client settings; its secrets are kept out of logs and error messages. */
    connection: ResolvedConnection;
  };

const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

/** Checks the options and fills in the defaults; every problem is a {@link StreamsError} naming the culprit. */
export function resolveOptions(options: KafkaStreamsOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new StreamsError('KafkaStreams needs an options object with applicationId and brokers');
  rejectUnknownOptions(options, OPTION_NAMES, 'KafkaStreams options');
  const { applicationId } = options;
  if (typeof applicationId !== 'string' || applicationId.length === 0) throw new StreamsError('applicationId is required (it names the consumer group and the internal topics)');
  if (!TOPIC_CHARS.test(applicationId) || applicationId.length > 200) {
    throw new StreamsError(`applicationId '${applicationId}' may only contain letters, digits, '.', '_' and '-' (at most 200): it prefixes topic names`);
  }
  const guarantee = options.processingGuarantee ?? 'at_least_once';
  if (guarantee !== 'at_least_once' && guarantee !== 'exactly_once') throw new StreamsError(`processingGuarantee must be 'at_least_once' or 'exactly_once', got '${String(guarantee)}'`);
  const offsetReset = options.autoOffsetReset ?? 'earliest';
  if (offsetReset !== 'earliest' && offsetReset !== 'latest') throw new StreamsError(`autoOffsetReset must be 'earliest' or 'latest', got '${String(offsetReset)}'`);
  const rebalanceProtocol = options.rebalanceProtocol ?? 'cooperative';
  if (rebalanceProtocol !== 'cooperative' && rebalanceProtocol !== 'eager') throw new StreamsError(`rebalanceProtocol must be 'cooperative' or 'eager', got '${String(rebalanceProtocol)}'`);
  const groupProtocol = options.groupProtocol ?? 'classic';
  if (groupProtocol !== 'classic' && groupProtocol !== 'consumer') throw new StreamsError(`groupProtocol must be 'classic' or 'consumer', got '${String(groupProtocol)}'`);
  if (groupProtocol === 'consumer' && guarantee === 'exactly_once') {
    throw new StreamsError("groupProtocol 'consumer' (KIP-848) does not run exactly_once yet: use groupProtocol 'classic' for exactly-once");
  }
  if (groupProtocol === 'consumer' && (options.numStandbyReplicas ?? 0) > 0) {
    throw new StreamsError("numStandbyReplicas needs groupProtocol 'classic': under KIP-848 the broker assigns, and it places no standby replicas");
  }
  const replicationFactor = options.replicationFactor ?? -1;
  if (!Number.isInteger(replicationFactor) || (replicationFactor < 1 && replicationFactor !== -1)) {
    throw new StreamsError(`replicationFactor must be a positive integer or -1 (the broker's default), got ${replicationFactor}`);
  }
  const resolved: ResolvedOptions = {
    applicationId,
    brokers: parseBrokers(options.brokers),
    processingGuarantee: guarantee,
    commitIntervalMs: positive('commitIntervalMs', options.commitIntervalMs, guarantee === 'exactly_once' ? 100 : 30_000),
    clientId: options.clientId ?? `${applicationId}-${randomBytes(4).toString('hex')}`,
    logger: options.logger ?? consoleLogger(),
    defaultKeySerde: options.defaultKeySerde,
    defaultValueSerde: options.defaultValueSerde,
    deserializationErrorHandler: options.deserializationErrorHandler,
    processingErrorHandler: options.processingErrorHandler,
    productionErrorHandler: options.productionErrorHandler,
    uncaughtExceptionHandler: handlerOption(options.uncaughtExceptionHandler),
    replicationFactor,
    autoOffsetReset: offsetReset,
    sessionTimeoutMs: positive('sessionTimeoutMs', options.sessionTimeoutMs, 45_000),
    heartbeatIntervalMs: positive('heartbeatIntervalMs', options.heartbeatIntervalMs, 3_000),
    rebalanceTimeoutMs: positive('rebalanceTimeoutMs', options.rebalanceTimeoutMs, 60_000),
    maxWaitTimeMs: positive('maxWaitTimeMs', options.maxWaitTimeMs, 500),
    maxBytesPerPartition: positive('maxBytesPerPartition', options.maxBytesPerPartition, 1_048_576),
    maxInFlightRecords: positive('maxInFlightRecords', options.maxInFlightRecords, 20_000),
    maxBufferedRecords: positive('maxBufferedRecords', options.maxBufferedRecords, 20_000),
    maxBufferedRecordsPerPartition: positive('maxBufferedRecordsPerPartition', options.maxBufferedRecordsPerPartition, 50_000),
    maxTaskIdleMs: nonNegative('maxTaskIdleMs', options.maxTaskIdleMs, 0),
    metricsIntervalMs: nonNegative('metricsIntervalMs', options.metricsIntervalMs, 30_000),
    deliveryTimeoutMs: positive('deliveryTimeoutMs', options.deliveryTimeoutMs, 120_000),
    maxRequestSizeBytes: requestSize(options.maxRequestSizeBytes),
    repartitionPurgeIntervalMs: nonNegative('repartitionPurgeIntervalMs', options.repartitionPurgeIntervalMs, 30_000),
    handleSignals: options.handleSignals ?? true,
    http: httpOption(options.http),
    applicationServer: applicationServerOption(options.applicationServer, options.http !== undefined),
    client: options.client,
    stateDir: stateDirOption(options.stateDir),
    persistentStores: options.persistentStores,
    numStandbyReplicas: wholeNumber('numStandbyReplicas', options.numStandbyReplicas, 0),
    cacheMaxRecords: wholeNumber('cacheMaxRecords', options.cacheMaxRecords, 0),
    rebalanceProtocol,
    groupProtocol,
    connection: new ResolvedConnection(options),
  };
  if (typeof resolved.client === 'string' && !CLIENT_NAMES.includes(resolved.client)) {
    throw new StreamsError(`client must be ${CLIENT_NAMES.map((n) => `'${n}'`).join(' or ')} or a StreamsClient, got '${String(resolved.client)}'`);
  }
  if (typeof resolved.client === 'object' && resolved.connection.customized) {
    throw new StreamsError('ssl, sasl, consumer, producer and admin configure the built-in KafkaJS client; a client given in `client` brings its own: pass them to createKafkaJsClient({ connection })');
  }
  if (resolved.heartbeatIntervalMs >= resolved.sessionTimeoutMs) {
    throw new StreamsError(`heartbeatIntervalMs (${resolved.heartbeatIntervalMs}) must be lower than sessionTimeoutMs (${resolved.sessionTimeoutMs})`);
  }
  return resolved;
}

/** `'h1:9092,h2:9092'` or `['h1:9092']` -> addresses; a malformed one is an error naming it. */
export function parseBrokers(brokers: string | readonly string[] | undefined): string[] {
  if (brokers === undefined || brokers === null) throw new StreamsError("brokers is required, e.g. '127.0.0.1:9092'");
  const list = (typeof brokers === 'string' ? brokers.split(',') : [...brokers]).map((b) => (typeof b === 'string' ? b.trim() : b));
  if (list.length === 0 || list.every((b) => b === '')) throw new StreamsError("brokers is empty; give at least one 'host:port'");
  for (const broker of list) {
    if (typeof broker !== 'string' || !isHostPort(broker)) {
      throw new StreamsError(`invalid broker address '${String(broker)}': expected host:port, e.g. '127.0.0.1:9092'`);
    }
  }
  return list;
}

function isHostPort(address: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?):(\d{1,5})$/.exec(address);
  if (!match) return false;
  const port = Number(match[3]);
  return port >= 1 && port <= 65_535;
}

function handlerOption(handler: UncaughtExceptionHandler | undefined): UncaughtExceptionHandler {
  if (handler === undefined) return () => 'shutdown_client';
  if (typeof handler !== 'function') {
    throw new StreamsError(`uncaughtExceptionHandler must be a function returning 'replace_task', 'shutdown_client' or 'shutdown_application', got ${typeof handler}`);
  }
  return handler;
}

function httpOption(http: HttpOptions | undefined): Required<HttpOptions> | undefined {
  if (http === undefined) return undefined;
  if (!http || typeof http !== 'object') throw new StreamsError(`http must be an object such as { port: 8080 }, got ${String(http)}`);
  rejectUnknownOptions(http, ['port', 'host', 'dashboard'], 'the http option');
  const { port, host = '0.0.0.0', dashboard = true } = http;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new StreamsError(`http.port must be a port number from 0 to 65535 (0: any free port), got ${String(port)}`);
  }
  if (typeof host !== 'string' || host.length === 0) throw new StreamsError(`http.host must be a host name or address such as '0.0.0.0', got ${String(host)}`);
  if (typeof dashboard !== 'boolean') throw new StreamsError(`http.dashboard must be true or false, got ${String(dashboard)}`);
  return { port, host, dashboard };
}

function applicationServerOption(endpoint: string | undefined, serving: boolean): string | undefined {
  if (endpoint === undefined) return undefined;
  // 'host:0': the host, with the port the HTTP server binds (known once it listens).
  if (serving && typeof endpoint === 'string' && endpoint.endsWith(':0')) {
    const { host } = parseHostInfo(`${endpoint.slice(0, -2)}:1`, 'applicationServer');
    return formatHostInfo({ host, port: 0 });
  }
  return formatHostInfo(parseHostInfo(endpoint, 'applicationServer'));
}

/** Room for a dead letter cut to its error headers (message and stack trace 2 KiB each): smaller limits could not take one. */
const MIN_REQUEST_SIZE_BYTES = 16 * 1024;

function requestSize(value: number | undefined): number {
  if (value === undefined) return 1_048_576;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_REQUEST_SIZE_BYTES) {
    throw new StreamsError(`maxRequestSizeBytes must be an integer of at least ${MIN_REQUEST_SIZE_BYTES} bytes, got ${String(value)}`);
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new StreamsError(`${name} must be a positive number of ${name.endsWith('Ms') ? 'milliseconds' : 'units'}, got ${String(value)}`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new StreamsError(`${name} must be a number >= 0, got ${String(value)}`);
  return value;
}

function wholeNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new StreamsError(`${name} must be a whole number >= 0, got ${String(value)}`);
  return value;
}

function stateDirOption(stateDir: string | undefined): string | undefined {
  if (stateDir !== undefined && (typeof stateDir !== 'string' || stateDir.length === 0)) throw new StreamsError(`stateDir must be a directory path, got ${JSON.stringify(stateDir)}`);
  return stateDir;
}
