import type { ConsumerSettings } from '../../config/ConnectionOptions';
import { kafkaJsConsumerSettings } from './kafkaJsConnection';
import type { Logger } from '@tributary/core';
import { AssignerProtocol, type Batch, type Consumer, type ConsumerRunConfig, type EachBatchPayload, type Kafka } from 'kafkajs';
import type { GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, TopicPartition, TopicPartitionOffset } from '../StreamsClient';
import { byTopic, fromAssignment, kafkaJsAssigner, SHUTDOWN_SIGNAL_TOPIC } from './kafkaJsAssigner';
import { toInputRecords } from './records';

/** How often the user data of an assignment is looked up before this member gives up until its next join. */
const USER_DATA_ATTEMPTS = 8;

/** What KafkaJS's `consumer.start_batch_process` event carries (its payload type is loose). */
interface BatchStartPayload {
  topic: string;
  partition: number;
  batchSize: number;
  firstOffset: string | null;
  lastOffset: string;
}

/**
 * A consumer-group member on KafkaJS: `eachBatch` with auto-commit off (the runtime commits),
 * one partition at a time, and the group events turned into the runtime's handlers.
 *
 * The runtime owns the fetch position: KafkaJS's position (its "resolved offset") moves past
 * a batch only when the runtime took it, so a batch the runtime turned down is fetched
 * again rather than skipped. Batches of only transaction markers or aborted records never
 * reach `eachBatch`; KafkaJS moves past them itself, and `onPassed` says so.
 *
 * KafkaJS has no `onPartitionsRevoked`. A rebalance shows up as a failed heartbeat; the
 * heartbeat this class runs after every batch catches it and lets the runtime commit
 * before KafkaJS rejoins. After every join KafkaJS restarts each partition from the
 * committed offset, so the runtime seeks the partitions it keeps to where it was. A join
 * under a new member id (after a restart, a `rejoin()`, or an expired session) is reported
 * as `lost`: the member was out of the group, and its partitions may have moved meanwhile.
 */
export class KafkaJsGroupConsumer implements GroupConsumer {
  private readonly consumer: Consumer;
  private running = false;
  private memberId: string | undefined;
  private lostBeforeNextJoin = false;
  /** KafkaJS announced a rejoin and has not joined since. */
  private rejoining = false;
  private runConfig: ConsumerRunConfig | undefined;
  private abandonJoin: () => void = () => undefined;
  private joins = 0;

