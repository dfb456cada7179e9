import { randomUUID } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  StreamsError,
  type ReadOnlyKeyValueStore,
  type ReadOnlyVersionedKeyValueStore,
  type ReadOnlySessionStore,
  type ReadOnlyWindowStore,
  type Serde,
  type StateStore,
  type StoreChangeLogger,
  type StoreSpec,
  type SubTopology,
  type StreamsApplication,
  type StreamsEvent,
  type StreamsState,
  type Topology,
} from '@tributary/core';
import { CommitTracker, prepareSerdes, Task, type RecordCollector } from '@tributary/core/runtime';
import { Subject, type Observable } from 'rxjs';
import { decodeAssignment, type AssignmentInfo } from './assignment/AssignmentInfo';
import { isMembershipLost, isRebalanceInProgress } from './client/taskMigration';
import { StreamsAssignor } from './assignment/StreamsAssignor';
import type { TaskLayout } from './assignment/TaskLayout';
import { connectAdmin } from './client/connectAdmin';
import { createNamedClient } from './client/namedClient';
import { partitionKey, type BatchContext, type ConsumedBatch, type GroupConsumer, type StreamsAdmin, type StreamsProducer, type TopicPartition } from './client/StreamsClient';
import type { Committer, ExactlyOnceCommitter } from './commit/Committer';
import { InstanceTransactionCommitter } from './commit/InstanceTransactionCommitter';
import { OffsetCommitter } from './commit/OffsetCommitter';
import { decodeStreamTime, encodeStreamTime } from './commit/streamTimeMetadata';
import { TransactionCommitter } from './commit/TransactionCommitter';
import { resolveOptions, type KafkaStreamsOptions, type ResolvedOptions } from './KafkaStreamsOptions';
import { installSignalHandlers } from './lifecycle/signalHandlers';
import { StreamsStateMachine } from './lifecycle/StreamsStateMachine';
import { TaskRecovery } from './lifecycle/TaskRecovery';
import { healthRoutes } from './http/healthRoutes';
import { metricsRoutes } from './http/metricsRoutes';
import { Router } from './http/Router';
import { storeRoutes } from './http/storeRoutes';
import { dashboardInstances } from './dashboard/dashboardInstances';
import { dashboardRoutes } from './dashboard/dashboardRoutes';
import { DeadLetterLog } from './dashboard/DeadLetterLog';
import { MetricsHistory } from './dashboard/MetricsHistory';
import { topologyDiagram } from './dashboard/topologyDiagram';
import { StreamsHttpServer, type HttpAddress } from './http/StreamsHttpServer';
import { PrometheusExporter } from './metrics/PrometheusExporter';
import { StreamsMetricsRecorder, type KafkaStreamsMetrics } from './metrics/StreamsMetricsRecorder';
import { ProcessingLoop } from './processing/ProcessingLoop';
import type { StreamTask } from './processing/StreamTask';
import { StandbyTasks, type StandbyHandover } from './processing/StandbyTasks';
import { TaskManager } from './processing/TaskManager';
import { KafkaRecordCollector, type RecordCollectorOptions } from './producer/KafkaRecordCollector';
import { TopicLimits } from './producer/TopicLimits';
import { LocalStores, type StoreQueryOptions } from './state/LocalStores';
import { GlobalStateUpdater } from './state/GlobalStateUpdater';
import { StoreRestorer, type RestoreProgress } from './state/StoreRestorer';
import { loadPersistentStores } from './state/loadPersistentStores';
import { StateDirectory, type TaskStateDirectory } from './state/StateDirectory';
import { formatHostInfo } from './queries/HostInfo';
import { StoreKeyPartitioner } from './queries/StoreKeyPartitioner';
import type { KeyQueryMetadata, StreamsMetadata } from './queries/StreamsMetadata';
import { StreamsMetadataState } from './queries/StreamsMetadataState';
import { prepareTopics } from './topics/prepareTopics';

/** A task with several inputs waits this much longer for a partition the broker has records for. */
const FETCH_WAIT_MS = 1_000;
/** How long `close()` waits for records still in asynchronous stages. Defaults of `close({ timeoutMs })`. */
const CLOSE_TIMEOUT_MS = 30_000;
/** How often wall-clock punctuators are checked when no record arrives. */
const PUNCTUATE_EVERY_MS = 100;
/** A commit before a rebalance must leave the group time to complete. */
const REVOCATION_COMMIT_TIMEOUT_MS = 10_000;
/**
 * The transaction timeout of an instance's one transactional producer (KIP-447), as Kafka
 * Streams sets it under exactly-once: a crashed instance's id is not reused, so the open
 * transaction it leaves blocks the new owners of its tasks (their offsets are unstable) until
 * the broker aborts it. The producer setting `transactionTimeoutMs` overrides it.
 */
const INSTANCE_TRANSACTION_TIMEOUT_MS = 10_000;

/** What only exists once `start()` has connected. */
interface Running {
  readonly admin: StreamsAdmin;
  /** At-least-once only: the producer every task shares. */
  readonly producer: StreamsProducer | undefined;
  readonly consumer: GroupConsumer;
  readonly collector: KafkaRecordCollector;
  readonly committer: Committer;
  /** Exactly-once only. */
  readonly transactions: ExactlyOnceCommitter | undefined;
  /** New tasks read committed offsets only once no open transaction holds any of theirs (KIP-447). */
  readonly stableOffsets: boolean;
  readonly tasks: TaskManager;
  readonly loop: ProcessingLoop;
  readonly restorer: StoreRestorer;
  readonly layout: TaskLayout;
  readonly assignor: StreamsAssignor;
  readonly recovery: TaskRecovery;
  readonly repartitionTopics: ReadonlySet<string>;
  /** With `numStandbyReplicas`: the standby copies this instance keeps. */
  readonly standbys: StandbyTasks | undefined;
}

/**
 * Runs a topology on Apache Kafka (design section 7): one consumer group named
 * `applicationId`, one task per assigned (sub-topology, partition), stores restored from
 * their changelogs, outputs written by an idempotent producer (or, exactly-once, one
 * transactional producer per task), and offsets committed only when everything before them
 * is complete (design section 5). Several instances with the
 * same `applicationId` share the partitions; when one dies, the others take them over.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder } from '@tributary/core';
 * import { KafkaStreams } from '@tributary/kafka';
 *
 * const builder = new StreamsBuilder();
 * builder.stream<string, { amount: number }>('payments').filter((_k, p) => p.amount > 100).to('large-payments');
 * const app = new KafkaStreams(builder.build(), { applicationId: 'fraud-check', brokers: 'localhost:9092' });
 * app.events.subscribe((event) => console.log(event));
 * await app.start();
 * ```
 */
