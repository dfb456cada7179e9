import { StreamsError, type Logger } from '@tributary/core';
import { ListOffsetTimestamps, type Consumer, type ConsumerGroupJoinPayload } from '@platformatic/kafka';
import { partitionKey, type GroupConsumer, type GroupConsumerHandlers, type GroupConsumerOptions, type GroupMember, type TopicPartition, type TopicPartitionOffset } from '../StreamsClient';
import { commitAside, connectionTo } from './asideOffsetCommit';
import { ConsumerGroupMembership } from './ConsumerGroupMembership';
import { holdGroupRequests } from './groupRequestHold';
import { asKafkaError } from './kafkaErrors';
import { PartitionFetcher, type FetchedBatch } from './PartitionFetcher';
import { PartitionHandovers } from './PartitionHandovers';
import { SHUTDOWN_SIGNAL_TOPIC, type PlatformaticAssigner } from './platformaticAssigner';

const REJOIN_BACKOFF_MS = 1_000;

/**
 * A consumer-group member on `@platformatic/kafka`: the client's classic group protocol for
 * membership (join, sync, heartbeats, rejoins when the group rebalances), with the
 * application's own assignor, and a {@link PartitionFetcher} instead of the client's
 * message stream, so that the runtime owns the fetch positions: a batch moves the position
 * only when the runtime took it.
 *
 * Cooperative rebalancing (`rebalanceProtocol: 'cooperative'`, KIP-429 done by the
 * application's assignor over the classic protocol, as Kafka Streams does): while the group
 * rebalances, the partitions this member keeps are fetched and processed on. An assignment
 * that leaves some out calls `onRevoked` for them, which commits them in the new generation;
 * then, when the leader gave them to their new owner already, a commit of their offsets with
 * the generation's handover mark, which the new owner waits for before it starts them
 * ({@link PartitionHandovers}); when it held them back, a rejoin, whose generation hands them
 * over. Joins are applied one after the other, each against what the last one left, and
 * heartbeats wait for them (`holdGroupRequests`), so that the client cannot rejoin on its own
 * before a revocation's commit is in.
 *
 * KIP-848 (`groupProtocol: 'consumer'`): a {@link ConsumerGroupMembership} heartbeats and the
 * broker assigns, giving a partition to its new owner only once its old owner's heartbeat no
 * longer lists it. Each new assignment is applied like a join ({@link reconcile}) before the
 * next heartbeat goes out, so a revoked partition's commit is in before it is given up.
 *
 * Eager rebalancing: a rebalance the client learns of from a heartbeat or a commit
 * (REBALANCE_IN_PROGRESS) stops every partition. Under both protocols it calls `onRevoking`,
 * whose commit goes out before the client's JoinGroup (`holdGroupRequests`).
 * Either way, a join under a new member id is reported as `lost`.
 */
export class PlatformaticGroupConsumer implements GroupConsumer {
  private readonly fetcher: PartitionFetcher;
  private handlers: GroupConsumerHandlers | undefined;
  private running = false;
  private memberId: string | undefined;
  private generationId: number | undefined;
  /** Counts joins: a batch or a position lookup of an older one is stale. */
  private joins = 0;
  private lostBeforeNextJoin = false;
  private rebalancing = false;
  private revoking: Promise<void> | undefined;
  private rejoinTimer: NodeJS.Timeout | undefined;
  private readonly cooperative: boolean;
  /** KIP-848: the broker assigns; see {@link reconcile}. */
  private readonly brokerAssigned: boolean;
  private membership: ConsumerGroupMembership | undefined;
  /** The partitions the runtime was last told it owns (by `onAssigned`). */
  private owned: readonly TopicPartition[] = [];
  /**
   * Set once the runtime is leaving (`leaving()`); it never settles, so a JoinGroup the client
   * starts meanwhile waits the whole bound of the hold, by when the member has left.
   */
  private leavingGroup: Promise<never> | undefined;
  /** When this member last rejoined at once because the leader held partitions back. */
  private lastFollowUpForLeader = 0;
  /** A hand-over before closing waits for the first join after this one to be applied. */
  private handingOver: { readonly after: number; readonly done: () => void } | undefined;
  /** Joins are applied in order: a revocation's commit finishes before the next join is applied. */
  private applying: Promise<void> = Promise.resolve();

  private readonly consumer: Consumer;
  private readonly fetching: Consumer;
  private readonly handovers: PartitionHandovers;

