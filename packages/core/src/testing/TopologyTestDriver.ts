import { StreamsError } from '../errors';
import type { Topology } from '../graph/Topology';
import type { Headers } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { CommitTracker } from '../runtime/CommitTracker';
import type { ErrorHandler } from '../runtime/ErrorHandler';
import { InMemoryTopics, type StoredRecord } from '../runtime/InMemoryTopics';
import { consoleLogger, type Logger } from '../runtime/Logger';
import { planPartitions } from '../runtime/PartitionPlan';
import type { OutgoingRecord, RecordCollector } from '../runtime/RecordCollector';
import { Task, type TaskOptions } from '../runtime/Task';
import type { KeyValueStore, ReadOnlyKeyValueStore } from '../state/KeyValueStore';
import { mergedKeyValueStore, mergedSessionStore, mergedVersionedKeyValueStore, mergedWindowStore } from '../state/mergedStores';
import type { ReadOnlyVersionedKeyValueStore, VersionedKeyValueStore } from '../state/VersionedKeyValueStore';
import type { StateStore } from '../state/StateStore';
import type { ReadOnlySessionStore, SessionStore } from '../state/SessionStore';
import type { ReadOnlyWindowStore, WindowStore } from '../state/WindowStore';
import { TestInputTopic, type TestInputTopicOptions } from './TestInputTopic';
import { TestOutputTopic, type TestOutputTopicOptions } from './TestOutputTopic';

export interface TopologyTestDriverConfig {
  /** Prefix of internal topics. Defaults to `'test-app'`. */
  applicationId?: string;
  /** The driver's wall clock at start. Defaults to `Date.now()`. */
  initialWallClockTime?: number;
  /** Partitions of each user topic, by name. Topics not listed have `defaultPartitions`. */
  partitions?: Record<string, number>;
  /** Defaults to `1`, as in Kafka Streams' driver. */
  defaultPartitions?: number;
  /** For user topics whose key serde the topology did not declare. Defaults to `Serdes.string()`. */
  defaultKeySerde?: Serde<unknown>;
  /** For user topics whose value serde the topology did not declare. Defaults to `Serdes.json()`. */
  defaultValueSerde?: Serde<unknown>;
  /** Defaults to `ErrorHandlers.logAndFail()`. */
  deserializationErrorHandler?: ErrorHandler;
  /** Defaults to `ErrorHandlers.logAndFail()`. */
  processingErrorHandler?: ErrorHandler;
  /**
   * For output records that cannot be written, such as a value the sink's serde refuses (outside
   * its schema). Defaults to `ErrorHandlers.logAndFail()`.
   */
  productionErrorHandler?: ErrorHandler;
  /** Defaults to a logger that prints warnings and errors. */
  logger?: Logger;
  /**
   * Creates stores in place of the in-memory ones: what a persistent store implementation
   * runs its tests through (`undefined` for a store keeps it in memory). Defaults to in memory.
   */
  createStore?: TaskOptions['createStore'];
}

interface Pending {
  readonly task: Task;
  readonly record: StoredRecord;
}

/**
 * Runs a topology without a broker (Kafka Streams' `TopologyTestDriver`), for unit tests.
 * Processing is synchronous: `pipeInput` returns once the record and everything it caused
 * (including records through internal repartition topics) has been processed, as if a
 * commit happened after each input record. Wall-clock time moves only through
 * {@link advanceWallClockTime}.
 *
 * Beyond Kafka Streams: topics may have several partitions (keys placed by Kafka's
 * murmur2 partitioner, one task per partition), any RxJS `Observable` can feed an input
 * topic, and an output topic can be read as an `Observable`.
 *
 * ## Example
 * ```ts
 * import { TopologyTestDriver } from '@tributary/core/testing';
 *
 * using driver = new TopologyTestDriver(topology);
 * const input = driver.createInputTopic<string, number>('amounts');
 * const output = driver.createOutputTopic<string, number>('totals');
 * input.pipeInput('alice', 10);
 * expect(output.readKeyValue()).toEqual(['alice', 10]);
 * ```
 */
export class TopologyTestDriver implements Disposable {
  readonly topics: InMemoryTopics;
  private readonly tasks: Task[] = [];
  private readonly tasksByTopicPartition = new Map<string, Task>();
  /** Filled from `tasksByTopicPartition` as topics are first written. */
  private readonly tasksByTopic = new Map<string, (Task | undefined)[]>();
  private readonly tracker = new CommitTracker();
  private readonly queue: Pending[] = [];
  private readonly applicationId: string;
  private wallClockMs: number;
  private draining = false;
  private asyncFailure: Error | undefined;
  /** `whenIdle` callers to wake when a task fails: a failed record stays open, so idleness never comes. */
  private readonly failureWaiters: (() => void)[] = [];

