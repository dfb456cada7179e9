import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Observable, Subject } from 'rxjs';
import { StreamsError } from '../errors';
import type { Topology } from '../graph/Topology';
import type { Headers } from '../KeyValue';
import { CommitTracker } from '../runtime/CommitTracker';
import type { ErrorHandler } from '../runtime/ErrorHandler';
import { InMemoryTopics, type StoredRecord } from '../runtime/InMemoryTopics';
import { consoleLogger, type Logger } from '../runtime/Logger';
import { planPartitions } from '../runtime/PartitionPlan';
import type { RecordCollector } from '../runtime/RecordCollector';
import type { StreamsApplication, StreamsEvent, StreamsMetrics, StreamsState } from '../runtime/StreamsApplication';
import { Task } from '../runtime/Task';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import type { KeyValueStore, ReadOnlyKeyValueStore } from '../state/KeyValueStore';
import { mergedKeyValueStore, mergedVersionedKeyValueStore } from '../state/mergedStores';
import type { PersistentStoreFactory } from '../state/PersistentStore';
import type { RestorableStore, StateStore, StoreChangeLogger, StoreSpec } from '../state/StateStore';
import type { ReadOnlyVersionedKeyValueStore, VersionedKeyValueStore } from '../state/VersionedKeyValueStore';
import { EngineMetrics } from './EngineMetrics';
import { PartitionReader } from './PartitionReader';

/** Configuration of an {@link EmbeddedStreams} application. */
export interface EmbeddedStreamsConfig {
  /** Prefix of internal topics, as the consumer group on Kafka. */
  applicationId: string;
  /** Partitions of the user topics the engine creates (sources and sinks that do not exist yet). Defaults to `4`. */
  partitions?: number;
  /** Partitions of particular user topics, by name; others get `partitions`. */
  topicPartitions?: Record<string, number>;
  /** How often processed offsets are committed (wall clock). Defaults to `1000` (Kafka Streams: 30000; here a commit costs nothing). */
  commitIntervalMs?: number;
  /** Records a task takes from one partition before the next partition's turn. Defaults to `1000`. */
  batchSize?: number;
  /** How long the engine processes before yielding to the event loop (`setImmediate`), so timers and progress displays run. Defaults to `25`. */
  sliceMs?: number;
  /** How often a `metrics` event is emitted while running. Defaults to `1000`. */
  metricsIntervalMs?: number;
  /**
   * Whether stores write their changelog topics. Defaults to `false`: the embedded engine
   * keeps state in memory for the life of the process and never restores, so a changelog
   * would only cost time. Turn it on to inspect `<applicationId>-<store>-changelog`.
   */
  changelogs?: boolean;
  /** The topics to run on, to share them with other applications or a test. Defaults to new ones. */
  topics?: InMemoryTopics;
  /** Defaults to warnings and errors on stderr. */
  logger?: Logger;
  /** Defaults to failing the application (Kafka Streams' `LogAndFail`). */
  deserializationErrorHandler?: ErrorHandler;
  /** Defaults to failing the application. */
  processingErrorHandler?: ErrorHandler;
  /** For output records that cannot be written, such as a value outside its sink serde's schema. Defaults to failing the application. */
  productionErrorHandler?: ErrorHandler;
  /**
   * Keeps stores on disk rather than in memory, so that state may outgrow the heap: each
   * key-value, window and session store whose type is not `'inMemory'` is opened through
   * `factory` (`lmdbStores` of `@tributary/lmdb`) at `<directory>/<applicationId>/<taskId>/<store>`.
   * The engine replays its inputs from the start, so it wipes `<directory>/<applicationId>`
   * when it starts. Defaults to none: every store in memory.
   */
  persistentStores?: { readonly factory: PersistentStoreFactory; readonly directory: string };
  /** For user topics whose key serde the topology did not declare. Defaults to `Serdes.string()`. */
  defaultKeySerde?: Serde<unknown>;
  /** For user topics whose value serde the topology did not declare. Defaults to `Serdes.json()`. */
  defaultValueSerde?: Serde<unknown>;
}

/** A record to {@link EmbeddedStreams.produce}, not yet serialized. */
export interface ProducerRecord<K, V> {
  key: K | null;
  value: V | null;
  /** Defaults to the wall clock. */
  timestamp?: number;
  headers?: Headers;
  /** Defaults to Kafka's partitioner: murmur2 of the serialized key. */
  partition?: number;
}

