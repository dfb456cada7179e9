import { defaultPartition, type InputRecord } from '@tributary/core/runtime';
import type {
  ChangelogRange,
  GroupConsumer,
  GroupAssignor,
  GroupConsumerHandlers,
  GroupConsumerOptions,
  GroupMember,
  NewTopic,
  ProducedRecord,
  StreamsClient,
  TopicPartition,
  TopicPartitionOffset,
} from '../../src/client/StreamsClient';

/**
 * An in-memory Kafka behind the {@link StreamsClient} seam, for unit tests of KafkaStreams
 * without a broker: topics with partitions, a group of one member whose assignment the test
 * changes, producer acknowledgements the test can hold back.
 */
export class FakeKafka implements StreamsClient {
  readonly logs = new Map<string, InputRecord[][]>();
  readonly configs = new Map<string, Readonly<Record<string, string>>>();
  /** The group's committed offsets, `topic-partition` -> offset. */
  readonly committed = new Map<string, number>();
  readonly commitLog: TopicPartitionOffset[][] = [];
  /** Sends waiting for `releaseAcks()` while `holdAcks` is set. */
  holdAcks = false;
  private heldAcks: (() => void)[] = [];
  failSends: Error | undefined;
  /** While set, restores wait for it (a slow changelog read). */
  restoreGate: Promise<void> | undefined;
  consumer: FakeGroupConsumer | undefined;
  readonly epochs = new Map<string, number>();
  transactionCommits = 0;
  /**
   * The user data of each assignment of the group member. Defaults to what the application's
   * assignor, as leader of a group of this one member, gives it (its map names the member for
   * every task): set it to place tasks at other instances' endpoints.
   */
  assignmentUserData: ((partitions: readonly TopicPartition[]) => Buffer) | undefined;
  /** Records written in transactions that were aborted. */
  aborted = 0;
  /** The partitions of the member's first assignment. Defaults to every partition of its topics. */
  initialAssignment: TopicPartition[] | undefined;
  /** Set by a test: the fake rebalances cooperatively (see `FakeGroupConsumer.reassign`). */
  cooperativeRebalancing = false;
  /** Set by a test: transactional offsets carry the member's generation (KIP-447), so one producer serves the instance. */
  transactionsWithGroupMetadata = false;
  /** The member each transactional offset commit carried. */
  readonly transactionMembers: (GroupMember | undefined)[] = [];
  /** While set, transactional offset commits are refused with it; the transaction stays open. */
  refuseTransactionOffsets: Error | undefined;

  createTopic(name: string, partitions: number, config: Record<string, string> = {}): void {
    this.logs.set(
      name,
      Array.from({ length: partitions }, () => []),
    );
    this.configs.set(name, config);
  }

  /** Appends a record as a producer would (murmur2 of the key, or partition 0). */
  append(topic: string, key: string | null, value: unknown, options: { partition?: number; timestamp?: number; raw?: Buffer } = {}): InputRecord {
    const log = this.logs.get(topic);
    if (!log) throw new Error(`no topic ${topic}`);
    const keyBytes = key === null ? null : Buffer.from(key);
    const partition = options.partition ?? (keyBytes ? defaultPartition(keyBytes, log.length) : 0);
    const records = log[partition]!;
    const record: InputRecord = {
      topic,
      partition,
      offset: records.length,
      key: keyBytes,
      value: options.raw ?? (value === null ? null : Buffer.from(JSON.stringify(value))),
      timestamp: options.timestamp ?? Date.now(),
      headers: {},
    };
    records.push(record);
    return record;
  }

  /** Every record of a topic, across partitions, key and value decoded as strings / JSON. */
  read(topic: string): { key: string | null; value: unknown; partition: number; offset: number }[] {
    return (this.logs.get(topic) ?? []).flatMap((records) =>
      records.map((r) => ({ key: r.key?.toString() ?? null, value: r.value === null ? null : JSON.parse(r.value.toString()), partition: r.partition, offset: r.offset })),
    );
  }

  releaseAcks(): void {
    for (const ack of this.heldAcks.splice(0)) ack();
  }