  constructor(
    readonly topology: Topology,
    private readonly config: TopologyTestDriverConfig = {},
  ) {
    this.applicationId = config.applicationId ?? 'test-app';
    this.wallClockMs = config.initialWallClockTime ?? Date.now();
    const defaultPartitions = config.defaultPartitions ?? 1;
    this.topics = new InMemoryTopics(defaultPartitions);
    const plan = planPartitions(topology, (topic) => config.partitions?.[topic] ?? defaultPartitions);
    for (const topic of topology.sourceTopics()) this.topics.create(topic, config.partitions?.[topic] ?? defaultPartitions);
    // Output topics too: a sink (or its partitioner) must see the partition count the test asked for.
    for (const [topic, partitions] of Object.entries(config.partitions ?? {})) if (!this.topics.has(topic)) this.topics.create(topic, partitions);
    for (const [topic, partitions] of plan.internalTopics) this.topics.create(`${this.applicationId}-${topic}`, partitions);
    const collector: RecordCollector = {
      send: (record) => {
        this.deliver(record);
        // Asynchronous stages emit outside pipe(): process what they caused right away.
        if (!this.draining && !this.asyncFailure) queueMicrotask(() => this.drainQuietly());
      },
      partitionsFor: (topic) => this.topics.partitionsFor(topic),
    };
    const logger = config.logger ?? consoleLogger();
    const taskOptions: TaskOptions = {
      applicationId: this.applicationId,
      collector,
      tracker: this.tracker,
      logger,
      defaultKeySerde: config.defaultKeySerde,
      defaultValueSerde: config.defaultValueSerde,
      deserializationErrorHandler: config.deserializationErrorHandler,
      processingErrorHandler: config.processingErrorHandler,
      productionErrorHandler: config.productionErrorHandler,
      createStore: config.createStore,
      wallClock: () => this.wallClockMs,
      onFailure: (error) => {
        this.failAsync(error);
      },
    };
    // Global tables: one task reads every partition of their topics and fills the stores every other task reads.
    let sharedStores: Map<string, StateStore> | undefined;
    if (topology.globalSubTopology) {
      const globalTask = new Task(topology.globalSubTopology, 0, taskOptions);
      this.tasks.push(globalTask);
      sharedStores = new Map(globalTask.ownStores().map(({ spec, store }) => [spec.name, store]));
      for (const topic of globalTask.inputTopics()) {
        for (let partition = 0; partition < this.topics.partitionsFor(topic); partition++) this.tasksByTopicPartition.set(`${topic}\u0000${partition}`, globalTask);
      }
    }
    for (const sub of topology.subTopologies) {
      for (let partition = 0; partition < plan.tasks.get(sub.id)!; partition++) {
        const task = new Task(sub, partition, sharedStores ? { ...taskOptions, sharedStores } : taskOptions);
        this.tasks.push(task);
        for (const topic of task.inputTopics()) this.tasksByTopicPartition.set(`${topic}\u0000${partition}`, task);
      }
    }
  }

  /** A topic to pipe records into; serdes default to those the topology declared for it. */
  createInputTopic<K = string, V = unknown>(topic: string, options: TestInputTopicOptions<K, V> = {}): TestInputTopic<K, V> {
    const subTopologies = this.topology.globalSubTopology ? [...this.topology.subTopologies, this.topology.globalSubTopology] : this.topology.subTopologies;
    const declared = subTopologies.flatMap((s) => s.sources).find((s) => s.topics.includes(topic));
    const keySerde = (options.keySerde ?? declared?.keySerde ?? this.config.defaultKeySerde ?? Serdes.string()) as Serde<K>;
    const valueSerde = (options.valueSerde ?? declared?.valueSerde ?? this.config.defaultValueSerde ?? Serdes.json()) as Serde<V>;
    return new TestInputTopic<K, V>(this, topic, keySerde, valueSerde, options.startTimestamp ?? this.wallClockMs, options.autoAdvance ?? 0);
  }

  /** A topic to read what the topology wrote; serdes default to those its sink declared. */
  createOutputTopic<K = string, V = unknown>(topic: string, options: TestOutputTopicOptions<K, V> = {}): TestOutputTopic<K, V> {
    const declared = this.topology.subTopologies.flatMap((s) => s.sinks).find((s) => s.topic === topic);
    const keySerde = (options.keySerde ?? declared?.keySerde ?? this.config.defaultKeySerde ?? Serdes.string()) as Serde<K>;
    const valueSerde = (options.valueSerde ?? declared?.valueSerde ?? this.config.defaultValueSerde ?? Serdes.json()) as Serde<V>;
    return new TestOutputTopic<K, V>(this.topics, topic, keySerde, valueSerde);
  }

  /** @internal used by TestInputTopic: writes a serialized record and processes everything it causes. */
  pipe(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers = {}): void {
    this.throwIfFailed();
    if (!this.topics.has(topic)) {
      throw new StreamsError(`topic '${topic}' is not read by this topology (it reads ${this.topology.sourceTopics().join(', ') || 'nothing'})`);
    }
    this.deliver({ topic, key, value, timestamp, headers, partition: undefined });
    this.drain();
  }

