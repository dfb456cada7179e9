import { merge, Subject, type Observable } from 'rxjs';
import { DeserializationError, ProcessingError, ProductionError, RecordTooLargeError, SerializationError, StreamsError, TaskFailedError, type RecordOrigin } from '../errors';
import type { AnyRecord, GraphNode, SinkNode, SourceNode } from '../graph/GraphNode';
import type { SubTopology } from '../graph/Topology';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { ChangelogCache } from '../state/ChangelogCache';
import type { RestorableStore, StateStore, StoreChangeLogger, StoreSpec } from '../state/StateStore';
import { CommitTracker, type InFlightRecord, type RecordHold } from './CommitTracker';
import { deadLetterHeaders, ErrorHandlers, shrinkDeadLetter, type ErrorContext, type ErrorHandler } from './ErrorHandler';
import type { InputRecord } from './InputRecord';
import { consoleLogger, type Logger } from './Logger';
import type { Cancellable, ProcessorNodeContext, PunctuationType } from './ProcessorNodeContext';
import { PunctuationQueue } from './PunctuationQueue';
import { readOnlyGlobalStore } from '../state/readOnlyStore';
import type { OutgoingRecord, RecordCollector } from './RecordCollector';
import { TaskMetrics } from './TaskMetrics';
import { sinkPartition } from './sinkPartition';

export interface TaskOptions {
  applicationId: string;
  /** Where sinks, changelogs and dead letters go. */
  collector: RecordCollector;
  /** Shared by the tasks of one application so commits see every partition. Defaults to a new one. */
  tracker?: CommitTracker;
  /** Defaults to warnings and errors on stderr. */
  logger?: Logger;
  /** Defaults to {@link ErrorHandlers.logAndFail}. */
  deserializationErrorHandler?: ErrorHandler;
  /** Defaults to {@link ErrorHandlers.logAndFail}. */
  processingErrorHandler?: ErrorHandler;
  /**
   * For output records that cannot be written: a key or value the sink's serde refuses (a
   * {@link SerializationError}, e.g. a value outside the serde's schema) or a record the
   * collector refuses for its size ({@link RecordTooLargeError}); the records sent with them
   * are unaffected. Changelog records always fail the task. Defaults to {@link ErrorHandlers.logAndFail}.
   */
  productionErrorHandler?: ErrorHandler;
  /** For user topics whose key serde was not declared. Defaults to `Serdes.string()`. */
  defaultKeySerde?: Serde<unknown>;
  /** For user topics whose value serde was not declared. Defaults to `Serdes.json()`. */
  defaultValueSerde?: Serde<unknown>;
  /** Defaults to `Date.now`. */
  wallClock?: () => number;
  /** Stores owned outside the task (global tables), readable by its processors. */
  sharedStores?: ReadonlyMap<string, StateStore>;
  /**
   * Creates a store in place of `spec.create` (a runtime that keeps stores on disk);
   * `undefined` falls back to `spec.create`. Defaults to `spec.create` for every store.
   */
  createStore?: (spec: StoreSpec, logger: StoreChangeLogger | undefined) => RestorableStore | undefined;
  /** Replaces the changelog writer (by default changelog records go through the collector). */
  changelogLogger?: (spec: StoreSpec, task: Task) => StoreChangeLogger | undefined;
  /** Called once when the task fails outside `process()` (an asynchronous stage, a failed send). */
  onFailure?: (error: Error) => void;
  /**
   * Record caches (Kafka Streams' `statestore.cache.max.bytes`, counted in records): each
   * aggregation holds back up to this many updated keys and, at each commit
   * ({@link Task.flushCaches}), writes their changelog records and forwards their latest
   * values once per key. Defaults to `0`: every update is logged and forwarded.
   */
  cacheMaxRecords?: number;
  /**
   * The runtime calls {@link Task.flushCaches} before choosing each commit's offsets (as
   * KafkaStreams does): stores with `caching` then hold their changelog writes until it.
   * Defaults to `false` (every write is logged at once).
   */
  flushesAtCommits?: boolean;
}