  admin() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      partitionCounts: async (topics: readonly string[]) => new Map(topics.filter((t) => this.logs.has(t)).map((t) => [t, this.logs.get(t)!.length])),
      maxMessageBytes: async (topics: readonly string[]) =>
        new Map(topics.filter((t) => this.logs.has(t)).map((t) => [t, Number(this.configs.get(t)?.['max.message.bytes'] ?? 1_048_588)])),
      createTopics: async (topics: readonly NewTopic[]) => {
        for (const t of topics) this.createTopic(t.name, t.partitions, { ...t.config });
      },
      offsets: async (topics: readonly string[]) =>
        topics.flatMap((topic) => (this.logs.get(topic) ?? []).map((records, partition) => ({ topic, partition, low: 0, high: records.length }))),
      committedOffsets: async (_groupId: string, topics: readonly string[]) =>
        topics.flatMap((topic) =>
          (this.logs.get(topic) ?? []).flatMap((_, partition) => {
            const offset = this.committed.get(`${topic}-${partition}`);
            return offset === undefined ? [] : [{ topic, partition, offset }];
          }),
        ),
      deleteRecordsBefore: async () => undefined,
    };
  }

  producer() {
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: (records: readonly ProducedRecord[]) =>
        new Promise<void>((resolve, reject) => {
          const write = () => {
            if (this.failSends) return reject(this.failSends);
            for (const r of records) {
              const log = this.logs.get(r.topic);
              if (!log) return reject(new Error(`UNKNOWN_TOPIC_OR_PARTITION ${r.topic}`));
              const partition = r.partition ?? (r.key ? defaultPartition(r.key, log.length) : 0);
              log[partition]!.push({ ...r, partition, offset: log[partition]!.length });
            }
            resolve();
          };
          if (this.holdAcks) this.heldAcks.push(write);
          else setImmediate(write);
        }),
    };
  }

  /** Transactions: writes and offsets stay invisible until commit (what read_committed readers see). */
  transactionalProducer(options: { transactionalId: string }) {
    let writes: ProducedRecord[] = [];
    const epoch = (this.epochs.get(options.transactionalId) ?? 0) + 1;
    const fenced = () => this.epochs.get(options.transactionalId) !== epoch;
    // What KafkaJS throws for a broker's PRODUCER_FENCED: a protocol error with a `type`.
    const fencedError = () => Object.assign(new Error('There is a newer producer with the same transactionalId which fences the current one'), { type: 'PRODUCER_FENCED' });
    return {
      connect: async () => {
        this.epochs.set(options.transactionalId, epoch);
      },
      disconnect: async () => undefined,
      send: async (records: readonly ProducedRecord[]) => {
        if (this.holdAcks) await new Promise<void>((resolve) => this.heldAcks.push(resolve));
        if (fenced()) throw fencedError();
        if (this.failSends) throw this.failSends;
        writes.push(...records);
      },
      commit: async (_groupId: string, offsets: readonly TopicPartitionOffset[], member?: GroupMember) => {
        if (writes.length === 0 && offsets.length === 0) return; // no transaction open: nothing to commit
        if (fenced()) throw fencedError();
        if (offsets.length > 0 && this.refuseTransactionOffsets) throw this.refuseTransactionOffsets;
        if (offsets.length > 0) this.transactionMembers.push(member);
        for (const r of writes) {
          const log = this.logs.get(r.topic)!;
          const partition = r.partition ?? (r.key ? defaultPartition(r.key, log.length) : 0);
          log[partition]!.push({ ...r, partition, offset: log[partition]!.length });
        }
        writes = [];
        if (offsets.length > 0) this.commitLog.push([...offsets]);
        for (const o of offsets) this.committed.set(`${o.topic}-${o.partition}`, o.offset);
        this.transactionCommits++;
      },
      abort: async () => {
        this.aborted += writes.length;
        writes = [];
      },
    };
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    this.consumer = new FakeGroupConsumer(this, options.assignor);
    return this.consumer;
  }

  changelogReader() {
    return {
      read: async (ranges: readonly ChangelogRange[], onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void) => {
        await this.restoreGate;
        for (const range of ranges) {
          const records = (this.logs.get(range.topic)?.[range.partition] ?? []).filter((r) => r.offset >= range.from && r.offset < range.to);
          for (let i = 0; i < records.length; i += 3) onRecords(range, records.slice(i, i + 3));
        }
      },
      follow: async (
        starts: readonly TopicPartitionOffset[],
        onRecords: (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number) => void,
        onError: (error: Error) => void,
      ) => {
        const positions = starts.map((s) => ({ ...s }));
        const timer = setInterval(() => {
          for (const p of positions) {
            const records = (this.logs.get(p.topic)?.[p.partition] ?? []).slice(p.offset);
            if (records.length === 0) continue;
            p.offset += records.length;
            try {
              onRecords(p, records, p.offset);
            } catch (error) {
              clearInterval(timer);
              onError(error as Error);
            }
          }
        }, 2);
        return { stop: async () => clearInterval(timer) };
      },
    };
  }
}

/** A group of one: gets every partition of its topics unless the test reassigns; fetches from the fake logs. */
export class FakeGroupConsumer implements GroupConsumer {
  handlers: GroupConsumerHandlers | undefined;
  readonly positions = new Map<string, number>();
  readonly paused = new Set<string>();
  readonly seeks: TopicPartitionOffset[] = [];
  assignment: TopicPartition[] = [];
  batches = 0;
  private topics: readonly string[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly kafka: FakeKafka,
    private readonly assignor: GroupAssignor,
  ) {}

  async connect(): Promise<void> {}