/** A record read back from a topic with {@link EmbeddedStreams.read}. */
export interface ConsumerRecord<K, V> {
  key: K;
  value: V;
  timestamp: number;
  partition: number;
  offset: number;
}

/** The serdes {@link EmbeddedStreams.produce} and {@link EmbeddedStreams.read} use for a topic. */
interface TopicSerdes<K, V> {
  /** Defaults to `Serdes.string()`. */
  keySerde?: Serde<K>;
  /** Defaults to `Serdes.json()`. */
  valueSerde?: Serde<V>;
}

const STATE_TRANSITIONS: Record<StreamsState, readonly StreamsState[]> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'ERROR'],
  RUNNING: ['PENDING_SHUTDOWN', 'ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  ERROR: ['PENDING_SHUTDOWN'],
};

/**
 * Runs a whole topology in this process, on in-memory partitioned topics: the same
 * application API as `KafkaStreams` (start, close, state, metrics, store queries,
 * events), so switching to Kafka is a change of the line that creates the application.
 *
 * One task per sub-topology and partition, as on Kafka (`planPartitions`); records
 * through repartition topics go round the in-memory topics as they would round a
 * broker. Processing is asynchronous in batches: the engine processes for `sliceMs`,
 * then yields to the event loop, so a progress display or a producer keeps running.
 * Every `commitIntervalMs` it commits the offsets its {@link CommitTracker} reports
 * complete; lag per partition is log-end offset - committed offset, as on Kafka.
 *
 * What it does not do: persist anything (stores and topics live as long as the
 * process), rebalance (it owns every partition), or write changelogs (unless
 * `changelogs: true`).
 *
 * ## Example
 * ```ts
 * import { EmbeddedStreams } from '@tributary/core/embedded';
 * // import { KafkaStreams } from '@tributary/kafka';
 *
 * const app = new EmbeddedStreams(topology, { applicationId: 'crm_consumer_group' });
 * // const app = new KafkaStreams(topology, { applicationId: 'crm_consumer_group', brokers: ['localhost:9092'] });
 * await app.start();
 * app.produce('customer_interactions', [{ key: '17850', value: interaction, timestamp: interaction.timestamp }]);
 * await app.whenCaughtUp();
 * console.log(app.metrics().consumptionRate, app.store('rfm-profiles').get('17850'));
 * await app.close();
 * ```
 */
export class EmbeddedStreams implements StreamsApplication {
  readonly topics: InMemoryTopics;
  readonly events: Observable<StreamsEvent>;
  private readonly subject = new Subject<StreamsEvent>();
  private readonly config: Required<Pick<EmbeddedStreamsConfig, 'applicationId' | 'partitions' | 'commitIntervalMs' | 'batchSize' | 'sliceMs' | 'metricsIntervalMs'>>;
  private readonly logger: Logger;
  private readonly tracker = new CommitTracker();
  private current: StreamsState = 'CREATED';
  private tasks: Task[] = [];
  /** Readers grouped by task, tasks in sub-topology order so upstream runs first. */
  private readersByTask: PartitionReader[][] = [];
  private readonly counters = new EngineMetrics();
  private lastCommitAt = 0;
  private lastMetricsAt = 0;
  private scheduled = false;
  private inTurn = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  private caughtUpWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private unsubscribeAppend: (() => void) | undefined;

  constructor(
    readonly topology: Topology,
    private readonly options: EmbeddedStreamsConfig,
  ) {
    if (!options.applicationId) throw new StreamsError('EmbeddedStreams needs an applicationId');
    this.config = {
      applicationId: options.applicationId,
      partitions: options.partitions ?? 4,
      commitIntervalMs: options.commitIntervalMs ?? 1000,
      batchSize: options.batchSize ?? 1000,
      sliceMs: options.sliceMs ?? 25,
      metricsIntervalMs: options.metricsIntervalMs ?? 1000,
    };
    this.logger = options.logger ?? consoleLogger();
    this.topics = options.topics ?? new InMemoryTopics(this.config.partitions);
    this.events = this.subject.asObservable();
  }

  get state(): StreamsState {
    return this.current;
  }

