import type { InputRecord, OutgoingRecord } from '@tributary/core/runtime';

/**
 * What the runtime needs from a Kafka client, and nothing more: an admin for topics and
 * offsets, a producer that resolves on acknowledgement, a consumer-group member that
 * hands over batches and tells about assignments, and a reader for changelog partitions.
 * `createKafkaJsClient` implements it on KafkaJS; another client (`@platformatic/kafka`,
 * `@confluentinc/kafka-javascript`) can implement it without touching the runtime.
 */
export interface StreamsClient {
  admin(): StreamsAdmin;
  producer(options: ProducerOptions): StreamsProducer;
  /** For exactly-once: a producer whose writes and offset commits are one transaction. */
  transactionalProducer(options: TransactionalProducerOptions): TransactionalProducer;
  groupConsumer(options: GroupConsumerOptions): GroupConsumer;
  changelogReader(options: ChangelogReaderOptions): ChangelogReader;
  /**
   * Whether its group consumer can rebalance cooperatively: fetch and hand over batches of
   * the partitions it keeps while the group rebalances, and call
   * {@link GroupConsumerHandlers.onRevoked} and rejoin when an assignment leaves partitions
   * out. Absent: no (eager rebalancing).
   */
  readonly cooperativeRebalancing?: boolean;
  /**
   * Whether its group consumer can join with the KIP-848 consumer group protocol
   * (`groupProtocol: 'consumer'`). Absent: no (classic groups only).
   */
  readonly consumerGroupProtocol?: boolean;
  /**
   * Whether its transactional producer commits offsets with the group member's generation
   * (KIP-447: the group coordinator refuses them from a member that is out of date), and its
   * admin reads committed offsets that no open transaction is about to change
   * (`requireStable`). Then one transactional producer serves every task of an instance
   * (Kafka Streams' `exactly_once_v2`). Absent: no (one producer per task).
   */
  readonly transactionsWithGroupMetadata?: boolean;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
  /** The commit's metadata string: the runtime keeps the task's stream time there (`streamTimeMetadata.ts`). */
  readonly metadata?: string | undefined;
}

/** The offsets a partition holds: `low` is the first, `high` the log-end offset (the next to be written). */
export interface PartitionOffsets extends TopicPartition {
  readonly low: number;
  readonly high: number;
}

export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  /** -1: the broker's `default.replication.factor`. */
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface StreamsAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Partition counts of those of `topics` that exist; missing topics are absent from the map. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /**
   * The largest record batch each of `topics` that exists accepts: its `max.message.bytes` (the
   * broker's `message.max.bytes` unless the topic sets its own). Missing topics are absent.
   */
  maxMessageBytes(topics: readonly string[]): Promise<Map<string, number>>;
  /** Creates the topics and resolves once every partition has a leader that serves it. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  /** Earliest and log-end offsets of every partition of `topics`. */
  offsets(topics: readonly string[]): Promise<PartitionOffsets[]>;
  /**
   * The group's committed offsets for `topics`; partitions without one are absent. With
   * `requireStable` (a client with `transactionsWithGroupMetadata`), an offset that an open
   * transaction has committed is waited for until that transaction ends (KIP-447).
   */
  committedOffsets(groupId: string, topics: readonly string[], options?: { readonly requireStable?: boolean }): Promise<TopicPartitionOffset[]>;
  /** Deletes records before `offset` (purging consumed repartition data). */
  deleteRecordsBefore(offsets: readonly TopicPartitionOffset[]): Promise<void>;
}

export interface ProducerOptions {
  readonly clientId: string;
  /** Milliseconds a send may retry before it fails (a broker restart must fit in it). */
  readonly deliveryTimeoutMs: number;
}

/** A record on its way to the broker, its partition chosen when the runtime knows it. */
export type ProducedRecord = OutgoingRecord;

export interface StreamsProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Writes the records (idempotent, acks=all) and resolves once the broker acknowledged all of them. */
  send(records: readonly ProducedRecord[]): Promise<void>;
}

export interface TransactionalProducerOptions extends ProducerOptions {
  /**
   * One per task (KafkaJS lacks KIP-447), or one per instance on a client with
   * `transactionsWithGroupMetadata`: a new producer with the id fences the old one.
   */
  readonly transactionalId: string;
  /**
   * How long the broker lets a transaction stay open before it aborts it. The producer's own
   * `transactionTimeoutMs` setting wins; without either, the client's default (at least a minute).
   */
  readonly transactionTimeoutMs?: number;
}

/**
 * Writes and consumer offsets in transactions. `connect()` registers the transactional id,
 * which fences any earlier producer with the same id and completes its open transaction.
 */