  /** Moves the wall clock forward and fires the wall-clock punctuators that are due. */
  advanceWallClockTime(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advanceWallClockTime: ms must be >= 0, got ${ms}`);
    this.throwIfFailed();
    this.wallClockMs += ms;
    for (const task of this.tasks) task.punctuateWallClock(this.wallClockMs);
    this.drain();
  }

  /** The driver's wall clock. */
  get wallClockTime(): number {
    return this.wallClockMs;
  }

  /** A key-value store by name, read across all partitions' tasks. */
  getKeyValueStore<K = unknown, V = unknown>(name: string): ReadOnlyKeyValueStore<K, V> & Pick<KeyValueStore<K, V>, 'getWithTimestamp'> {
    return mergedKeyValueStore<K, V>(this.storesNamed<KeyValueStore<K, V>>(name, 'keyValue'));
  }

  /**
   * A versioned key-value store by name (a table kept in `Stores.versionedKeyValueStore`),
   * read across all partitions' tasks: `get(key)` and `get(key, asOfTimestamp)`.
   */
  getVersionedKeyValueStore<K = unknown, V = unknown>(name: string): ReadOnlyVersionedKeyValueStore<K, V> {
    return mergedVersionedKeyValueStore<K, V>(this.storesNamed<VersionedKeyValueStore<K, V>>(name, 'versioned'));
  }

  /** A window store by name (a windowed `count/reduce/aggregate`), read across all partitions' tasks. */
  getWindowStore<K = unknown, V = unknown>(name: string): ReadOnlyWindowStore<K, V> {
    return mergedWindowStore<K, V>(this.storesNamed<WindowStore<K, V>>(name, 'window'));
  }

  /** A session store by name (a session-windowed `count/reduce/aggregate`), read across all partitions' tasks. */
  getSessionStore<K = unknown, V = unknown>(name: string): ReadOnlySessionStore<K, V> {
    return mergedSessionStore<K, V>(this.storesNamed<SessionStore<K, V>>(name, 'session'));
  }

  /** Every task's instance of store `name`. */
  storesNamed<S extends StateStore>(name: string, kind?: string): S[] {
    const spec = this.topology.stores.get(name);
    if (!spec) throw new StreamsError(`no store named '${name}' (stores: ${[...this.topology.stores.keys()].join(', ') || 'none'})`);
    if (kind && spec.kind !== kind) throw new StreamsError(`store '${name}' is a ${spec.kind} store, not a ${kind} store`);
    // A global store is shared by every task: list it once.
    return [...new Set(this.tasks.map((t) => t.getStore<S>(name)).filter((s): s is S => s !== undefined))];
  }

  /** Resolves when no record is inside an asynchronous stage; rejects with a failure that happened there. */
  async whenIdle(): Promise<void> {
    this.throwIfFailed();
    await new Promise<void>((resolve) => {
      const wake = () => {
        const index = this.failureWaiters.indexOf(wake);
        if (index >= 0) this.failureWaiters.splice(index, 1);
        resolve();
      };
      this.failureWaiters.push(wake);
      void this.tracker.whenIdle().then(wake);
    });
    this.drain();
    this.throwIfFailed();
  }

  /** Counters summed over the tasks: consumed, processed, dropped records by reason. */
  metrics(): { consumed: number; processed: number; droppedRecords: number; droppedByReason: Record<string, number> } {
    const droppedByReason: Record<string, number> = {};
    let consumed = 0;
    let processed = 0;
    let droppedRecords = 0;
    for (const task of this.tasks) {
      consumed += task.metrics.consumed;
      processed += task.metrics.processed;
      droppedRecords += task.metrics.droppedRecords;
      for (const [reason, n] of task.metrics.droppedByReason) droppedByReason[reason] = (droppedByReason[reason] ?? 0) + n;
    }
    return { consumed, processed, droppedRecords, droppedByReason };
  }

  /** The committable offsets the driver's tracker reports (after every record in synchronous topologies). */
  committedOffsets(): Map<string, Map<number, number>> {
    return this.tracker.committable();
  }

  /** Closes every task and drops its stores; `using` does it at the end of the scope. */
  close(): void {
    for (const task of this.tasks) task.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private deliver(record: OutgoingRecord): void {
    const stored = this.topics.append(record.topic, record);
    // Per topic, the task of each partition (no string key per record: this is the hot path).
    let byPartition = this.tasksByTopic.get(stored.topic);
    if (!byPartition) {
      byPartition = Array.from({ length: this.topics.partitionsFor(stored.topic) }, (_, p) => this.tasksByTopicPartition.get(`${stored.topic}\u0000${p}`));
      this.tasksByTopic.set(stored.topic, byPartition);
    }
    const task = byPartition[stored.partition];
    if (task) this.queue.push({ task, record: stored });
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const { task, record } = this.queue.shift()!;
        task.process(record);
      }
    } finally {
      this.draining = false;
    }
  }

  private drainQuietly(): void {
    try {
      this.drain();
    } catch (error) {
      this.failAsync(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private failAsync(error: Error): void {
    this.asyncFailure ??= error;
    for (const wake of this.failureWaiters.splice(0)) wake();
  }

  private throwIfFailed(): void {
    if (this.asyncFailure) throw this.asyncFailure;
  }
}