  /** Creates the topics and tasks, then processes whatever arrives until {@link close}. */
  async start(): Promise<void> {
    if (this.current !== 'CREATED') throw new StreamsError(`cannot start an application in state ${this.current}`);
    this.transition('REBALANCING');
    try {
      this.createTasks();
    } catch (error) {
      this.fail(asError(error));
      throw error;
    }
    const now = performance.now();
    this.counters.started(now);
    this.lastCommitAt = now;
    this.lastMetricsAt = now;
    this.unsubscribeAppend = this.topics.onAppend(() => this.wake());
    if (this.failure) throw this.failure;
    this.transition('RUNNING');
    this.schedule();
  }

  /** Stops processing, commits what is complete and closes the tasks. */
  async close(): Promise<void> {
    if (this.current === 'NOT_RUNNING' || this.current === 'PENDING_SHUTDOWN') return;
    this.transition('PENDING_SHUTDOWN');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.unsubscribeAppend?.();
    if (!this.failure && this.tasks.length > 0) this.commit();
    for (const task of this.tasks) task.close();
    this.emit({ type: 'metrics', metrics: this.metrics() });
    this.rejectWaiters(new StreamsError('the application was closed'));
    this.transition('NOT_RUNNING');
    this.subject.complete();
  }

  /**
   * Appends records to a topic, serialized with `keySerde` (default `Serdes.string()`) and
   * `valueSerde` (default `Serdes.json()`). The topic is created with the default
   * partition count if it does not exist. Returns the number of records written.
   */
  produce<K = string, V = unknown>(topic: string, records: Iterable<ProducerRecord<K, V>>, serdes: TopicSerdes<K, V> = {}): number {
    const keySerde = (serdes.keySerde ?? Serdes.string()) as Serde<K>;
    const valueSerde = (serdes.valueSerde ?? Serdes.json()) as Serde<V>;
    if (!this.topics.has(topic)) this.topics.create(topic, this.partitionsOf(topic));
    let count = 0;
    for (const record of records) {
      const headers = record.headers ?? {};
      this.topics.append(topic, {
        key: record.key === null ? null : keySerde.serialize(topic, record.key, headers),
        value: record.value === null ? null : valueSerde.serialize(topic, record.value, headers),
        timestamp: record.timestamp ?? Date.now(),
        headers,
        partition: record.partition,
      });
      count++;
    }
    return count;
  }

  /** Every record of `topic` in write order, deserialized (default serdes as {@link produce}). */
  read<K = string, V = unknown>(topic: string, serdes: TopicSerdes<K, V> = {}): ConsumerRecord<K, V>[] {
    const keySerde = (serdes.keySerde ?? Serdes.string()) as Serde<K>;
    const valueSerde = (serdes.valueSerde ?? Serdes.json()) as Serde<V>;
    return this.topics.written(topic).map((r: StoredRecord) => ({
      key: keySerde.deserialize(topic, r.key, r.headers),
      value: valueSerde.deserialize(topic, r.value, r.headers),
      timestamp: r.timestamp,
      partition: r.partition,
      offset: r.offset,
    }));
  }