  async run(topics: readonly string[], handlers: GroupConsumerHandlers): Promise<void> {
    this.topics = topics;
    this.handlers = handlers;
    this.running = true;
    this.assign(this.kafka.initialAssignment ?? topics.flatMap((topic) => (this.kafka.logs.get(topic) ?? []).map((_, partition) => ({ topic, partition }))));
    this.loop = this.fetchLoop();
  }

  /** A new generation with `partitions` (after the runtime had its chance to commit); `lost`: the member rejoined as a new one. */
  async rebalance(partitions: readonly TopicPartition[], lost = false): Promise<void> {
    if (!lost) await this.handlers!.onRevoking();
    this.handlers!.onRebalancing();
    this.assign(partitions, lost);
  }

  /**
   * A cooperative rebalance: the partitions the new assignment leaves out are revoked first
   * (the runtime commits them), then the new assignment applies.
   */
  async reassign(partitions: readonly TopicPartition[]): Promise<void> {
    this.handlers!.onRebalancing();
    const kept = new Set(partitions.map((p) => `${p.topic}-${p.partition}`));
    const revoked = this.assignment.filter((p) => !kept.has(`${p.topic}-${p.partition}`));
    if (revoked.length > 0) await this.handlers!.onRevoked(revoked);
    this.assign(partitions);
  }

  generation = 0;

  member(): GroupMember {
    return { memberId: 'fake-member', generationId: this.generation };
  }

  /** A rejoin announced and then given up (the coordinator stayed away): fetching goes on with the old assignment. */
  abandonRejoin(): void {
    this.handlers!.onRebalancing();
    this.handlers!.onRejoinAbandoned();
  }

  /**
   * Moves this client's fetch position of a partition `n` records on without handing them
   * over: a client that lost track of where the runtime is (what the runtime must not follow).
   */
  skipAhead(topic: string, partition: number, n: number): void {
    const key = `${topic}-${partition}`;
    this.positions.set(key, (this.positions.get(key) ?? 0) + n);
  }

  rejoins = 0;
  /** While set, this member fetches nothing and hears of no assignment: it fell out of the group unawares. */
  outOfGroup = false;

  async rejoin(): Promise<void> {
    this.rejoins++;
    this.handlers!.onRebalancing();
    if (!this.outOfGroup) this.assign(this.assignment, true);
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.add(`${p.topic}-${p.partition}`);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(`${p.topic}-${p.partition}`);
  }

  seek(position: TopicPartitionOffset): void {
    this.seeks.push(position);
    this.positions.set(`${position.topic}-${position.partition}`, position.offset);
  }

  /** While set, the group refuses this member's commits with it (a member the group dropped). */
  refuseCommits: Error | undefined;

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.refuseCommits) throw this.refuseCommits;
    this.kafka.commitLog.push([...offsets]);
    for (const o of offsets) this.kafka.committed.set(`${o.topic}-${o.partition}`, o.offset);
  }

  async disconnect(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private assign(partitions: readonly TopicPartition[], lost = false): void {
    this.generation++;
    this.assignment = [...partitions];
    // Like KafkaJS after a join: every partition starts again from the committed offset.
    this.positions.clear();
    for (const p of partitions) this.positions.set(`${p.topic}-${p.partition}`, this.kafka.committed.get(`${p.topic}-${p.partition}`) ?? 0);
    this.handlers!.onAssigned(partitions, lost);
    const userData = this.kafka.assignmentUserData
      ? this.kafka.assignmentUserData(partitions)
      : this.assignor.assign([{ memberId: 'fake-member', topics: this.topics, userData: this.assignor.userData() }]).get('fake-member')!.userData;
    this.handlers!.onAssignmentUserData(userData);
  }

  private async fetchLoop(): Promise<void> {
    while (this.running) {
      let delivered = false;
      for (const { topic, partition } of this.assignment) {
        if (!this.running) break;
        const key = `${topic}-${partition}`;
        if (this.outOfGroup || this.paused.has(key) || !this.topics.includes(topic)) continue;
        const log = this.kafka.logs.get(topic)?.[partition] ?? [];
        const position = this.positions.get(key) ?? 0;
        if (position >= log.length) continue;
        const records = log.slice(position, position + 50);
        delivered = true;
        this.batches++;
        const batch = { topic, partition, fetchedOffset: position, nextOffset: position + records.length, highWatermark: log.length, records };
        const taken = await this.handlers!.onBatch(batch, { heartbeat: async () => undefined, isRunning: () => this.running });
        // Like KafkaJS without auto-resolve: the position moves only over a batch the runtime took (unless a seek moved it meanwhile).
        if (taken && this.positions.get(key) === position) this.positions.set(key, batch.nextOffset);
      }
      // One fetch response holds every partition's batch; the next fetch is I/O, so timers and acknowledgements get in between.
      if (delivered) await new Promise((r) => setImmediate(r));
      else await new Promise((r) => setTimeout(r, 2));
    }
  }
}