export class KafkaStreams implements StreamsApplication, AsyncDisposable {
  /** State changes, metrics, restore progress, commits and errors. */
  readonly events: Observable<StreamsEvent>;
  private readonly options: ResolvedOptions;
  private readonly subject = new Subject<StreamsEvent>();
  private readonly machine: StreamsStateMachine;
  private readonly recorder = new StreamsMetricsRecorder();
  private readonly tracker = new CommitTracker();
  /** This instance, for its transactional id under exactly-once with one producer (Kafka Streams' process id). */
  private readonly processId = randomUUID();
  private readonly logStart = new Map<string, number>();
  private readonly restoring = new Set<StreamTask>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly purged = new Map<string, number>();
  private readonly localStores: LocalStores;
  private readonly metadata: StreamsMetadataState;
  /** This instance's `applicationServer`: configured, or derived from the HTTP server once it listens. */
  private advertised: string | undefined;
  /** Since when commits have been refused because the group rebalances, while none succeeded. */
  private refusedForRebalanceSince: number | undefined;
  /** The user data of the current generation's assignment, once it arrived. */
  private assignmentInfo: AssignmentInfo | undefined;
  private http: StreamsHttpServer | undefined;
  /** With the dashboard (`http.dashboard`): what its error handlers decided, and the rate and lag history. */
  private readonly deadLetters: DeadLetterLog | undefined;
  private history: MetricsHistory | undefined;
  private running: Running | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private shutdown: Promise<void> | undefined;
  private removeSignalHandlers: (() => void) | undefined;
  private restoreAbort = new AbortController();

  private global: GlobalStateUpdater | undefined;
  /** With persistent stores: the locked `<stateDir>/<applicationId>/`, and each task's part of it. */
  private stateDirectory: StateDirectory | undefined;
  private readonly taskStates = new WeakMap<Task, TaskStateDirectory>();
  /** Active tasks that took over a standby's stores, and where those stood in their changelogs. */
  private readonly handovers = new WeakMap<Task, StandbyHandover>();
  private failure: Error | undefined;
  private stopped = false;

  constructor(
    readonly topology: Topology,
    options: KafkaStreamsOptions,
  ) {
    if (!topology || !Array.isArray((topology as Partial<Topology>).subTopologies)) {
      throw new StreamsError('KafkaStreams needs a Topology: pass builder.build()');
    }
    this.options = resolveOptions(options);
    this.events = this.subject.asObservable();
    this.localStores = new LocalStores(
      topology,
      () => this.running?.tasks.tasks() ?? [],
      (name) => this.global?.stores.get(name),
      (name) => this.running?.standbys?.stores(name) ?? [],
    );
    this.advertised = this.options.applicationServer;
    this.deadLetters = this.options.http?.dashboard ? new DeadLetterLog() : undefined;
    this.metadata = new StreamsMetadataState(topology, () => this.advertised);
    this.machine = new StreamsStateMachine((from, to) => {
      this.options.logger.info(`${this.options.applicationId}: ${from} -> ${to}`);
      this.subject.next({ type: 'state', from, to });
    });
  }

  get state(): StreamsState {
    return this.machine.state;
  }

  /**
   * Calls `listener(newState, oldState)` on every state change (Kafka Streams'
   * `setStateListener`); the same changes are `state` events on {@link events}. Returns a
   * function that removes the listener.
   */
  setStateListener(listener: (newState: StreamsState, oldState: StreamsState) => void): () => void {
    const subscription = this.events.subscribe((event) => {
      if (event.type === 'state') listener(event.to, event.from);
    });
    return () => subscription.unsubscribe();
  }

  /** The consumer group and internal-topic prefix. */
  get applicationId(): string {
    return this.options.applicationId;
  }

  /**
   * Connects, creates the internal topics, joins the consumer group and starts processing.
   * Resolves once the first assignment arrived (stores may still be restoring: the state is
   * RUNNING once they are). Rejects, naming the culprit, when a broker cannot be reached or
   * a source or sink topic does not exist.
   */
  start(): Promise<void> {
    if (this.machine.state !== 'CREATED') {
      return Promise.reject(
        new StreamsError(`start() was already called (the application is ${this.machine.state}); an application starts once: create a new KafkaStreams to start again`),
      );
    }
    this.machine.require('REBALANCING', 'start the application');
    if (this.options.handleSignals) this.removeSignalHandlers = installSignalHandlers(() => this.close());
    this.starting = this.startUp().catch(async (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.failure ??= failure;
      await this.shutDownOnce(failure, 0);
      throw failure;
    });
    return this.starting;
  }