  /**
   * Resolves once every record written so far to the application's input topics
   * (repartition topics included) is processed and committed: lag 0 everywhere.
   * Rejects if the application fails or is closed first.
   */
  whenCaughtUp(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.current !== 'RUNNING') return Promise.reject(new StreamsError(`the application is ${this.current}, not RUNNING`));
    return new Promise((resolve, reject) => {
      this.caughtUpWaiters.push({ resolve, reject });
      this.wake();
    });
  }

  /** A read-only view of a key-value store across all tasks (interactive queries). */
  store<K = unknown, V = unknown>(name: string): ReadOnlyKeyValueStore<K, V> {
    if (!this.topology.stores.has(name)) {
      throw new StreamsError(`no store named '${name}' (stores: ${[...this.topology.stores.keys()].join(', ') || 'none'})`);
    }
    if (this.tasks.length === 0) throw new StreamsError(`store '${name}' is not available: the application is ${this.current}`);
    // A global store is shared by every task: list it once.
    return mergedKeyValueStore([...new Set(this.tasks.flatMap((t) => t.getStore<KeyValueStore<K, V>>(name) ?? []))]);
  }

  /** A read-only view of a versioned store (a versioned table's) across all tasks: `get(key)`, `get(key, asOfTimestamp)`. */
  versionedStore<K = unknown, V = unknown>(name: string): ReadOnlyVersionedKeyValueStore<K, V> {
    const spec = this.topology.stores.get(name);
    if (!spec) throw new StreamsError(`no store named '${name}' (stores: ${[...this.topology.stores.keys()].join(', ') || 'none'})`);
    if (spec.kind !== 'versioned') throw new StreamsError(`store '${name}' is a ${spec.kind} store, not a versioned store`);
    if (this.tasks.length === 0) throw new StreamsError(`store '${name}' is not available: the application is ${this.current}`);
    return mergedVersionedKeyValueStore([...new Set(this.tasks.flatMap((t) => t.getStore<VersionedKeyValueStore<K, V>>(name) ?? []))]);
  }

  metrics(): StreamsMetrics {
    return this.counters.snapshot(this.tasks, this.readersByTask.flat(), performance.now());
  }

  private createTasks(): void {
    const { applicationId } = this.config;
    if (this.options.persistentStores) rmSync(join(this.options.persistentStores.directory, applicationId), { recursive: true, force: true });
    for (const topic of this.topology.sourceTopics()) if (!this.topics.has(topic)) this.topics.create(topic, this.partitionsOf(topic));
    const plan = planPartitions(this.topology, (topic) => (this.topics.has(topic) ? this.topics.partitionsFor(topic) : undefined));
    const changelogs = this.options.changelogs ?? false;
    for (const [name, partitions] of plan.internalTopics) {
      if (changelogs || !name.endsWith('-changelog')) this.topics.create(`${applicationId}-${name}`, partitions);
    }
    const collector: RecordCollector = {
      send: (record) => {
        this.topics.append(record.topic, record);
      },
      partitionsFor: (topic) => this.topics.partitionsFor(topic),
    };
    const taskOptions = {
      applicationId,
      collector,
      tracker: this.tracker,
      logger: this.logger,
      deserializationErrorHandler: this.options.deserializationErrorHandler,
      processingErrorHandler: this.options.processingErrorHandler,
      productionErrorHandler: this.options.productionErrorHandler,
      defaultKeySerde: this.options.defaultKeySerde,
      defaultValueSerde: this.options.defaultValueSerde,
      ...(changelogs ? {} : { changelogLogger: () => undefined }),
      onFailure: (error: Error) => this.fail(error),
    };
    // Global tables: one task reads every partition of their topics and shares its stores
    // with all other tasks; its readers come first so lookups see the table as it arrives.
    let sharedStores: Map<string, StateStore> | undefined;
    const global = this.topology.globalSubTopology;
    if (global) {
      const globalTask = new Task(global, 0, taskOptions);
      this.tasks.push(globalTask);
      sharedStores = new Map(globalTask.ownStores().map(({ spec, store }) => [spec.name, store]));
      this.readersByTask.push(
        globalTask.inputTopics().flatMap((topic) =>
          Array.from({ length: this.topics.partitionsFor(topic) }, (_, partition) => new PartitionReader(this.topics, globalTask, topic, partition)),
        ),
      );
    }
    const subTopologies = [...this.topology.subTopologies].sort((a, b) => a.id - b.id);
    for (const sub of subTopologies) {
      for (let partition = 0; partition < plan.tasks.get(sub.id)!; partition++) {
        const createStore = this.persistentStoreOpener(`${sub.id}_${partition}`);
        const task = new Task(sub, partition, { ...taskOptions, ...(sharedStores ? { sharedStores } : {}), ...(createStore ? { createStore } : {}) });
        this.tasks.push(task);
        this.readersByTask.push(task.inputTopics().map((topic) => new PartitionReader(this.topics, task, topic, partition)));
      }
    }
  }

  /** How a task opens its persistent stores (`persistentStores`), or `undefined` when all are in memory. */
  private persistentStoreOpener(taskId: string): ((spec: StoreSpec, logger: StoreChangeLogger | undefined) => RestorableStore) | undefined {
    const persistent = this.options.persistentStores;
    if (!persistent) return undefined;
    const taskDirectory = join(persistent.directory, this.options.applicationId, taskId);
    return (spec, logger) => (spec.persistable && spec.type !== 'inMemory' ? persistent.factory.open(spec, join(taskDirectory, spec.name), logger, `${this.options.applicationId}-${spec.name}-changelog`) : spec.create(logger));
  }

  private partitionsOf(topic: string): number {
    return this.options.topicPartitions?.[topic] ?? this.config.partitions;
  }

  /** Runs a turn soon, unless one is already due. */
  private wake(): void {
    if (this.scheduled || this.inTurn || this.current !== 'RUNNING') return;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** One slice of processing: rounds over every task until the slice is used up or nothing is left. */
  private turn(): void {
    this.scheduled = false;
    if (this.current !== 'RUNNING') return;
    const deadline = performance.now() + this.config.sliceMs;
    let idle = false;
    this.inTurn = true;
    try {
      do {
        idle = !this.round();
      } while (!idle && performance.now() < deadline);
      const now = performance.now();
      for (const task of this.tasks) task.punctuateWallClock(Date.now());
      if (idle || now - this.lastCommitAt >= this.config.commitIntervalMs) this.commit();
      if (now - this.lastMetricsAt >= this.config.metricsIntervalMs) {
        this.lastMetricsAt = now;
        this.emit({ type: 'metrics', metrics: this.metrics() });
      }
    } catch (error) {
      this.fail(asError(error));
      return;
    } finally {
      this.inTurn = false;
    }
    if (idle && this.tracker.openRecords === 0) {
      for (const waiter of this.caughtUpWaiters.splice(0)) waiter.resolve();
      // Nothing to read: sleep until a record is appended (wake) or wall-clock punctuation is due.
      this.idleTimer = setTimeout(() => this.wake(), 100);
      this.idleTimer.unref();
      return;
    }
    if (this.current === 'RUNNING') this.schedule();
  }

  /** Gives every task up to `batchSize` records of each of its partitions; returns whether any record was processed. */
  private round(): boolean {
    let progressed = false;
    const batch = this.config.batchSize;
    for (const readers of this.readersByTask) {
      const started = performance.now();
      const wall = Date.now();
      let count = 0;
      if (readers.length === 1) {
        const reader = readers[0]!;
        for (; count < batch; count++) {
          const record = reader.next();
          if (record === undefined) break;
          this.counters.record(wall, record.timestamp);
          reader.task.process(record);
        }
      } else {
        // Several input partitions: the record with the lowest timestamp at the heads goes first (design section 4).
        const limit = batch * readers.length;
        for (; count < limit; count++) {
          let chosen: PartitionReader | undefined;
          let lowest = Number.POSITIVE_INFINITY;
          for (const reader of readers) {
            const head = reader.peek();
            if (head !== undefined && head.timestamp < lowest) {
              lowest = head.timestamp;
              chosen = reader;
            }
          }
          if (!chosen) break;
          const record = chosen.next()!;
          this.counters.record(wall, record.timestamp);
          chosen.task.process(record);
        }
      }
      if (count > 0) {
        progressed = true;
        this.counters.batch(count, performance.now() - started);
      }
    }
    return progressed;
  }

  /** Records the offsets that are complete as committed (flush, then commit: in memory both are immediate). */
  private commit(): void {
    const started = performance.now();
    const offsets: { topic: string; partition: number; offset: number }[] = [];
    for (const reader of this.readersByTask.flat()) {
      const offset = this.tracker.committableOffset(reader.topic, reader.partition);
      if (offset === undefined || offset === reader.committed) continue;
      reader.committed = offset;
      offsets.push({ topic: reader.topic, partition: reader.partition, offset });
    }
    this.lastCommitAt = performance.now();
    if (offsets.length === 0) return;
    this.counters.commit(this.lastCommitAt - started);
    this.emit({ type: 'commit', offsets });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.logger.error(`application ${this.config.applicationId} failed: ${error.message}`);
    this.emit({ type: 'error', error });
    if (this.current !== 'PENDING_SHUTDOWN' && this.current !== 'NOT_RUNNING') this.transition('ERROR');
    this.rejectWaiters(error);
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.caughtUpWaiters.splice(0)) waiter.reject(error);
  }

  private transition(to: StreamsState): void {
    const from = this.current;
    if (!STATE_TRANSITIONS[from].includes(to)) throw new StreamsError(`illegal state transition ${from} -> ${to}`);
    this.current = to;
    this.emit({ type: 'state', from, to });
  }

  private emit(event: StreamsEvent): void {
    this.subject.next(event);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