  /**
   * `clients.member` joins the group, heartbeats and commits; `clients.fetching` (a client of
   * its own, never in a group) fetches, so that fetches do not queue behind a JoinGroup the
   * coordinator holds for the length of a rebalance. `committedOffsets` reads the group's
   * committed offsets with their metadata (the handover marks).
   */
  constructor(
    clients: { readonly member: Consumer; readonly fetching: Consumer; readonly committedOffsets: (topics: readonly string[]) => Promise<readonly TopicPartitionOffset[]> },
    private readonly assigner: PlatformaticAssigner,
    private readonly options: GroupConsumerOptions,
    private readonly logger: Logger,
  ) {
    this.consumer = clients.member;
    this.fetching = clients.fetching;
    this.brokerAssigned = options.groupProtocol === 'consumer';
    // Under KIP-848 a member keeps what it is not told to give up: cooperative, in effect.
    this.cooperative = options.rebalanceProtocol === 'cooperative' || this.brokerAssigned;
    this.handovers = new PartitionHandovers({
      committed: clients.committedOffsets,
      commit: (offsets) => this.commit(offsets),
      waitAtMostMs: options.sessionTimeoutMs,
      groupId: options.groupId,
      logger,
    });
    holdGroupRequests(
      this.consumer,
      {
        // A cooperative revocation's commit must reach the coordinator before this member rejoins.
        Heartbeat: () => (this.cooperative ? this.applying : undefined),
        // What the member processed is committed before its JoinGroup takes the coordinator
        // connection; a member that is leaving does not rejoin before it has left.
        JoinGroup: () => this.leavingGroup ?? this.revoking,
      },
      Math.floor(options.sessionTimeoutMs / 2),
    );
    this.fetcher = new PartitionFetcher(this.fetching, {
      name: `group ${options.groupId}`,
      maxWaitTimeMs: options.maxWaitTimeMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      readCommitted: options.readCommitted,
      resetTo: options.autoOffsetReset,
      logger,
      deliver: (batch) => this.deliver(batch),
    });
  }

  async connect(): Promise<void> {
    try {
      await Promise.all([this.consumer.listApis(), this.fetching.listApis()]);
    } catch (error) {
      throw asKafkaError(`connecting the consumer of group ${this.options.groupId}`, error);
    }
  }

  async run(topics: readonly string[], handlers: GroupConsumerHandlers): Promise<void> {
    this.handlers = handlers;
    if (this.brokerAssigned) return this.runAssignedByBroker(topics);
    for (const topic of topics) this.consumer.topics.track(topic);
    this.assigner.attach(this.consumer);
    this.consumer.on('consumer:group:join', (payload) => this.onJoin(payload));
    this.consumer.on('consumer:group:rebalance', () => this.onRebalance());
    // The client's own rejoin failed (its retries ran out): the member stopped heartbeating.
    this.consumer.on('error', (error: Error) => this.onRejoinFailed(error));
    this.consumer.on('consumer:heartbeat:error', ({ error }) => this.logger.debug(`group ${this.options.groupId}: heartbeat failed: ${error.message}`));
    this.running = true;
    try {
      await this.consumer.joinGroup({});
    } catch (error) {
      this.running = false;
      throw asKafkaError(`joining group ${this.options.groupId}`, error);
    }
    await this.applying;
    this.fetcher.start();
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.fetcher.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.fetcher.resume(partitions);
  }