  /**
   * With cooperative rebalancing at least once, first has the group move this instance's tasks
   * to the others while it still runs them (up to `timeoutMs`). Then stops processing, waits
   * (up to `timeoutMs`) for records still in asynchronous stages, flushes the producer,
   * commits, and leaves the group. Safe to call more than once, and after a failure (it then
   * waits for the clean-up and leaves the state at ERROR).
   */
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
      await this.shutDownOnce(undefined, options.timeoutMs ?? CLOSE_TIMEOUT_MS);
      await this.http?.close();
      this.history?.stop();
    })();
    return this.stopping;
  }

  /** `await using app = new KafkaStreams(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A snapshot of the metrics of design section 8 (also emitted every `metricsIntervalMs`). */
  metrics(): KafkaStreamsMetrics {
    const running = this.running;
    return this.recorder.snapshot({
      tasks: running?.tasks.tasks() ?? [],
      committedOffset: (topic, partition) => running?.committer.committedOffset(topic, partition),
      logStartOffset: (topic, partition) => this.logStart.get(partitionKey(topic, partition)),
      commits: running?.committer.commits ?? 0,
      failedCommits: running?.committer.failures ?? 0,
      commitLatencyMs: running?.committer.averageLatencyMs ?? 0,
      commitLatencyMaxMs: running?.committer.maxLatencyMs ?? 0,
      standbyOffsetSums: running?.standbys?.offsetSums(),
    });
  }

  /** Where the HTTP server (`http` option) listens; `undefined` without one, before `start()` and after `close()`. */
  httpAddress(): HttpAddress | undefined {
    return this.http?.address;
  }

  /**
   * The instance that serves `key` of store `name` (Kafka Streams' `queryMetadataForKey`):
   * the one running the task of the key's partition, as the last group assignment says, with
   * the partition computed as the runtime places the key (`keySerde` replaces the store's
   * source key serde). `undefined` while that is not known: before the first assignment,
   * while the group rebalances, or when the owner advertises no `applicationServer`. For a
   * global store, this instance (every instance holds it whole). Throws for an unknown store.
   */
  metadataForKey<K>(name: string, key: K, keySerde?: Serde<K>): KeyQueryMetadata | undefined {
    return this.metadata.metadataForKey(name, key, keySerde as Serde<unknown> | undefined);
  }

  /** The instances holding parts of store `name` (Kafka Streams' `streamsMetadataForStore`); empty while not known. */
  allMetadataForStore(name: string): StreamsMetadata[] {
    return this.metadata.allMetadataForStore(name);
  }

  /** Every instance of the application that advertises an `applicationServer`, with its tasks; empty while not known. */
  allMetadata(): StreamsMetadata[] {
    return this.metadata.allMetadata();
  }

  /**
   * A read-only view of key-value store `name` over the tasks of this instance (interactive
   * queries). `{ staleReads: true }` reads this instance's standby copies too.
   */
  store<K = unknown, V = unknown>(name: string, options?: StoreQueryOptions): ReadOnlyKeyValueStore<K, V> {
    return this.localStores.keyValue<K, V>(name, options);
  }

  /** A read-only view of versioned store `name` (a versioned table's) over the tasks of this instance: `get(key)`, `get(key, asOfTimestamp)`. */
  versionedStore<K = unknown, V = unknown>(name: string, options?: StoreQueryOptions): ReadOnlyVersionedKeyValueStore<K, V> {
    return this.localStores.versionedKeyValue<K, V>(name, options);
  }

  /** A read-only view of window store `name` (a windowed aggregation's) over the tasks of this instance. */
  windowStore<K = unknown, V = unknown>(name: string, options?: StoreQueryOptions): ReadOnlyWindowStore<K, V> {
    return this.localStores.window<K, V>(name, options);
  }

  /** A read-only view of session store `name` (a session-windowed aggregation's) over the tasks of this instance. */
  sessionStore<K = unknown, V = unknown>(name: string, options?: StoreQueryOptions): ReadOnlySessionStore<K, V> {
    return this.localStores.session<K, V>(name, options);
  }

  /** The ids of the tasks this instance runs now (`<subTopology>_<partition>`). */
  assignedTasks(): string[] {
    return this.running?.tasks.ownedTaskIds().sort() ?? [];
  }

  /** The ids of the tasks this instance keeps a standby copy of (`numStandbyReplicas`). */
  standbyTasks(): string[] {
    return this.running?.standbys?.ids() ?? [];
  }

  /** The input partitions this instance owns now. */
  assignedPartitions(): TopicPartition[] {
    return (this.running?.tasks.ownedPartitions() ?? []).map(({ topic, partition }) => ({ topic, partition }));
  }

  private async startUp(): Promise<void> {
    const { applicationId, brokers, clientId, logger, replicationFactor, connection } = this.options;
    // First, so that probes get an answer while the application connects and restores.
    await this.serveHttp();
    // Serdes that look things up (a Schema Registry's schema ids) do it now: serialize and deserialize are synchronous.
    await prepareSerdes(this.topology, { applicationId, defaultKeySerde: this.options.defaultKeySerde, defaultValueSerde: this.options.defaultValueSerde });
    if (this.options.groupProtocol === 'consumer') {
      const { client } = this.options;
      const kip848 = typeof client === 'object' ? client.consumerGroupProtocol === true : client === 'platformatic';
      if (!kip848) throw new StreamsError(`groupProtocol 'consumer' (KIP-848) needs client 'platformatic'; the ${typeof client === 'object' ? 'given' : (client ?? 'kafkajs')} client joins classic groups only`);
    }
    // Before connecting: a second instance on the same state directory fails here, having touched nothing.
    this.stateDirectory = await this.openStateDirectory();
    const client =
      typeof this.options.client === 'object'
        ? this.options.client
        : await createNamedClient(this.options.client ?? 'kafkajs', { brokers, clientId, logger, connection, reconnectForMs: this.options.deliveryTimeoutMs });
    const admin = client.admin();
    await connectAdmin(admin, brokers, connection);
    try {
      const { counts, internal, layout } = await prepareTopics(admin, this.topology, applicationId, replicationFactor);
      const taskCounts = new Map<number, number>();
      for (const t of layout.tasks) taskCounts.set(t.subTopology.id, (taskCounts.get(t.subTopology.id) ?? 0) + 1);
      this.metadata.started(layout, new StoreKeyPartitioner(this.topology, applicationId, (id) => taskCounts.get(id) ?? 0, this.options.defaultKeySerde));
      // Batches fit the request and topic limits; topics the topology does not name (dead letters) are looked up when first written.
      const topicLimits = new TopicLimits(new Map(), (topics) => admin.maxMessageBytes(topics), logger);
      await topicLimits.load([...counts.keys()]);
      const sizing: RecordCollectorOptions = { maxRequestSizeBytes: this.options.maxRequestSizeBytes, topicLimits };

      const eos = this.options.processingGuarantee === 'exactly_once';
      const cooperative = this.options.rebalanceProtocol === 'cooperative' && client.cooperativeRebalancing === true;
      const notify = () => this.running?.loop.notify();
      let tasks!: TaskManager;
      // At-least-once: one idempotent producer for every task. Exactly-once: one transactional
      // producer for the instance (KIP-447) where the client can, else one per task.
      const producer = eos ? undefined : client.producer({ clientId, deliveryTimeoutMs: this.options.deliveryTimeoutMs });
      await producer?.connect();
      const instanceTransactions =
        eos && cooperative && client.transactionsWithGroupMetadata === true
          ? new InstanceTransactionCommitter({
              groupId: applicationId,
              // Kafka Streams' 10 s: after a crash, the new owners of its tasks wait for its open transaction to time out.
              createProducer: () =>
                client.transactionalProducer({
                  clientId,
                  deliveryTimeoutMs: this.options.deliveryTimeoutMs,
                  transactionalId: `${applicationId}-${this.processId}`,
                  transactionTimeoutMs: INSTANCE_TRANSACTION_TIMEOUT_MS,
                }),
              partitionCounts: counts,
              collectorOptions: { ...sizing, onBatchSettled: notify },
              tracker: this.tracker,
              tasks: () => tasks.tasks(),
              owns: (topic, partition) => tasks.owns(topic, partition),
              member: () => consumer.member?.(),
              resumed: notify,
              logger,
              idleTimeoutMs: REVOCATION_COMMIT_TIMEOUT_MS,
              onTransactionLost: (error) => this.running?.recovery.membershipLost(error),
            })
          : undefined;
      const collector = instanceTransactions?.collector ?? new KafkaRecordCollector(producer ?? noProducer, counts, { ...sizing, onBatchSettled: notify });
      // Global tables first: stream tasks may read them from their first record on.
      let global: GlobalStateUpdater | undefined;
      if (this.topology.globalSubTopology) {
        global = new GlobalStateUpdater({
          subTopology: this.topology.globalSubTopology,
          createTask: (sub) => this.createTask(sub, 0, collector, new CommitTracker(), undefined, (error) => this.fail(error)),
          admin,
          reader: client.changelogReader({ groupIdPrefix: `${applicationId}-global`, clientId, readCommitted: eos }),
          onError: (error) => this.fail(new StreamsError(`the global tables failed: ${error.message}`, { cause: error })),
        });
        this.global = global;
        await global.start();
      }
      const sharedStores = global?.stores;
      const standbys =
        this.options.numStandbyReplicas > 0
          ? new StandbyTasks({
              layout,
              createTask: (spec, changelogLogger) => this.createStandbyTask(spec.subTopology, spec.partition, collector, sharedStores, changelogLogger),
              admin,
              reader: client.changelogReader({ groupIdPrefix: `${applicationId}-standby`, clientId, readCommitted: eos }),
              logger,
            })
          : undefined;
      // A task being revoked (cooperatively) is not claimed again: a rebalance that starts while
      // its revocation commit runs hands it to its new owner instead of holding it back once more.
      const claimedTasks = () => [...tasks.tasks()].filter((task) => !task.revoking).map((task) => task.id);
      const statefulTasks = new Set(layout.tasks.filter((t) => t.subTopology.stores.some((s) => s.logging)).map((t) => t.id));
      const assignor = new StreamsAssignor(layout, claimedTasks, logger, {
        endpoint: () => this.advertised,
        standby: {
          replicas: this.options.numStandbyReplicas,
          statefulTasks: [...statefulTasks],
          // What this member holds of tasks it does not run: checkpoints on disk, and its standbys (newer).
          offsetSums: () => {
            const owned = new Set(tasks.ownedTaskIds());
            const sums = new Map([...(this.stateDirectory?.checkpointedOffsetSums() ?? []), ...(standbys?.offsetSums() ?? [])]);
            for (const id of owned) sums.delete(id);
            return sums;
          },
        },
        cooperative,
        // A task moves in one rebalance, its new owner waiting for its previous owner's handover
        // mark. Not under exactly-once, whose revocation commits a transaction: there the moving
        // task is held back for the follow-up rebalance.
        handover: !eos,
      });
      const consumer = client.groupConsumer({
        groupId: applicationId,
        clientId,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        heartbeatIntervalMs: this.options.heartbeatIntervalMs,
        rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
        maxWaitTimeMs: this.options.maxWaitTimeMs,
        maxBytesPerPartition: this.options.maxBytesPerPartition,
        readCommitted: eos,
        autoOffsetReset: this.options.autoOffsetReset,
        assignor,
        rebalanceProtocol: cooperative ? 'cooperative' : 'eager',
        groupProtocol: this.options.groupProtocol,
      });
      const taskTransactions = eos && !instanceTransactions
        ? new TransactionCommitter({
            groupId: applicationId,
            tasks: () => tasks.tasks(),
            resumed: notify,
            logger,
            idleTimeoutMs: REVOCATION_COMMIT_TIMEOUT_MS,
            onCommitFailed: (task, error) => this.onTaskFailure(task.id, error),
          })
        : undefined;
      const transactions: ExactlyOnceCommitter | undefined = instanceTransactions ?? taskTransactions;
      tasks = new TaskManager({
        layout,
        createTask: (spec) => {
          const onFailure = (error: Error) => this.onTaskFailure(spec.id, error);
          if (!taskTransactions) {
            const writes = instanceTransactions ? instanceTransactions.collectorFor(spec.id) : collector;
            return this.createTask(spec.subTopology, spec.partition, writes, this.tracker, sharedStores, onFailure);
          }
          const tracker = new CommitTracker();
          const taskProducer = client.transactionalProducer({ clientId, deliveryTimeoutMs: this.options.deliveryTimeoutMs, transactionalId: `${applicationId}-${spec.id}` });
          const taskCollector = new KafkaRecordCollector(taskProducer, counts, { ...sizing, onBatchSettled: notify });
          taskTransactions.add(spec.id, { producer: taskProducer, collector: taskCollector, tracker });
          return this.createTask(spec.subTopology, spec.partition, taskCollector, tracker, sharedStores, onFailure);
        },
        // Exactly-once: every new task first fences its predecessor (see TransactionCommitter.prepare).
        needsRestore: (spec) => eos || spec.subTopology.stores.some((s) => s.logging),
        tracker: this.tracker,
        consumer,
        logger,
        onCreated: () => this.recorder.taskCreated(),
        onClosed: (task) => {
          this.recorder.taskClosed(task);
          void transactions?.release(task.id);
        },
      });
      const committer: Committer =
        transactions ??
        new OffsetCommitter({
          flush: () => collector.flush(),
          flushCaches: () => {
            let caching = false;
            for (const task of tasks.tasks()) {
              if (task.state !== 'running' || !task.task.caching) continue;
              caching = true;
              task.task.flushCaches();
            }
            return caching;
          },
          committable: () => this.tracker.committable(),
          holds: (topic, partition) => tasks.route(topic, partition)?.task.revoking === true,
          metadata: (topic, partition) => {
            const task = tasks.route(topic, partition)?.task;
            return task ? encodeStreamTime(task.task.streamTime()) : undefined;
          },
          owns: (topic, partition) => tasks.owns(topic, partition),
          commit: (offsets) => consumer.commit(offsets),
        });
      const loop = new ProcessingLoop(
        {
          tasks: () => tasks.tasks(),
          inFlight: transactions ? () => transactions.openRecords() : () => this.tracker.openRecords,
          afterRound: () => this.afterRound(),
          onTaskFailure: (task, error) => this.onTaskFailure(task.id, error),
          latency: this.recorder,
        },
        {
          sliceRecords: 1_000,
          maxInFlightRecords: this.options.maxInFlightRecords,
          maxBufferedRecords: this.options.maxBufferedRecords,
          maxTaskIdleMs: this.options.maxTaskIdleMs,
          fetchWaitMs: FETCH_WAIT_MS,
          punctuateEveryMs: PUNCTUATE_EVERY_MS,
        },
      );
      const restorer = new StoreRestorer({
        admin,
        reader: client.changelogReader({ groupIdPrefix: `${applicationId}-restore`, clientId, readCommitted: eos }),
        onProgress: (progress) => this.onRestoreProgress(progress),
        logger,
        checkpointedOffset: (task, changelog) => this.handovers.get(task.task)?.positionOf(changelog) ?? this.taskStates.get(task.task)?.restoreFrom(changelog),
      });
      const repartitionTopics = new Set(internal.filter((s) => s.kind === 'repartition').map((s) => s.name));
      const recovery = new TaskRecovery({
        applicationId,
        logger,
        handler: this.options.uncaughtExceptionHandler,
        exactlyOnce: eos,
        rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
        tasks,
        consumer,
        assignor,
        loop,
        stopped: () => this.stopped || this.failure !== undefined,
        commit: (reason) => this.commitWithin(reason, REVOCATION_COMMIT_TIMEOUT_MS),
        restore: (revived) => this.restore(revived),
        forget: (task) => {
          this.restoring.delete(task);
          for (const q of task.queues) committer.forget(q.topic, q.partition);
        },
        report: (error) => this.subject.next({ type: 'error', error }),
        stop: (error) => this.fail(error),
      });
      this.running = { admin, producer, consumer, collector, committer, transactions, stableOffsets: instanceTransactions !== undefined, tasks, loop, restorer, layout, assignor, recovery, repartitionTopics, standbys };

      await consumer.connect();
      this.recorder.start();
      await consumer.run(layout.topics, {
        onBatch: (batch, context) => this.onBatch(batch, context),
        onPassed: (passed) => this.running?.tasks.route(passed.topic, passed.partition)?.queue.pass(passed),
        onAssigned: (partitions, lost) => this.onAssigned(partitions, lost),
        onRevoking: () => this.commitWithin('rebalance', REVOCATION_COMMIT_TIMEOUT_MS),
        onAssignmentUserData: (userData) => {
          this.assignmentInfo = decodeAssignment(userData);
          this.metadata.assigned(this.assignmentInfo);
          const owned = new Set(tasks.ownedTaskIds());
          // A task handed over to this member that it does not run yet (its previous owner is
          // committing it) is followed as a standby meanwhile, so it starts with its stores warm.
          const arriving = this.assignmentInfo.tasks.filter((id) => statefulTasks.has(id));
          void standbys?.assign([...this.assignmentInfo.standbyTasks, ...arriving].filter((id) => !owned.has(id)));
        },
        onRebalancing: () => {
          this.metadata.unknown('the group is rebalancing');
          if (!this.stopped) this.machine.transition('REBALANCING');
        },
        onRevoked: (partitions) => this.onRevoked(partitions),
        onRejoinAbandoned: () => this.onRejoinAbandoned(),
        onShutdownRequested: () => {
          const reason = this.running?.recovery.shutdownCause ?? new StreamsError(`another instance of application '${applicationId}' asked every instance to shut down (its uncaught-exception handler answered 'shutdown_application')`);
          this.fail(reason);
        },
        onCrash: (error, restarting) => {
          if (restarting) logger.warn(`${applicationId}: the Kafka consumer failed and rejoins: ${error.message}`);
          else this.onUncaught(new StreamsError(`the Kafka consumer failed: ${error.message}`, { cause: error }));
        },
      });
      if (this.stopped) return; // failed or closed while joining
      this.every(this.options.commitIntervalMs, () => void this.commit('interval'));
      if (this.options.metricsIntervalMs > 0) this.every(this.options.metricsIntervalMs, () => void this.emitMetrics());
      if (this.options.repartitionPurgeIntervalMs > 0 && repartitionTopics.size > 0) {
        this.every(this.options.repartitionPurgeIntervalMs, () => void this.purgeRepartitionTopics());
      }
    } catch (error) {
      if (!this.running) await admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Starts the HTTP server of the `http` option: metrics, health and readiness, interactive
   * queries, the dashboard (unless `http.dashboard` is `false`). Without an `applicationServer`, this instance advertises the server's host and
   * bound port (the host name when it listens on every interface).
   */
  private async serveHttp(): Promise<void> {
    const http = this.options.http;
    if (!http) return;
    const { applicationId, clientId } = this.options;
    const tasks = () => [...(this.running?.tasks.tasks() ?? [])];
    const exporter = new PrometheusExporter(() => ({ state: this.state, threads: [{ threadId: `${clientId}-StreamThread-1`, state: this.state, metrics: this.metrics() }] }), {
      application_id: applicationId,
      client_id: clientId,
    });
    const router = new Router().add(
      ...healthRoutes({
        state: () => this.state,
        failure: () => this.failure,
        tasks: () => tasks().map(({ id, state }) => ({ id, state })),
        remainingRestoreRecords: () => [...this.recorder.restores.values()].reduce((n, r) => n + (r.total - r.restored), 0),
      }),
      ...metricsRoutes(exporter),
      ...storeRoutes({
        metadata: this.metadata,
        self: () => this.advertised!,
        localTasks: () => new Map(tasks().map((t) => [t.id, t.state])),
        standbyTasks: () => new Set(this.standbyTasks()),
        keyValue: (name, stale) => this.localStores.keyValue(name, { staleReads: stale }),
        versioned: (name, stale) => this.localStores.versionedKeyValue(name, { staleReads: stale }),
        window: (name, stale) => this.localStores.window(name, { staleReads: stale }),
        session: (name, stale) => this.localStores.session(name, { staleReads: stale }),
      }),
    );
    if (this.deadLetters) {
      const history = (this.history = new MetricsHistory(() => this.metrics()));
      this.deadLetters.follow(this.events);
      router.add(
        ...dashboardRoutes({
          applicationId,
          state: () => this.state,
          metrics: () => this.metrics(),
          history,
          topology: topologyDiagram(this.topology, { applicationId }),
          deadLetters: this.deadLetters,
          instances: () => dashboardInstances(this.allMetadata(), this.advertised, { tasks: this.assignedTasks(), partitions: this.assignedPartitions() }),
        }),
      );
      history.start();
    }
    this.http = new StreamsHttpServer(router, this.options.logger);
    const bound = await this.http.listen(http.port, http.host);
    const wildcard = bound.host === '0.0.0.0' || bound.host === '::';
    if (this.advertised?.endsWith(':0')) this.advertised = `${this.advertised.slice(0, -1)}${bound.port}`;
    this.advertised ??= formatHostInfo({ host: wildcard ? hostname() : bound.host, port: bound.port });
    this.options.logger.info(`${applicationId}: HTTP server on ${bound.url}, advertised as ${this.advertised}`);
  }

  private createTask(
    subTopology: SubTopology,
    partition: number,
    collector: RecordCollector,
    tracker: CommitTracker,
    sharedStores: ReadonlyMap<string, StateStore> | undefined,
    onFailure: (error: Error) => void,
  ): Task {
    const o = this.options;
    // A standby of this task kept here hands its stores over: restoration starts where they stand.
    const handover = subTopology === this.topology.globalSubTopology ? undefined : this.running?.standbys?.release(`${subTopology.id}_${partition}`);
    const state = handover ? handover.state : this.openTaskState(subTopology, partition);
    const task = new Task(subTopology, partition, {
      applicationId: o.applicationId,
      collector,
      tracker,
      sharedStores,
      createStore: handover ? (spec, logger) => handover.adopt(spec, logger) : state && ((spec, logger) => state.createStore(spec, logger)),
      logger: o.logger,
      defaultKeySerde: o.defaultKeySerde,
      defaultValueSerde: o.defaultValueSerde,
      // The dashboard notes what the handlers decide (the decisions stay theirs).
      deserializationErrorHandler: this.deadLetters?.observe(o.deserializationErrorHandler) ?? o.deserializationErrorHandler,
      processingErrorHandler: this.deadLetters?.observe(o.processingErrorHandler) ?? o.processingErrorHandler,
      productionErrorHandler: this.deadLetters?.observe(o.productionErrorHandler) ?? o.productionErrorHandler,
      onFailure,
      cacheMaxRecords: o.cacheMaxRecords,
      // Every commit flushes the tasks' caches first: stores with `caching` may hold their changelog writes until then.
      flushesAtCommits: true,
    });
    if (state) this.taskStates.set(task, state);
    if (handover) this.handovers.set(task, handover);
    return task;
  }

  /** The task's part of the state directory, when it has persistent stores (global tables stay in memory: every instance restores them whole). */
  private openTaskState(subTopology: SubTopology, partition: number): TaskStateDirectory | undefined {
    const persistent = subTopology !== this.topology.globalSubTopology && this.stateDirectory?.hasPersistentStores(subTopology.stores);
    return persistent ? this.stateDirectory!.openTask(`${subTopology.id}_${partition}`, partition, subTopology.stores) : undefined;
  }

  /**
   * The task a standby keeps its stores in: created like an active task, stores on disk
   * when the active task's would be, each logged store writing to `changelogLogger` (silent
   * until a promotion hands it over). It never processes a record.
   */
  private createStandbyTask(
    subTopology: SubTopology,
    partition: number,
    collector: KafkaRecordCollector,
    sharedStores: ReadonlyMap<string, StateStore> | undefined,
    changelogLogger: (spec: StoreSpec) => StoreChangeLogger,
  ): { task: Task; state: TaskStateDirectory | undefined } {
    const state = this.openTaskState(subTopology, partition);
    const task = new Task(subTopology, partition, {
      applicationId: this.options.applicationId,
      collector,
      sharedStores,
      createStore: state && ((spec, logger) => state.createStore(spec, logger)),
      changelogLogger: (spec) => changelogLogger(spec),
      logger: this.options.logger,
      defaultKeySerde: this.options.defaultKeySerde,
      defaultValueSerde: this.options.defaultValueSerde,
    });
    return { task, state };
  }

  /** Queues a fetched batch; `false` when it was not taken (the consumer then fetches it again, or from where a seek put it). */
  private async onBatch(batch: ConsumedBatch, context: BatchContext): Promise<boolean> {
    const running = this.running;
    if (!running || this.stopped) return false;
    const route = running.tasks.route(batch.topic, batch.partition);
    if (!route || route.task.state === 'closed') return false;
    // Source serdes fetch what the records refer to (schema ids not seen yet) before the records are queued.
    const ready = route.task.task.prepareInput(batch.topic, batch.records);
    if (ready) {
      await ready;
      if (this.running !== running || this.stopped || route.task.closed) return false;
    }
    const { queue } = route;
    if (queue.append(batch) === 'gap') {
      // Taking it would skip records: read again from the next record the task has not seen.
      this.options.logger.warn(
        `${this.options.applicationId}: a fetch of ${batch.topic}-${batch.partition} began at offset ${batch.fetchedOffset}, after the next record to process (${queue.position}); reading again from ${queue.position}`,
      );
      running.consumer.seek({ topic: queue.topic, partition: queue.partition, offset: queue.position! });
      return false;
    }
    if (queue.size > this.options.maxBufferedRecordsPerPartition) running.tasks.setOverflow(queue, true);
    running.loop.schedule();
    await running.loop.waitForCapacity(context.heartbeat, context.isRunning);
    return true;
  }

  private onAssigned(partitions: readonly TopicPartition[], lost: boolean): void {
    const running = this.running;
    if (!running || this.stopped) return;
    try {
      if (lost && running.tasks.size > 0) {
        this.options.logger.warn(`${this.options.applicationId}: this member rejoined the group as a new member: its tasks are closed without a commit and created again`);
      }
      this.assignmentInfo = undefined;
      this.metadata.unknown("the group assignment's endpoints have not arrived yet");
      const { created, closed } = running.tasks.assign(partitions, lost);
      for (const task of closed) {
        this.restoring.delete(task);
        for (const q of task.queues) running.committer.forget(q.topic, q.partition);
      }
      const toRestore = created.filter((t) => t.state === 'restoring');
      this.options.logger.info(
        `${this.options.applicationId}: assigned tasks [${running.tasks.ownedTaskIds().join(', ')}] (new: ${created.length}, revoked: ${closed.length}, restoring: ${toRestore.length})`,
      );
      if (toRestore.length > 0) void this.restore(toRestore);
      else if (this.restoring.size === 0) this.machine.transition('RUNNING');
      void this.refreshOffsets();
      running.loop.schedule();
    } catch (error) {
      this.onUncaught(error);
    }
  }

  /**
   * Cooperative rebalancing took `partitions` away, and nobody has them yet: their tasks stop
   * processing and everything processed is committed (Kafka Streams commits on revocation
   * too), so their new owner starts where these tasks stopped. The tasks close with the
   * assignment that follows. A commit that fails leaves the last committed offsets: the new
   * owner then reprocesses from there, as after a crash.
   */
  private async onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    const running = this.running;
    if (!running) return;
    const tasks = running.tasks.tasksReading(partitions);
    // No longer claimed, even while closing: a member that went on claiming them would have
    // the leader hold them back from their new owner, rebalance after rebalance.
    for (const task of tasks) task.revoking = true;
    if (this.stopped) return; // the close commits everything
    this.options.logger.info(`${this.options.applicationId}: tasks [${tasks.map((t) => t.id).join(', ')}] move to another instance: committing them before they go`);
    await this.commitWithin('revocation', REVOCATION_COMMIT_TIMEOUT_MS);
  }

  /**
   * The consumer went back to fetching with the partitions it had, without a new assignment:
   * the tasks it owns run on, so the application is RUNNING again (once none restores).
   */
  private onRejoinAbandoned(): void {
    if (!this.running || this.stopped) return;
    this.options.logger.info(`${this.options.applicationId}: the rejoin was given up and the group kept this member: its tasks go on`);
    if (this.assignmentInfo) this.metadata.assigned(this.assignmentInfo);
    if (this.restoring.size === 0) this.machine.transition('RUNNING');
    this.running.loop.schedule();
  }

  /**
   * Readies new tasks: registers their transactional ids (exactly-once), starts their
   * partitions at the offsets committed now, restores their stores, then lets them run.
   */
  private async restore(tasks: readonly StreamTask[]): Promise<void> {
    const running = this.running!;
    for (const task of tasks) this.restoring.add(task);
    const live = () => tasks.filter((t) => t.state !== 'closed');
    try {
      const transactions = running.transactions;
      if (transactions) await Promise.all(tasks.map((task) => transactions.prepare(task)));
      await this.startAtCommittedOffsets(live());
      await running.restorer.restore(live(), this.restoreAbort.signal);
    } catch (error) {
      if (this.stopped) return;
      const failed = live();
      const failure = new StreamsError(`restoring the stores of tasks ${failed.map((t) => t.id).join(', ')} failed: ${(error as Error).message}`, { cause: error });
      for (const task of failed) this.restoring.delete(task);
      if (failed.length > 0) this.onUncaught(failure, failed.length === 1 ? failed[0] : undefined);
      return;
    }
    if (this.stopped) return;
    for (const task of tasks) {
      if (!this.restoring.delete(task) || task.state !== 'restoring') continue;
      this.taskStates.get(task.task)?.startProcessing();
      running.tasks.markRunning(task);
    }
    if (this.restoring.size === 0) this.machine.transition('RUNNING');
    running.loop.schedule();
  }

  /**
   * Starts each partition of new tasks at the group's committed offset as the broker has it
   * now (after exactly-once fencing settled a previous owner's transaction), or where
   * `autoOffsetReset` says when there is none. Records fetched before are dropped.
   */
  private async startAtCommittedOffsets(tasks: readonly StreamTask[]): Promise<void> {
    const running = this.running!;
    const queues = tasks.flatMap((t) => t.queues);
    if (queues.length === 0) return;
    const topics = [...new Set(queues.map((q) => q.topic))];
    const stable = await running.admin.committedOffsets(this.options.applicationId, topics, { requireStable: running.stableOffsets });
    const committed = new Map(stable.map((o) => [partitionKey(o.topic, o.partition), o.offset]));
    const streamTimes = new Map(stable.map((o) => [partitionKey(o.topic, o.partition), decodeStreamTime(o.metadata)]));
    const uncommitted = queues.filter((q) => !committed.has(partitionKey(q.topic, q.partition)));
    if (uncommitted.length > 0) {
      for (const { topic, partition, low, high } of await running.admin.offsets([...new Set(uncommitted.map((q) => q.topic))])) {
        const key = partitionKey(topic, partition);
        if (!committed.has(key)) committed.set(key, this.options.autoOffsetReset === 'earliest' ? low : high);
      }
    }
    for (const task of tasks) {
      if (task.state === 'closed') continue;
      // The stream time an earlier owner committed: it goes on from there, not from the next record.
      for (const queue of task.queues) {
        const time = streamTimes.get(partitionKey(queue.topic, queue.partition));
        if (time !== undefined) task.task.resumeStreamTime(time);
      }
      for (const queue of task.queues) {
        const offset = committed.get(partitionKey(queue.topic, queue.partition));
        if (offset === undefined) continue;
        queue.resetTo(offset);
        running.consumer.seek({ topic: queue.topic, partition: queue.partition, offset });
        running.committer.seed([{ topic: queue.topic, partition: queue.partition, offset }]);
      }
    }
  }

  /** A task failed: {@link TaskRecovery} decides (before the application runs, nothing can fail a task). */
  private onTaskFailure(taskId: string, error: unknown): void {
    this.running?.recovery.taskFailed(taskId, error);
  }

  /** A failure of the instance, or of `task`, that no error handler took care of. */
  private onUncaught(error: unknown, task?: StreamTask): void {
    const recovery = this.running?.recovery;
    if (recovery) recovery.uncaught(error, task);
    else this.fail(error);
  }

  private onRestoreProgress(progress: RestoreProgress): void {
    this.recorder.restoreProgress(progress);
    const { store, partition, restored, total, ratePerSecond, remainingMs, fromCheckpoint, startOffset } = progress;
    this.subject.next({ type: 'restore', store, partition, restored, total, ratePerSecond, remainingMs, fromCheckpoint, startOffset });
  }

  private afterRound(): void {
    const running = this.running;
    if (!running) return;
    running.collector.dispatchSoon();
    const resumeBelow = this.options.maxBufferedRecordsPerPartition / 2;
    for (const queue of running.tasks.ownedPartitions()) {
      if (queue.paused && queue.size < resumeBelow) running.tasks.setOverflow(queue, false);
    }
  }

  /**
   * The group refuses commits while it rebalances, and the client rejoins at its next
   * heartbeat. A client that has not rejoined after a whole session timeout of refusals
   * (KafkaJS gave up a join while the coordinator was away, say) never will by itself: the
   * member leaves and rejoins, so that the group's rebalance can end.
   */
  private onCommitRefusedForRebalance(running: Running): void {
    const now = Date.now();
    this.refusedForRebalanceSince ??= now;
    if (now - this.refusedForRebalanceSince < this.options.sessionTimeoutMs) return;
    this.refusedForRebalanceSince = undefined;
    this.options.logger.warn(`${this.options.applicationId}: commits have been refused for a rebalance for ${this.options.sessionTimeoutMs} ms and the client has not rejoined; rejoining the group`);
    running.recovery.rejoin();
  }

  /** Runs the commit sequence; a failed commit is logged and retried at the next one. */
  private async commit(reason: string): Promise<void> {
    const running = this.running;
    if (!running) return;
    try {
      const result = await running.committer.commit(reason);
      this.refusedForRebalanceSince = undefined;
      if (result.offsets.length > 0) this.subject.next({ type: 'commit', offsets: result.offsets });
    } catch (error) {
      this.options.logger.warn(`${this.options.applicationId}: commit (${reason}) failed: ${(error as Error).message}`);
      if (isMembershipLost(error)) running.recovery.membershipLost(error as Error);
      else if (isRebalanceInProgress(error)) this.onCommitRefusedForRebalance(running);
      return;
    }
    try {
      await this.checkpoint(running, reason === 'close');
      await running.standbys?.checkpoint();
    } catch (error) {
      this.options.logger.warn(`${this.options.applicationId}: writing checkpoints (${reason}) failed: ${(error as Error).message}`);
    }
  }

  /**
   * The last step of the commit sequence (design section 5): each running task with
   * persistent stores records, in its `.checkpoint`, the changelog end offsets read now (the
   * commit flushed every changelog write before it, and a store is written before its
   * changelog). At-least-once after every commit; exactly-once only on a clean close, for
   * tasks with nothing uncommitted, since the checkpoint is deleted while a task processes.
   */
  private async checkpoint(running: Running, closing: boolean): Promise<void> {
    if (!this.stateDirectory) return;
    const transactions = running.transactions;
    if (transactions && !closing) return;
    const due: TaskStateDirectory[] = [];
    for (const task of running.tasks.tasks()) {
      const state = this.taskStates.get(task.task);
      if (!state || task.state !== 'running' || task.task.failed) continue;
      if (transactions && !transactions.isCommitted(task)) continue;
      due.push(state);
    }
    const topics = [...new Set(due.flatMap((state) => state.changelogs().map((c) => c.topic)))];
    const ends = new Map(topics.length === 0 ? [] : (await running.admin.offsets(topics)).map((o) => [partitionKey(o.topic, o.partition), o.high]));
    await Promise.all(
      due.map((state) => {
        const offsets = state.changelogs().map((c) => ({ ...c, offset: ends.get(partitionKey(c.topic, c.partition)) }));
        if (offsets.some((o) => o.offset === undefined)) return undefined;
        return state.writeCheckpoint(offsets as { topic: string; partition: number; offset: number }[]);
      }),
    );
  }

  /**
   * Locks `<stateDir>/<applicationId>/` when a store is persistent (a `stateDir` is set, or a
   * store's type is `'lmdb'`), and loads the persistent store implementation.
   */
  private async openStateDirectory(): Promise<StateDirectory | undefined> {
    const { stateDir, applicationId, logger } = this.options;
    const persistent = this.topology.subTopologies
      .flatMap((sub) => sub.stores)
      .filter((spec) => spec.persistable && (spec.type === 'lmdb' || (spec.type === undefined && stateDir !== undefined)));
    if (persistent.length === 0) return undefined;
    const factory = this.options.persistentStores ?? (await loadPersistentStores(persistent.map((s) => s.name)));
    return new StateDirectory({
      stateDir: stateDir ?? join(tmpdir(), 'tributary-streams'),
      applicationId,
      factory,
      persistentByDefault: stateDir !== undefined,
      exactlyOnce: this.options.processingGuarantee === 'exactly_once',
      logger,
    });
  }

  private async commitWithin(reason: string, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.commit(reason), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Committed offsets (for lag before this instance commits) and log-end offsets of the owned partitions. */
  private async refreshOffsets(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const owned = running.tasks.ownedPartitions();
    const topics = [...new Set(owned.map((q) => q.topic))];
    try {
      const [committed, offsets] = await Promise.all([running.admin.committedOffsets(this.options.applicationId, topics), running.admin.offsets(topics)]);
      running.committer.seed(committed.filter((o) => running.tasks.owns(o.topic, o.partition)));
      for (const { topic, partition, low, high } of offsets) {
        this.logStart.set(partitionKey(topic, partition), low);
        const route = running.tasks.route(topic, partition);
        if (route && (route.queue.highWatermark === undefined || high > route.queue.highWatermark)) route.queue.highWatermark = high;
      }
    } catch (error) {
      this.options.logger.debug(`${this.options.applicationId}: offset lookup failed: ${(error as Error).message}`);
    }
  }

  private async emitMetrics(): Promise<void> {
    await this.refreshOffsets();
    if (this.stopped) return;
    this.subject.next({ type: 'metrics', metrics: this.metrics() });
  }

  /** Deletes repartition records before the committed offsets: they will never be read again (Kafka Streams purges the same way). */
  private async purgeRepartitionTopics(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const offsets = running.tasks
      .ownedPartitions()
      .filter((q) => running.repartitionTopics.has(q.topic))
      .map((q) => ({ topic: q.topic, partition: q.partition, offset: running.committer.committedOffset(q.topic, q.partition) ?? 0 }))
      .filter((o) => o.offset > (this.purged.get(partitionKey(o.topic, o.partition)) ?? 0));
    if (offsets.length === 0) return;
    try {
      await running.admin.deleteRecordsBefore(offsets);
      for (const o of offsets) this.purged.set(partitionKey(o.topic, o.partition), o.offset);
    } catch (error) {
      this.options.logger.debug(`${this.options.applicationId}: purging repartition topics failed: ${(error as Error).message}`);
    }
  }

  /**
   * Before a clean close with cooperative rebalancing: the group moves this instance's tasks
   * to the others while they still run here, each handed over once committed, so they stop
   * only for that commit rather than for the rebalance the instance's leaving would start.
   * Waits at most `timeoutMs` (the close's), then leaves anyway.
   */
  private async handOverTasks(timeoutMs: number): Promise<void> {
    const running = this.running;
    if (!running?.consumer.handOver || this.stopped || this.failure || running.transactions || running.tasks.size === 0) return;
    running.assignor.leave();
    await within(running.consumer.handOver(), timeoutMs);
  }

  /** This instance stops (the uncaught-exception handler's `shutdown_client`): without committing the failed record, ending in ERROR. */
  private fail(error: unknown): void {
    if (this.failure || this.stopped) return;
    const failure = error instanceof Error ? error : new Error(String(error));
    this.failure = failure;
    this.options.logger.error(`${this.options.applicationId}: stopping after a failure: ${failure.message}`);
    this.subject.next({ type: 'error', error: failure });
    void this.shutDownOnce(failure, 0);
  }

  private shutDownOnce(error: Error | undefined, idleTimeoutMs: number): Promise<void> {
    return (this.shutdown ??= this.shutDown(error, idleTimeoutMs));
  }

  /**
   * Stops everything in order: no more fetching or processing; records in asynchronous
   * stages may finish (up to `idleTimeoutMs`); the producer is flushed; what is safe is
   * committed (the tracker never calls a failed record safe); the member leaves the group.
   */
  private async shutDown(error: Error | undefined, idleTimeoutMs = 0): Promise<void> {
    if (!error) await this.handOverTasks(idleTimeoutMs);
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.restoreAbort.abort();
    const running = this.running;
    if (running) {
      running.loop.stop();
      running.consumer.leaving?.();
      if (idleTimeoutMs > 0 && !running.transactions) await within(this.tracker.whenIdle(), idleTimeoutMs);
      await within(running.collector.flush(), this.options.deliveryTimeoutMs);
      // Exactly-once: each task commits at its next consistent point, a failed task's transaction is aborted.
      await within(this.commit(error ? 'error' : 'close'), Math.max(REVOCATION_COMMIT_TIMEOUT_MS, idleTimeoutMs));
      await running.transactions?.releaseAll();
      running.collector.close();
      await running.consumer.disconnect().catch((e: unknown) => this.options.logger.warn(`leaving the group failed: ${(e as Error).message}`));
      running.tasks.closeAll();
      await running.standbys?.close().catch((e: unknown) => this.options.logger.warn(`closing the standby tasks failed: ${(e as Error).message}`));
      await running.producer?.disconnect().catch(() => undefined);
      await running.admin.disconnect().catch(() => undefined);
    }
    await this.global?.stop().catch(() => undefined);
    // Every task is closed (its store files too): the next instance may take the directory.
    this.stateDirectory?.release();
    this.removeSignalHandlers?.();
    // A failure ends in ERROR, unless close() had begun (then NOT_RUNNING, as close() promised).
    const failed = error !== undefined && this.machine.transition('ERROR');
    if (!failed) this.machine.transition('NOT_RUNNING');
    // The server goes on reporting the failure until close(), without keeping the process alive.
    if (failed) this.http?.unref();
    // An application that owns the process (it handles its signals) must not let a failure end
    // it with exit code 0: nothing keeps the event loop alive after ERROR, and a supervisor
    // would take the exit for success.
    if (failed && this.options.handleSignals && !process.exitCode) {
      process.exitCode = 1;
      this.options.logger.error(`${this.options.applicationId}: stopped in ERROR; the process will exit with code 1`);
    }
    this.subject.complete();
  }

  private every(ms: number, action: () => void): void {
    const timer = setInterval(action, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

/** Waits for `promise`, at most `ms`; never rejects. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Exactly-once tasks write through their own producers; the shared collector is never used then. */
const noProducer = {
  send: () => Promise.reject(new StreamsError('no shared producer under exactly-once: tasks write through their own transactional producers')),
};