export interface TransactionalProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Writes in the open transaction (begun by the first write after a commit) and resolves once acknowledged. */
  send(records: readonly ProducedRecord[]): Promise<void>;
  /**
   * Adds the group's offsets to the transaction and commits it: the writes and the offsets
   * become visible together. With `member` (a client with `transactionsWithGroupMetadata`),
   * the offsets carry the member's generation, and the coordinator refuses them from a member
   * the group has moved past; the transaction then stays open, for a later commit to retry.
   */
  commit(groupId: string, offsets: readonly TopicPartitionOffset[], member?: GroupMember): Promise<void>;
  /** Aborts the open transaction, if any: readers with `read_committed` never see its writes. */
  abort(): Promise<void>;
}

/** Who a group member is in the current generation (Kafka's `ConsumerGroupMetadata`). */
export interface GroupMember {
  readonly memberId: string;
  readonly generationId: number;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  /** How long the broker may hold a fetch when there is no data. */
  readonly maxWaitTimeMs: number;
  readonly maxBytesPerPartition: number;
  readonly readCommitted: boolean;
  /** Where to start a partition the group has no committed offset for. */
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly assignor: GroupAssignor;
  /**
   * `'cooperative'` (only asked of a client with `cooperativeRebalancing`): the member keeps
   * its partitions while the group rebalances, hands over batches of them meanwhile, and on
   * an assignment that leaves some out calls `onRevoked` for them, then `onAssigned`, then
   * hands them over (see {@link GroupAssignor.handedOverPartitions}) or rejoins. `'eager'`: a
   * rebalance stops every partition until the new assignment.
   */
  readonly rebalanceProtocol: 'eager' | 'cooperative';
  /**
   * `'consumer'` (only asked of a client with `consumerGroupProtocol`): KIP-848. The broker
   * assigns (the `assignor` is not used, and no user data reaches the runtime), and the member
   * reconciles each new assignment it hears of in a heartbeat: `onRevoked` for what it loses,
   * committed before the heartbeat that gives those partitions up goes out, then `onAssigned`.
   * Defaults to `'classic'`.
   */
  readonly groupProtocol?: 'classic' | 'consumer';
}

/** One member's subscription, as the group leader sees it when it assigns. */
export interface GroupMemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
  readonly userData: Buffer;
}

export interface MemberAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Buffer;
  /** Tells the member to shut down (a member asked for the whole application to stop). */
  readonly shutdownRequested?: boolean;
}

/** Decides which member reads which partitions (runs on the group leader). */
export interface GroupAssignor {
  readonly name: string;
  readonly version: number;
  /** This member's metadata, sent with every join. */
  userData(): Buffer;
  assign(members: readonly GroupMemberSubscription[]): Map<string, MemberAssignment>;
  /**
   * Cooperative rebalancing: whether the member rejoins as soon as it applied the assignment
   * with this user data (the leader held partitions back and asks for the follow-up
   * rebalance now). Absent: only members that gave partitions up rejoin.
   */
  rejoinRequested?(assignmentUserData: Buffer): boolean;
  /**
   * Cooperative rebalancing: the partitions of this assignment that a member still in the
   * group read until this generation. The client starts each once its previous owner's commit
   * carries this generation's handover mark (`handoverMark.ts`), or after a session timeout.
   * Absent: none (the leader holds moving partitions back for a follow-up rebalance instead).
   */
  handedOverPartitions?(assignmentUserData: Buffer): readonly TopicPartition[];
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  /** The offset the fetch that returned this batch started at. */
  readonly fetchedOffset: number;
  /**
   * The offset after the last one the fetch covered, transaction markers and aborted records
   * included: where the next fetch of the partition starts once this batch is taken.
   */
  readonly nextOffset: number;
  /** The partition's log-end offset when the batch was fetched. */
  readonly highWatermark: number;
  readonly records: readonly InputRecord[];
}

/** Offsets the client moved past without a batch: they hold nothing for the application (transaction markers, aborted records). */
export interface PassedOffsets extends TopicPartition {
  /** The first offset of the skipped range that the fetch returned, when known. */
  readonly fromOffset: number | undefined;
  /** Where the next fetch of the partition starts. */
  readonly nextOffset: number;
}

export interface BatchContext {
  /** Keeps the membership alive while the handler waits; rejects when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the batch's partition was re-positioned. */
  isRunning(): boolean;
}