  seek(position: TopicPartitionOffset): void {
    this.fetcher.seek(position);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const { memberId, generationId } = this.membership ? { memberId: this.membership.memberId, generationId: this.membership.epoch } : this.consumer;
    try {
      // As this member, over the fetching client's connection: the member's own is taken by its
      // JoinGroup for as long as a rebalance lasts, while the kept partitions are processed on.
      if (memberId) await commitAside(this.fetching, await this.consumer.findGroupCoordinator(), this.options.groupId, { memberId, generationId }, offsets);
      else await this.consumer.commit({ offsets: offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: BigInt(offset), leaderEpoch: -1 })) });
    } catch (error) {
      throw asKafkaError(`committing offsets of group ${this.options.groupId}`, error);
    }
  }

  member(): GroupMember | undefined {
    // KIP-848: the epoch moves with every new assignment the group computes, this member's or not.
    if (this.membership) return { memberId: this.membership.memberId, generationId: this.membership.epoch };
    return this.memberId === undefined || this.generationId === undefined ? undefined : { memberId: this.memberId, generationId: this.generationId };
  }

  async rejoin(): Promise<void> {
    if (!this.running) return;
    if (this.membership) {
      this.logger.info(`group ${this.options.groupId}: leaving and rejoining the group`);
      await this.membership.rejoin();
      return;
    }
    this.logger.info(`group ${this.options.groupId}: leaving and rejoining the group`);
    this.lostBeforeNextJoin = true;
    this.fetcher.assign([]);
    await new Promise<void>((resolve) =>
      this.consumer.leaveGroup(false, (error) => {
        if (error) this.logger.debug(`group ${this.options.groupId}: leaving failed: ${error.message}`);
        resolve();
      }),
    );
    if (!this.running) return;
    await this.join();
  }

  handOver(): Promise<void> {
    if (!this.cooperative || this.brokerAssigned || !this.running || this.owned.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.handingOver = { after: this.joins, done: resolve };
      this.logger.info(`group ${this.options.groupId}: rejoining so that this member's ${this.owned.length} partitions go to the others before it leaves`);
      void this.join();
    });
  }

  leaving(): void {
    this.leavingGroup ??= new Promise<never>(() => undefined);
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.handingOver?.done();
    clearTimeout(this.rejoinTimer);
    await this.fetcher.stop();
    await this.membership?.leave();
    this.assigner.detach();
    await this.consumer.close().catch((error: unknown) => this.logger.warn(`group ${this.options.groupId}: closing the consumer failed: ${(error as Error).message}`));
    await this.fetching.close().catch((error: unknown) => this.logger.warn(`group ${this.options.groupId}: closing the fetching client failed: ${(error as Error).message}`));
  }

  private async join(): Promise<void> {
    try {
      await this.consumer.joinGroup({});
    } catch (error) {
      this.onRejoinFailed(error as Error);
    }
  }

  private onJoin({ memberId, generationId, isLeader, assignments }: ConsumerGroupJoinPayload): void {
    const handlers = this.handlers;
    if (!handlers || !this.running) return;
    // The client may report one join twice (a commit and a heartbeat both rejoined).
    if (memberId === this.memberId && generationId === this.generationId) return;
    const lost = this.lostBeforeNextJoin || (this.memberId !== undefined && this.memberId !== memberId);
    this.lostBeforeNextJoin = false;
    this.rebalancing = false;
    this.revoking = undefined;
    this.memberId = memberId;
    this.generationId = generationId;
    const join = ++this.joins;
    const shutdown = (assignments ?? []).some((a) => a.topic === SHUTDOWN_SIGNAL_TOPIC) || (isLeader === true && this.assigner.shutdownRequestedAlone());
    const partitions = (assignments ?? []).filter((a) => a.topic !== SHUTDOWN_SIGNAL_TOPIC).flatMap(({ topic, partitions: ps }) => ps.map((partition) => ({ topic, partition })));
    const userData = this.assigner.receivedUserData();
    // A lost member's positions may be stale: every partition starts again at the committed offset.
    if (lost) {
      this.fetcher.assign([]);
      this.handovers.clear();
    }
    const handedOver = this.cooperative && !lost && userData ? (this.options.assignor.handedOverPartitions?.(userData) ?? []) : [];
    const generation = generationId ?? -1;
    const startable = this.handovers.assigned(partitions, handedOver, generation);
    // Revoked partitions stop being fetched now; new ones start once positioned (after onAssigned).
    this.fetcher.assign(startable);
    this.applying = this.applying.then(() => this.apply({ join, generation, partitions: startable, lost, userData, shutdown }, handlers));
  }

  /** Tells the runtime of one join: the revocation first (cooperative), then the assignment. */
  private async apply(change: AppliedJoin, handlers: GroupConsumerHandlers): Promise<void> {
    const { join, generation, partitions, lost, userData, shutdown } = change;
    const kept = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    const revoked = this.cooperative && !lost ? this.owned.filter((p) => !kept.has(partitionKey(p.topic, p.partition))) : [];
    // What this member gives up, its new owner has already, unless the leader held it back for
    // a follow-up rebalance (a member does not hand over, the leader runs an older version, or
    // the assignor never hands over).
    const leaderAsked = this.cooperative && userData !== undefined && this.options.assignor.rejoinRequested?.(userData) === true;
    const handsOver = revoked.length > 0 && !leaderAsked && !this.brokerAssigned && this.options.assignor.handedOverPartitions !== undefined;
    if (revoked.length > 0) {
      await handlers.onRevoked(revoked).catch((error: unknown) => this.logger.warn(`group ${this.options.groupId}: committing revoked partitions failed: ${(error as Error).message}`));
      if (handsOver && this.running) {
        await this.handovers.release(revoked, generation).catch((error: unknown) => this.logger.warn(`group ${this.options.groupId}: marking revoked partitions handed over failed: ${(error as Error).message}`));
      }
    }
    if (!this.running) return;
    this.owned = partitions;
    handlers.onAssigned(partitions, lost);
    if (userData) handlers.onAssignmentUserData(userData);
    else if (!this.brokerAssigned) this.logger.warn(`group ${this.options.groupId}: the user data of this member's assignment was not read; where other instances serve queries is unknown until the next rebalance`);
    if (shutdown) handlers.onShutdownRequested();
    void this.startAtCommitted(join);
    if (this.handovers.waiting) void this.startHandedOver(join, userData, handlers);
    // The leader held back what moves: the follow-up rebalance hands it over. Members that gave
    // something up start it; the others join it at once instead of at their next heartbeat,
    // but not more than once a heartbeat interval: a hold-back its owner has not released yet
    // asks again, and answering every time at once would rebalance in a loop.
    const now = Date.now();
    const answerLeader = leaderAsked && now - this.lastFollowUpForLeader >= this.options.heartbeatIntervalMs;
    if (answerLeader && revoked.length === 0) this.lastFollowUpForLeader = now;
    const followUp = (revoked.length > 0 && !handsOver && !this.brokerAssigned) || answerLeader;
    if (this.handingOver && join > this.handingOver.after) {
      this.handingOver.done();
      this.handingOver = undefined;
    }
    if (followUp && join === this.joins) {
      this.logger.debug(`group ${this.options.groupId}: ${revoked.length > 0 ? `gave up ${revoked.length} partitions` : 'the leader held partitions back'}; rejoining so that their new owners get them`);
      void this.join();
    }
  }

  /**
   * Starts the partitions handed over to this member as their previous owners' marks arrive:
   * the runtime is told of each, with every partition the member owns, as a later assignment
   * of the same generation. A newer join takes the waiting over.
   */
  private async startHandedOver(join: number, userData: Buffer | undefined, handlers: GroupConsumerHandlers): Promise<void> {
    const current = () => this.running && join === this.joins;
    while (current() && this.handovers.waiting) {
      const ready = await this.handovers.nextReady(current);
      if (ready.length === 0) return;
      this.applying = this.applying.then(() => {
        if (!current()) return;
        this.owned = [...this.owned, ...ready];
        this.fetcher.assign(this.owned);
        handlers.onAssigned(this.owned, false);
        if (userData) handlers.onAssignmentUserData(userData);
        void this.startAtCommitted(join);
      });
      await this.applying;
    }
  }

  /** KIP-848: joins, and applies each assignment the broker gives this member. */
  private async runAssignedByBroker(topics: readonly string[]): Promise<void> {
    const { groupId, rebalanceTimeoutMs } = this.options;
    this.membership = new ConsumerGroupMembership({
      groupId,
      topics,
      rebalanceTimeoutMs,
      coordinator: async () => connectionTo(this.fetching, await this.consumer.findGroupCoordinator()),
      topicIds: async (names) => new Map([...(await this.fetching.metadata({ topics: [...names] })).topics].map(([name, topic]) => [name, topic.id])),
      reconcile: (partitions, lost) => this.reconcile(partitions, lost),
      logger: this.logger,
    });
    this.running = true;
    try {
      await this.membership.join();
    } catch (error) {
      this.running = false;
      throw asKafkaError(`joining group ${groupId}`, error);
    }
    await this.applying;
    this.fetcher.start();
  }

  /**
   * KIP-848: the broker's new assignment for this member, applied like a join: the partitions
   * that went stop, and their commit completes before this resolves (and so before the
   * heartbeat that gives them up); the new ones start at the group's committed offsets (the
   * broker gave them only once their old owner had let them go).
   */
  private reconcile(partitions: readonly TopicPartition[], lost: boolean): Promise<void> {
    const handlers = this.handlers;
    if (!handlers || !this.running) return this.applying;
    const join = ++this.joins;
    if (lost) this.fetcher.assign([]);
    this.fetcher.assign(partitions);
    this.applying = this.applying.then(() => this.apply({ join, generation: this.membership?.epoch ?? -1, partitions, lost, userData: undefined, shutdown: false }, handlers));
    return this.applying;
  }

  /** Partitions nobody positioned start at the group's committed offset, or where `autoOffsetReset` says. */
  private async startAtCommitted(join: number): Promise<void> {
    for (let attempt = 0; this.running && join === this.joins; attempt++) {
      const unpositioned = this.fetcher.assignedPartitions().filter((p) => this.fetcher.position(p.topic, p.partition) === undefined);
      if (unpositioned.length === 0) return;
      try {
        const byTopic = new Map<string, number[]>();
        for (const { topic, partition } of unpositioned) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
        const committed = await this.consumer.listCommittedOffsets({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
        const missing = new Map<string, number[]>();
        for (const { topic, partition } of unpositioned) {
          const offset = committed.get(topic)?.[partition];
          if (offset !== undefined && offset >= 0n) this.positionIfUnset(join, topic, partition, offset);
          else missing.set(topic, [...(missing.get(topic) ?? []), partition]);
        }
        if (missing.size > 0) {
          const timestamp = this.options.autoOffsetReset === 'earliest' ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST;
          const offsets = await this.fetching.listOffsets({ topics: [...missing.keys()], partitions: Object.fromEntries(missing), timestamp });
          for (const [topic, partitions] of missing) {
            for (const partition of partitions) {
              const offset = offsets.get(topic)?.[partition];
              if (this.positionIfUnset(join, topic, partition, offset)) this.handovers.startedFromReset(topic, partition, Number(offset));
            }
          }
        }
      } catch (error) {
        this.logger.debug(`group ${this.options.groupId}: reading committed offsets failed (${(error as Error).message}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
      }
    }
  }

  /** `true` when it positioned the partition. */
  private positionIfUnset(join: number, topic: string, partition: number, offset: bigint | undefined): boolean {
    if (join !== this.joins || offset === undefined || offset < 0n || this.fetcher.position(topic, partition) !== undefined) return false;
    this.fetcher.seek({ topic, partition, offset: Number(offset) });
    return true;
  }

  private onRebalance(): void {
    const handlers = this.handlers;
    if (!handlers || !this.running || this.revoking) return;
    // Cooperatively every owned partition goes on (what moves is committed when the assignment
    // says so); eagerly every partition stops. Either way what was processed is committed
    // before the client's JoinGroup goes out (holdGroupRequests).
    if (!this.cooperative) this.rebalancing = true;
    this.logger.debug(`group ${this.options.groupId} is rebalancing: committing before rejoining`);
    this.revoking = handlers.onRevoking().catch((error: unknown) => this.logger.warn(`commit before rebalance failed: ${(error as Error).message}`));
    handlers.onRebalancing();
  }

  private onRejoinFailed(error: Error): void {
    const handlers = this.handlers;
    if (!handlers || !this.running) return;
    this.rebalancing = true;
    handlers.onCrash(asKafkaError(`rejoining group ${this.options.groupId}`, error), true);
    handlers.onRebalancing();
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = setTimeout(() => void this.join(), REJOIN_BACKOFF_MS);
  }

  private async deliver(batch: FetchedBatch): Promise<boolean> {
    const handlers = this.handlers;
    if (!handlers) return false;
    if (batch.records.length === 0) {
      handlers.onPassed({ topic: batch.topic, partition: batch.partition, fromOffset: batch.firstOffset, nextOffset: batch.nextOffset });
      return true;
    }
    const join = this.joins;
    // Cooperatively, a batch of a partition kept through a join is still good: the position says.
    const sameJoin = () => this.cooperative || join === this.joins;
    const current = () => this.running && sameJoin() && this.fetcher.position(batch.topic, batch.partition) === batch.fetchedOffset;
    try {
      return await handlers.onBatch(
        { topic: batch.topic, partition: batch.partition, fetchedOffset: batch.fetchedOffset, nextOffset: batch.nextOffset, highWatermark: batch.highWatermark, records: batch.records },
        {
          heartbeat: async () => {
            if (this.rebalancing || !sameJoin()) throw new StreamsError(`group ${this.options.groupId} is rebalancing`, { retriable: true });
          },
          isRunning: current,
        },
      );
    } catch (error) {
      this.logger.debug(`group ${this.options.groupId}: a batch of ${batch.topic}-${batch.partition} was not taken: ${(error as Error).message}`);
      return false;
    }
  }
}

/** One join, as the client reported it. */
interface AppliedJoin {
  readonly join: number;
  readonly generation: number;
  readonly partitions: readonly TopicPartition[];
  readonly lost: boolean;
  readonly userData: Buffer | undefined;
  readonly shutdown: boolean;
}