  constructor(
    kafka: Kafka,
    private readonly options: GroupConsumerOptions,
    private readonly logger: Logger,
    settings: ConsumerSettings = {},
  ) {
    this.consumer = kafka.consumer({
      ...kafkaJsConsumerSettings(settings),
      groupId: options.groupId,
      partitionAssigners: [kafkaJsAssigner(options.assignor)],
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      readUncommitted: !options.readCommitted,
      allowAutoTopicCreation: false,
      // Restart after any retriable failure (a broker restart); the runtime reassigns on rejoin.
      retry: { restartOnFailure: async () => true },
    });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async run(topics: readonly string[], handlers: GroupConsumerHandlers): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH, FETCH_START, START_BATCH_PROCESS, RECEIVED_UNSUBSCRIBED_TOPICS } = this.consumer.events;
    this.consumer.on(RECEIVED_UNSUBSCRIBED_TOPICS, (event) => {
      if (event.payload.topicsNotSubscribed.includes(SHUTDOWN_SIGNAL_TOPIC)) handlers.onShutdownRequested();
    });
    this.consumer.on(GROUP_JOIN, (event) => {
      const { memberId, memberAssignment } = event.payload;
      const lost = this.lostBeforeNextJoin || (this.memberId !== undefined && this.memberId !== memberId);
      this.lostBeforeNextJoin = false;
      this.rejoining = false;
      this.memberId = memberId;
      handlers.onAssigned(fromAssignment(memberAssignment), lost);
      void this.deliverAssignmentUserData(memberId, handlers);
    });
    this.consumer.on(REBALANCING, () => {
      this.rejoining = true;
      handlers.onRebalancing();
    });
    // A coordinator that moved or restarted answers NOT_COORDINATOR: KafkaJS announces a
    // rejoin, and when its join retries run out before the coordinator is back it fetches
    // again on the old assignment, with no join event. The group may well still count this
    // member (its next heartbeat tells); meanwhile its tasks run, so say so.
    this.consumer.on(FETCH_START, () => {
      if (!this.rejoining) return;
      this.rejoining = false;
      this.logger.warn(`group ${this.options.groupId}: the rejoin was given up; fetching again with the partitions this member had`);
      handlers.onRejoinAbandoned();
    });
    // run() resolves once the member joined; a failure before that (the broker refused the
    // join: a session timeout out of its bounds, no authorization) rejects it with the reason.
    let joined!: () => void;
    let refused!: (error: Error) => void;
    const firstJoin = new Promise<void>((resolve, reject) => {
      joined = resolve;
      refused = reject;
    });
    this.abandonJoin = () => refused(new Error(`the consumer of group ${this.options.groupId} was disconnected before it joined`));
    this.consumer.on(GROUP_JOIN, () => joined());
    this.consumer.on(CRASH, (event) => {
      const { error, restart } = event.payload as unknown as { error: Error; restart: boolean };
      if (!restart) refused(error);
      // A restarted KafkaJS consumer left the group: it comes back as a new member.
      if (restart) {
        this.lostBeforeNextJoin = true;
        this.rejoining = true;
      }
      handlers.onCrash(error, restart);
      if (restart) handlers.onRebalancing();
    });
    this.consumer.on(START_BATCH_PROCESS, (event) => {
      const batch = event.payload as unknown as BatchStartPayload;
      // Only an empty batch here is one KafkaJS filtered and moves past without calling eachBatch.
      if (batch.batchSize !== 0) return;
      handlers.onPassed({
        topic: batch.topic,
        partition: batch.partition,
        fromOffset: batch.firstOffset === null ? undefined : Number(batch.firstOffset),
        nextOffset: Number(batch.lastOffset) + 1,
      });
    });
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.autoOffsetReset === 'earliest' });
    this.running = true;
    this.runConfig = {
      autoCommit: false,
      // The runtime decides: a batch it did not take must not be skipped.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload) => {
        const heartbeat = this.guardedHeartbeat(payload, handlers);
        const { batch } = payload;
        const fetchedOffset = Number((batch as Batch & { fetchedOffset: string }).fetchedOffset);
        const taken = await handlers.onBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            fetchedOffset,
            nextOffset: Number(batch.lastOffset()) + 1,
            highWatermark: Number(batch.highWatermark),
            records: toInputRecords(batch),
          },
          { heartbeat, isRunning: () => payload.isRunning() && !payload.isStale() },
        );
        if (taken) payload.resolveOffset(batch.lastOffset());
        await heartbeat();
      },
    };
    await this.consumer.run(this.runConfig);
    await firstJoin;
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length === 0) return;
    this.whileInGroup('pause', () => this.consumer.pause(Object.entries(byTopic(partitions)).map(([topic, ps]) => ({ topic, partitions: ps }))));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (partitions.length === 0) return;
    this.whileInGroup('resume', () => this.consumer.resume(Object.entries(byTopic(partitions)).map(([topic, ps]) => ({ topic, partitions: ps }))));
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.whileInGroup('seek', () => this.consumer.seek({ topic, partition, offset: String(offset) }));
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(offsets.map(({ topic, partition, offset, metadata }) => ({ topic, partition, offset: String(offset), metadata: metadata ?? null })));
  }

  async rejoin(): Promise<void> {
    if (!this.running || !this.runConfig) return;
    this.logger.info(`group ${this.options.groupId}: leaving and rejoining the group`);
    this.lostBeforeNextJoin = true;
    await this.consumer.stop();
    if (!this.running) return; // disconnected meanwhile
    await this.consumer.run(this.runConfig);
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.abandonJoin();
    await this.consumer.disconnect();
  }

  /**
   * KafkaJS decodes the partitions of this member's assignment but drops its user data, which
   * carries where the other instances serve queries. The group's description has it: the
   * broker describes each member's assignment while the group is stable. A later join
   * supersedes the lookup.
   */
  private async deliverAssignmentUserData(memberId: string, handlers: GroupConsumerHandlers): Promise<void> {
    const join = ++this.joins;
    for (let attempt = 0; attempt < USER_DATA_ATTEMPTS; attempt++) {
      if (!this.running || join !== this.joins) return;
      try {
        const group = await this.consumer.describeGroup();
        const member = group.members.find((m) => m.memberId === memberId);
        if (join !== this.joins) return;
        if (group.state === 'Stable' && member && member.memberAssignment.length > 0) {
          handlers.onAssignmentUserData(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.userData ?? Buffer.alloc(0));
          return;
        }
      } catch (error) {
        this.logger.debug(`group ${this.options.groupId}: describing the group for the assignment's user data failed: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
    }
    this.logger.warn(`group ${this.options.groupId}: the user data of this member's assignment could not be read; where other instances serve queries is unknown until the next rebalance`);
  }

  /**
   * Pauses, resumes and seeks act on KafkaJS's current group membership; between a crash (or
   * a rejoin) and the next join there is none, and the next assignment sets them again.
   */
  private whileInGroup(what: string, action: () => void): void {
    if (!this.running) return;
    try {
      action();
    } catch (error) {
      this.logger.debug(`group ${this.options.groupId}: ${what} skipped while rejoining: ${(error as Error).message}`);
    }
  }

  private guardedHeartbeat(payload: EachBatchPayload, handlers: GroupConsumerHandlers): () => Promise<void> {
    return async () => {
      try {
        await payload.heartbeat();
      } catch (error) {
        if ((error as { type?: string }).type === 'REBALANCE_IN_PROGRESS') {
          this.logger.debug(`group ${this.options.groupId} is rebalancing: committing before rejoining`);
          await handlers.onRevoking().catch((e: unknown) => this.logger.warn(`commit before rebalance failed: ${(e as Error).message}`));
        }
        throw error;
      }
    };
  }
}