export interface GroupConsumerHandlers {
  /**
   * Records fetched from one partition, in offset order. Resolves `true` when the runtime took
   * them: the client's position moves to `batch.nextOffset` only then. `false` leaves the
   * position where it was (the records are fetched again, or the runtime sought elsewhere).
   */
  onBatch(batch: ConsumedBatch, context: BatchContext): Promise<boolean>;
  /** The client moved past offsets that hold no records for the application, without a batch. */
  onPassed(passed: PassedOffsets): void;
  /**
   * A new generation: the partitions this member owns now. Called before the generation's
   * first fetch. `lost` is true when the member may have been out of the group since its
   * last assignment (it rejoined under a new member id, or the client restarted): another
   * member may have owned its partitions meanwhile, so no task can be kept as it was.
   * Partitions handed over from a member still in the group come in a later call of the same
   * generation, with every partition the member owns then, once their previous owner
   * committed them.
   */
  onAssigned(partitions: readonly TopicPartition[], lost: boolean): void;
  /**
   * The user data of this member's assignment (what the leader's {@link GroupAssignor}
   * returned for it): to be called after `onAssigned` of the same generation, possibly later
   * (a client that does not get it with the partitions fetches it). A client that never
   * calls it still runs; its instance only never learns where the others serve queries.
   */
  onAssignmentUserData(userData: Buffer): void;
  /**
   * A rebalance started and this member will rejoin: the last moment to commit in the
   * old generation. Best-effort: a client may not see every rebalance coming.
   */
  onRevoking(): Promise<void>;
  /** The member is rejoining the group (its partitions will be reassigned). */
  onRebalancing(): void;
  /**
   * Cooperative rebalancing: the new assignment leaves out `partitions` this member owned;
   * nobody else may start them yet. The runtime stops their tasks, commits what they processed and
   * resolves; the client then marks them handed over (when the leader gave them to their new
   * owner already) or rejoins (when it held them back for the next generation), and calls
   * `onAssigned` with the new assignment, which closes those tasks.
   */
  onRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * The member fetches again with the partitions it had, without a new assignment: the
   * client gave up a rejoin (the group's coordinator was unreachable while it moved or
   * restarted) and the group still counts it as a member. A member that was in fact
   * dropped learns so at its next heartbeat and rejoins.
   */
  onRejoinAbandoned(): void;
  /** The group leader's assignment asked every member to shut down. */
  onShutdownRequested(): void;
  /** The client failed; `restarting` tells whether it rejoins by itself. */
  onCrash(error: Error, restarting: boolean): void;
}

export interface GroupConsumer {
  connect(): Promise<void>;
  /** Subscribes and joins; resolves after the first assignment. */
  run(topics: readonly string[], handlers: GroupConsumerHandlers): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** The next fetch of the partition starts at `offset`. */
  seek(position: TopicPartitionOffset): void;
  /** Commits `offsets` (the next offset to read, Kafka's convention) for the current generation. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The member id and generation of the last assignment (for transactional offset commits); `undefined` before the first. */
  member?(): GroupMember | undefined;
  /**
   * Leaves the group and joins it again as a new member (Kafka Streams does this on a
   * TaskMigrated error: a fenced producer means another member may own the task). The next
   * assignment comes with `lost` set.
   */
  rejoin(): Promise<void>;
  /**
   * Cooperative rebalancing, before a clean close: rejoins (the assignor's user data now says
   * the member is leaving) so that the group moves this member's partitions to the others
   * while it goes on processing them; resolves once the assignment that follows was applied,
   * with what it gave up committed and handed over. Absent: the member just leaves, and its
   * partitions stop until the group has rebalanced without it.
   */
  handOver?(): Promise<void>;
  /**
   * The runtime is closing: it commits, then disconnects. A client that rejoins the group by
   * itself should not rejoin meanwhile, since the coordinator would hold the final commit
   * behind that rejoin until the rebalance completes. Absent: nothing to do.
   */
  leaving?(): void;
  /** Stops fetching, leaves the group and closes the connections. */
  disconnect(): Promise<void>;
}

export interface ChangelogReaderOptions {
  /** Groups used for reading are named `<groupIdPrefix>-<random>`. */
  readonly groupIdPrefix: string;
  readonly clientId: string;
  readonly readCommitted: boolean;
}

/** A partition range to read: offsets `from` (inclusive) to `to` (exclusive). */
export interface ChangelogRange extends TopicPartition {
  readonly from: number;
  readonly to: number;
}

/**
 * Reads partitions outside the application's consumer group: changelogs to restore stores,
 * and the topics of global tables, which every instance reads in full.
 */
export interface ChangelogReader {
  /**
   * Reads every range and hands its records over in offset order per partition; resolves
   * once each range has been read to its end. `signal` stops reading early.
   */
  read(ranges: readonly ChangelogRange[], onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void, signal?: AbortSignal): Promise<void>;
  /**
   * Reads the partitions from the given offsets on, without end, until `stop()`. Resolves
   * once reading has begun. `onRecords` gets each fetched batch with the offset reading
   * continues at (batches of only transaction markers come with no records). It may throw:
   * reading stops and `onError` is called.
   */
  follow(
    starts: readonly TopicPartitionOffset[],
    onRecords: (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number) => void,
    onError: (error: Error) => void,
  ): Promise<{ stop(): Promise<void> }>;
}

/** `topic\u0000partition`: a Map key for a topic partition. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