/** What a record sent through {@link Task.send} is: it decides what happens when the collector refuses it. */
export type OutputKind = 'output' | 'changelog' | 'dead-letter';

interface SourceRoute {
  readonly node: SourceNode;
  readonly subject: Subject<AnyRecord>;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
}

/** Keys a store with `caching` holds back at most, unless `cacheMaxRecords` says otherwise. */
const DEFAULT_CHANGELOG_CACHE_RECORDS = 10_000;

/** Internal topics (repartition, changelog) default to JSON keys and values. */
const internalSerde = Serdes.json();
/** Made once: sinks fall back to it per record. */
const stringSerde = Serdes.string();

/**
 * Runs one sub-topology for one partition: turns the graph into RxJS pipelines fed by a
 * `Subject` per source topic, owns the stores and stream time, and reports through the
 * {@link CommitTracker} which input offsets are complete. Processing is synchronous
 * except in asynchronous stages, whose records stay open until they finish.
 */
export class Task {
  readonly id: string;
  readonly metrics = new TaskMetrics();
  private readonly routes = new Map<string, SourceRoute>();
  private readonly stores = new Map<string, RestorableStore>();
  private readonly streamPunctuation = new PunctuationQueue();
  private readonly wallClockPunctuation = new PunctuationQueue();
  private readonly scratch = new Map<string, unknown>();
  /** What caching operators do at each commit. */
  private readonly commitFlushes: (() => void)[] = [];
  private readonly tracker: CommitTracker;
  private readonly logger: Logger;
  private readonly collector: RecordCollector;
  private readonly onDeserializationError: ErrorHandler;
  private readonly onProcessingError: ErrorHandler;
  private readonly onProductionError: ErrorHandler;
  private readonly wallClock: () => number;
  private streamTimeMs = Number.NEGATIVE_INFINITY;
  private current: InFlightRecord | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    readonly subTopology: SubTopology,
    readonly partition: number,
    private readonly options: TaskOptions,
  ) {
    this.id = `${subTopology.id}_${partition}`;
    this.tracker = options.tracker ?? new CommitTracker();
    this.logger = options.logger ?? consoleLogger();
    this.collector = options.collector;
    this.onDeserializationError = options.deserializationErrorHandler ?? ErrorHandlers.logAndFail();
    this.onProcessingError = options.processingErrorHandler ?? ErrorHandlers.logAndFail();
    this.onProductionError = options.productionErrorHandler ?? ErrorHandlers.logAndFail();
    this.wallClock = options.wallClock ?? Date.now;
    for (const spec of subTopology.stores) {
      const logger = spec.logging ? (options.changelogLogger ? options.changelogLogger(spec, this) : this.changelogWriter(spec)) : undefined;
      this.stores.set(spec.name, options.createStore?.(spec, logger) ?? spec.create(logger));
    }
    this.buildPipelines();
  }

  get applicationId(): string {
    return this.options.applicationId;
  }

  /** The topic name on the broker: internal topics carry the application id. */
  resolveTopic(name: string, internal: boolean): string {
    return internal ? `${this.options.applicationId}-${name}` : name;
  }

  /** Source topics as the broker names them. */
  inputTopics(): string[] {
    return [...this.routes.keys()];
  }

  /**
   * Lets the source serdes of `topic` fetch what fetched records refer to before they are
   * processed (`Serde.prepareDeserialize`: a Schema Registry serde fetches schema ids it has not
   * seen), since `process()` is synchronous. A runtime awaits the promise, when there is one,
   * before queueing the records; `undefined` (the usual case) means nothing to wait for.
   */
  prepareInput(topic: string, records: readonly InputRecord[]): Promise<void> | undefined {
    const route = this.routes.get(topic);
    const keySerde = route?.keySerde.prepareDeserialize ? route.keySerde : undefined;
    const valueSerde = route?.valueSerde.prepareDeserialize ? route.valueSerde : undefined;
    if (!keySerde && !valueSerde) return undefined;
    let pending: Promise<void>[] | undefined;
    for (const record of records) {
      const key = keySerde?.prepareDeserialize!(topic, record.key, record.headers);
      const value = valueSerde?.prepareDeserialize!(topic, record.value, record.headers);
      if (key) (pending ??= []).push(key);
      if (value) (pending ??= []).push(value);
    }
    // Settled, not fulfilled: a failed fetch is reported by deserialize, with the record.
    return pending && Promise.allSettled(pending).then(() => undefined);
  }

  streamTime(): number {
    return this.streamTimeMs;
  }

  /**
   * Processes one record of one of the task's input partitions, synchronously up to any
   * asynchronous stage. Throws {@link TaskFailedError} when an error handler chose to fail.
   */
  process(input: InputRecord): void {
    this.throwIfFailed();
    const route = this.routes.get(input.topic);
    if (!route) throw new StreamsError(`task ${this.id} does not read topic '${input.topic}' (it reads ${this.inputTopics().join(', ')})`);
    const hold = this.tracker.begin(input.topic, input.partition, input.offset, input);
    this.current = hold.record;
    try {
      this.metrics.consumed++;
      let key: unknown;
      let value: unknown;
      try {
        key = route.keySerde.deserialize(input.topic, input.key, input.headers);
        value = route.valueSerde.deserialize(input.topic, input.value, input.headers);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        this.handleError(new DeserializationError(detail, input, error), { kind: 'deserialization', topic: input.topic, partition: input.partition, offset: input.offset });
        this.throwIfFailed(); // logAndFail: the caller must see the failure now
        return;
      }
      let record: AnyRecord = {
        key,
        value,
        timestamp: input.timestamp,
        headers: input.headers,
        topic: input.topic,
        partition: input.partition,
        offset: input.offset,
      };
      const extractor = route.node.timestampExtractor;
      if (extractor) {
        let timestamp: number;
        try {
          timestamp = extractor(record);
        } catch (error) {
          this.reportError(error, record, route.node.name);
          this.throwIfFailed();
          return;
        }
        record = { ...record, timestamp };
      }
      if (!(record.timestamp >= 0)) {
        this.recordDropped('invalid-timestamp', record, route.node.name);
        return;
      }
      if (record.timestamp > this.streamTimeMs) this.streamTimeMs = record.timestamp;
      route.subject.next(record);
    } finally {
      this.current = undefined;
      hold.release();
    }
    this.metrics.processed++;
    if (this.streamPunctuation.size > 0) this.punctuate(this.streamPunctuation, this.streamTimeMs);
    this.throwIfFailed();
  }

  /** Fires wall-clock punctuators that are due at `now`. */
  punctuateWallClock(now = this.wallClock()): void {
    this.throwIfFailed();
    if (this.wallClockPunctuation.size > 0) this.punctuate(this.wallClockPunctuation, now);
    this.throwIfFailed();
  }

  /** A store of this task (or a shared global store), for restoration and interactive queries. */
  getStore<S extends StateStore = StateStore>(name: string): S | undefined {
    return (this.stores.get(name) ?? this.options.sharedStores?.get(name)) as S | undefined;
  }

  /** The stores this task owns, with their specs. */
  ownStores(): { spec: StoreSpec; store: RestorableStore }[] {
    return this.subTopology.stores.map((spec) => ({ spec, store: this.stores.get(spec.name)! }));
  }

  /** Applies one changelog record to a store during restoration, without logging it again. */
  restore(storeName: string, key: Buffer | null, value: Buffer | null, timestamp: number): void {
    const spec = this.subTopology.stores.find((s) => s.name === storeName);
    const store = this.stores.get(storeName);
    if (!spec || !store) throw new StreamsError(`task ${this.id} has no store '${storeName}'`);
    const changelog = this.changelogTopic(spec);
    const k = (spec.keySerde ?? internalSerde).deserialize(changelog, key);
    if (spec.valueSerde && store.restoreSerialized) return store.restoreSerialized(k, value, timestamp);
    const v = value === null ? null : (spec.valueSerde ?? internalSerde).deserialize(changelog, value);
    store.restore(k, v, timestamp);
  }

  changelogTopic(spec: StoreSpec): string {
    return this.resolveTopic(`${spec.name}-changelog`, true);
  }

  /**
   * The first step of a commit with record caches: every caching operator writes the
   * changelog records and forwards the values it held back, so that the offsets chosen next
   * cover nothing that lives only in a cache. Synchronous; the caller picks the offsets right
   * after it, before awaiting anything. A no-op without caches.
   */
  flushCaches(): void {
    if (this.closed || this.failure) return;
    for (const flush of this.commitFlushes) {
      try {
        flush();
      } catch (error) {
        this.fail(asError(error));
        return;
      }
    }
  }

  /**
   * Carries a stream time over from an earlier owner of the task (a runtime keeps it with the
   * committed offsets, as Kafka Streams does): stream time never goes back because the task moved.
   */
  resumeStreamTime(ms: number): void {
    if (ms > this.streamTimeMs) this.streamTimeMs = ms;
  }

  /** Whether some operator of this task holds updates back until commits (`cacheMaxRecords`). */
  get caching(): boolean {
    return this.commitFlushes.length > 0;
  }

  /** Resolves when no record of this task's tracker is in flight (asynchronous stages, unacknowledged sends). */
  whenIdle(): Promise<void> {
    return this.tracker.whenIdle();
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const route of this.routes.values()) route.subject.complete();
    for (const store of this.stores.values()) store.close();
  }

  private buildPipelines(): void {
    const outputs = new Map<GraphNode, Observable<AnyRecord>>();
    for (const node of this.subTopology.nodes) {
      let output: Observable<AnyRecord>;
      if (node.kind === 'source') {
        const subject = new Subject<AnyRecord>();
        const route: SourceRoute = { node, subject, keySerde: this.keySerdeOf(node), valueSerde: this.valueSerdeOf(node) };
        for (const topic of node.topics) this.routes.set(this.resolveTopic(topic, node.internal), route);
        output = subject;
      } else {
        const inputs = node.parents.map((p) => outputs.get(p)!);
        const input = inputs.length === 1 ? inputs[0]! : merge(...inputs);
        if (node.kind === 'sink') {
          input.subscribe({ next: (record) => this.sinkTo(node, record), error: (e) => this.fail(asError(e)) });
          continue;
        }
        output = node.operator(this.contextFor(node.name))(input);
      }
      if (node.children.length > 1) {
        // Several children read this node: multicast it through one subscription.
        const subject = new Subject<AnyRecord>();
        output.subscribe({ next: (r) => subject.next(r), error: (e) => this.fail(asError(e)) });
        output = subject;
      } else if (node.children.length === 0 && node.kind === 'processor') {
        output.subscribe({ error: (e) => this.fail(asError(e)) });
      }
      outputs.set(node, output);
    }
  }

  private contextFor(nodeName: string): ProcessorNodeContext {
    const task = this;
    return {
      nodeName,
      taskId: this.id,
      partition: this.partition,
      applicationId: this.options.applicationId,
      logger: this.logger,
      streamTime: () => task.streamTimeMs,
      currentSystemTimeMs: () => task.wallClock(),
      getStateStore: <S extends StateStore>(name: string): S => {
        const own = task.stores.get(name);
        if (own) return own as unknown as S;
        // A global store, owned by the global task: its processors may only read it.
        const shared = task.options.sharedStores?.get(name);
        if (shared) return readOnlyGlobalStore(shared) as S;
        throw new StreamsError(`processor ${nodeName} asked for store '${name}', which is not connected to it; add it to the processor's stores`);
      },
      schedule: (intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void): Cancellable =>
        type === 'stream-time'
          ? task.streamPunctuation.schedule(task.streamTimeMs, intervalMs, punctuator, 0) // aligned to 0, as Kafka Streams
          : task.wallClockPunctuation.schedule(task.wallClock(), intervalMs, punctuator),
      reportError: (error, record) => task.reportError(error, record, nodeName),
      recordDropped: (reason, record) => task.recordDropped(reason, record, nodeName),
      hold: () => (task.current ? task.tracker.hold(task.current) : undefined),
      resume: (hold: RecordHold | undefined, work: () => void) => {
        const previous = task.current;
        task.current = hold?.record;
        try {
          work();
        } catch (error) {
          task.fail(asError(error));
        } finally {
          task.current = previous;
        }
      },
      shared: <T>(key: string, create: () => T): T => {
        if (!task.scratch.has(key)) task.scratch.set(key, create());
        return task.scratch.get(key) as T;
      },
      cacheMaxRecords: this.options.cacheMaxRecords ?? 0,
      onCommit: (flush: () => void) => task.commitFlushes.push(flush),
    };
  }

  private sinkTo(node: SinkNode, record: AnyRecord): void {
    let topic: string;
    try {
      topic = typeof node.topic === 'string' ? node.topic : node.topic(record.key, record.value, record);
      if (!topic || typeof topic !== 'string') throw new TypeError(`the topic extractor returned ${String(topic)}`);
    } catch (error) {
      this.reportError(error, record, node.name);
      return;
    }
    topic = this.resolveTopic(topic, node.internal);
    const serialized = this.serializeOutput(node, topic, record);
    if (!serialized) return;
    const { key, value } = serialized;
    let partition: number | undefined;
    try {
      partition = sinkPartition(node, topic, record, this.collector.partitionsFor(topic), this.options.defaultKeySerde);
    } catch (error) {
      this.reportError(error, record, node.name);
      return;
    }
    this.send({ topic, key, value, timestamp: record.timestamp, headers: record.headers, partition });
  }

  /**
   * The key and value of a sink's record as bytes. A part its serde refuses (a value outside
   * its schema, say) is a production error, as in Kafka Streams' `handleSerializationException`:
   * nothing is sent, and the production error handler fails the task, skips the output or
   * dead-letters the input record.
   */
  private serializeOutput(node: SinkNode, topic: string, record: AnyRecord): { key: Buffer | null; value: Buffer | null } | undefined {
    let part: 'key' | 'value' = 'key';
    let serde = this.keySerdeOf(node);
    try {
      const key = serde.serialize(topic, record.key, record.headers);
      part = 'value';
      serde = this.valueSerdeOf(node);
      const value = serde.serialize(topic, record.value, record.headers);
      return { key, value };
    } catch (error) {
      const declared = part === 'key' ? node.keySerde : node.valueSerde;
      const hint = declared || node.internal ? undefined : 'declare a serde on the sink';
      const origin = this.originOf(record);
      const refused = new SerializationError(topic, part, serde.name, error, hint);
      this.handleError(new ProductionError(topic, origin, refused), { kind: 'production', ...origin, processor: node.name });
      return undefined;
    }
  }

  /**
   * Sends each write of a logged store to its changelog topic. A key or value the store's serde
   * refuses fails the task whatever the production error handler says: the store holds the write
   * already, and a write missing from the changelog would be lost on restore.
   */
  private changelogWriter(spec: StoreSpec): StoreChangeLogger {
    const writer = this.serializingChangelogWriter(spec);
    if (!spec.caching || !this.options.flushesAtCommits) return writer;
    const cache = new ChangelogCache(writer, this.options.cacheMaxRecords || DEFAULT_CHANGELOG_CACHE_RECORDS);
    this.commitFlushes.push(() => cache.flush());
    return cache;
  }

  /** Serializes each write of a logged store and sends it to its changelog (see {@link changelogWriter}). */
  private serializingChangelogWriter(spec: StoreSpec): StoreChangeLogger {
    const topic = this.changelogTopic(spec);
    const keySerde = spec.keySerde ?? internalSerde;
    const valueSerde = spec.valueSerde ?? internalSerde;
    return {
      log: (key, value, timestamp) => {
        let part: 'key' | 'value' = 'key';
        let serialized: { key: Buffer | null; value: Buffer | null };
        try {
          const keyBytes = keySerde.serialize(topic, key);
          part = 'value';
          serialized = { key: keyBytes, value: value === null || value === undefined ? null : valueSerde.serialize(topic, value) };
        } catch (error) {
          const refused = new SerializationError(topic, part, (part === 'key' ? keySerde : valueSerde).name, error);
          this.fail(
            this.current
              ? new ProductionError(topic, { topic: this.current.topic, partition: this.current.partition, offset: this.current.offset }, refused)
              : new StreamsError(`task ${this.id} cannot write to topic '${topic}' outside of a record: ${refused.message}`, { cause: refused }),
          );
          // Stops the processor that wrote the store: nothing more comes of this record.
          throw this.failure!;
        }
        this.send({ topic, ...serialized, timestamp, headers: {}, partition: this.partition }, 'changelog');
      },
    };
  }

  /** The input record being processed (the one a dead letter would carry), else where `record` says it came from. */
  private originOf(record: { topic: string; partition: number; offset: number }): RecordOrigin {
    const input = this.current?.input as InputRecord | undefined;
    const from = input ?? record;
    return { topic: from.topic, partition: from.partition, offset: from.offset };
  }

  /** A source's or sink's key serde: the declared one, else JSON on internal topics, else the application's default. */
  private keySerdeOf(node: SourceNode | SinkNode): Serde<unknown> {
    return node.keySerde ?? (node.internal ? internalSerde : this.options.defaultKeySerde ?? stringSerde);
  }

  /** A source's or sink's value serde: the declared one, else JSON on internal topics, else the application's default. */
  private valueSerdeOf(node: SourceNode | SinkNode): Serde<unknown> {
    return node.valueSerde ?? (node.internal ? internalSerde : this.options.defaultValueSerde ?? internalSerde);
  }

  /** Hands a serialized record to the collector and keeps the current input record open until it is acknowledged. */
  send(record: OutgoingRecord, kind: OutputKind = 'output'): void {
    let ack: void | PromiseLike<void>;
    try {
      ack = this.collector.send(record);
    } catch (error) {
      if (error instanceof RecordTooLargeError) this.tooLarge(record, kind, error);
      else this.fail(new StreamsError(`task ${this.id} could not send to topic '${record.topic}': ${asError(error).message}`, { cause: error }));
      return;
    }
    if (ack && typeof ack.then === 'function') {
      const hold = this.current ? this.tracker.hold(this.current) : undefined;
      this.metrics.pendingSends++;
      ack.then(
        () => {
          this.metrics.pendingSends--;
          hold?.release();
        },
        (error: unknown) => {
          this.metrics.pendingSends--;
          // A closed task's unsent records were dropped on purpose (its partitions moved, or its
          // transaction is aborted): the next owner processes them again. Nothing failed.
          if (this.closed) return;
          if (error instanceof RecordTooLargeError) {
            // Refused alone, once the topic's limit was known: handled as if refused at once.
            this.resumeWith(hold, () => this.tooLarge(record, kind, error));
            return;
          }
          // The hold is never released: the record's offset must not be committed.
          this.fail(new StreamsError(`task ${this.id} failed to write to topic '${record.topic}': ${asError(error).message}`, { cause: error, retriable: true }));
        },
      );
    }
  }

  private reportError(error: unknown, record: AnyRecord, processor: string): void {
    if (error === this.failure) return; // the task failed while the processor ran (a changelog write): handled already
    const origin = { topic: record.topic, partition: record.partition, offset: record.offset };
    const wrapped = error instanceof ProcessingError || error instanceof DeserializationError ? error : new ProcessingError(processor, origin, error);
    this.handleError(wrapped, { kind: 'processing', ...origin, processor });
  }

  /**
   * The production error path for a record the collector refused for its size: a dead letter
   * is sent again smaller; a changelog record fails the task (a store write cannot be skipped);
   * an output goes to the production error handler.
   */
  private tooLarge(record: OutgoingRecord, kind: OutputKind, error: RecordTooLargeError): void {
    const input = this.current;
    if (kind === 'dead-letter') {
      const of = input ? `the record at topic '${input.topic}' partition ${input.partition} offset ${input.offset}` : 'a record';
      const smaller = shrinkDeadLetter(record, error.sizeBytes - error.limitBytes);
      if (smaller) {
        this.logger.warn(`the dead letter of ${of} is cut to fit: ${error.message}`);
        this.send(smaller, 'dead-letter');
      } else {
        this.fail(new StreamsError(`the dead letter of ${of} does not fit even without its key, value and headers: ${error.message}`, { cause: error }));
      }
      return;
    }
    if (!input) {
      this.fail(new StreamsError(`task ${this.id} cannot write to topic '${record.topic}' outside of a record: ${error.message}`, { cause: error }));
      return;
    }
    const origin = { topic: input.topic, partition: input.partition, offset: input.offset };
    const production = new ProductionError(record.topic, origin, error);
    if (kind === 'changelog') this.fail(production);
    else this.handleError(production, { kind: 'production', ...origin });
  }

  /** Runs `work` for the record `hold` keeps open (as if it were being processed), then releases the hold. */
  private resumeWith(hold: RecordHold | undefined, work: () => void): void {
    const previous = this.current;
    this.current = hold?.record;
    try {
      work();
    } finally {
      this.current = previous;
      hold?.release();
    }
  }

  private handleError(error: Error, context: ErrorContext): void {
    const handler = context.kind === 'deserialization' ? this.onDeserializationError : context.kind === 'processing' ? this.onProcessingError : this.onProductionError;
    let response;
    try {
      response = handler(error, context);
    } catch (handlerError) {
      this.fail(new StreamsError(`the ${context.kind} error handler threw: ${asError(handlerError).message}`, { cause: error }));
      return;
    }
    if (response === 'fail') {
      this.fail(error);
    } else if (response === 'continue') {
      this.metrics.skipped(`${context.kind}-error`);
      this.logger.warn(`${error.message} (skipped by the ${context.kind} error handler)`);
    } else {
      const input = this.current?.input as InputRecord | undefined;
      if (!input) {
        this.fail(new StreamsError(`cannot dead-letter outside of a record: ${error.message}`, { cause: error }));
        return;
      }
      this.metrics.skipped('dead-letter');
      this.logger.warn(`${error.message} (sent to dead-letter topic '${response.deadLetterTopic}')`);
      this.send({
        topic: response.deadLetterTopic,
        key: input.key,
        value: input.value,
        timestamp: input.timestamp,
        headers: deadLetterHeaders(error, context, input.headers),
        partition: undefined,
      }, 'dead-letter');
    }
  }

  private recordDropped(reason: string, record: AnyRecord, processor: string): void {
    this.metrics.skipped(reason);
    this.logger.debug(`${processor} dropped the record at topic '${record.topic}' partition ${record.partition} offset ${record.offset}: ${reason}`);
  }

  private punctuate(queue: PunctuationQueue, now: number): void {
    try {
      if (queue.mayPunctuate(now)) this.metrics.punctuations++;
    } catch (error) {
      this.fail(new StreamsError(`a punctuator of task ${this.id} threw: ${asError(error).message}`, { cause: error }));
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error instanceof TaskFailedError ? error : new TaskFailedError(`task ${this.id} failed: ${error.message}`, { cause: error });
    // Keep the failing record open for good: nothing at or after it is committed.
    if (this.current) this.tracker.hold(this.current);
    this.logger.error(this.failure.message);
    this.options.onFailure?.(this.failure);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
