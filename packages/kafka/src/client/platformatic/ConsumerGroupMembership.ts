import { randomUUID } from 'node:crypto';
import { consumerGroupHeartbeatV1, type Connection } from '@platformatic/kafka';
import type { Logger } from '@tributary/core';
import { partitionKey, type TopicPartition } from '../StreamsClient';
import { brokerErrorName } from './kafkaErrors';

/** The broker's assignor: partition `p` of topics with as many partitions goes to one member. */
const SERVER_ASSIGNOR = 'range';
const RETRY_MS = 500;
/** Errors after which the member starts again with nothing: what it had may be another's now. */
const FENCED = new Set(['FENCED_MEMBER_EPOCH', 'UNKNOWN_MEMBER_ID']);

export interface ConsumerGroupMembershipDeps {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly rebalanceTimeoutMs: number;
  /** A connection to the group's coordinator (found again at each call). */
  coordinator(): Promise<Connection>;
  /** Topic name -> topic id, and back (the protocol names topics by id). */
  topicIds(topics: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * The broker's assignment for this member changed (`partitions`, all of them): resolves once
   * the member applied it, what it gave up committed. `lost`: the member was fenced and starts
   * again with nothing, so it commits nothing of what it had.
   */
  reconcile(partitions: readonly TopicPartition[], lost: boolean): Promise<void>;
  readonly logger: Logger;
}

/**
 * Membership of a KIP-848 consumer group (ConsumerGroupHeartbeat, Kafka 4.0 and later). The
 * broker assigns, and moves a partition only once its old owner's heartbeat no longer lists it:
 * this member reports a revoked partition as given up only after `reconcile` has committed it,
 * so its new owner starts at that commit. `@platformatic/kafka` runs this protocol only for its
 * own message streams, and the runtime fetches with its own fetcher, so the heartbeats are sent
 * here, with the client's encoding of the request.
 */
export class ConsumerGroupMembership {
  memberId: string = randomUUID();
  /** The member epoch, which the broker bumps at each new assignment; commits carry it. */
  epoch = 0;
  private owned: readonly TopicPartition[] = [];
  private intervalMs = 1_000;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private beating: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ConsumerGroupMembershipDeps) {}

  /** Joins the group: resolves after the first heartbeat answer (the assignment may come later). */
  async join(): Promise<void> {
    this.running = true;
    await this.beat(true);
  }

  /** Leaves the group (a heartbeat with epoch -1), then stops. */
  async leave(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    await this.beating.catch(() => undefined);
    try {
      await consumerGroupHeartbeatV1.api.async(await this.deps.coordinator(), this.deps.groupId, this.memberId, -1, null, null, 0, [], null, SERVER_ASSIGNOR, []);
    } catch (error) {
      this.deps.logger.debug(`group ${this.deps.groupId}: leaving failed: ${(error as Error).message}`);
    }
  }

  /** Leaves and joins again as a new member, with nothing: the next assignment comes as lost. */
  async rejoin(): Promise<void> {
    await this.leave();
    this.memberId = randomUUID();
    this.epoch = 0;
    await this.deps.reconcile((this.owned = []), true);
    await this.join();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.running) this.timer = setTimeout(() => void this.beat(false), ms);
  }

  /** One heartbeat, after the last; `first` rethrows its failure (a failed join). */
  private beat(first: boolean): Promise<void> {
    const next = this.beating.catch(() => undefined).then(() => this.heartbeat(first));
    this.beating = next;
    return next;
  }

  private async heartbeat(first: boolean): Promise<void> {
    if (!this.running) return;
    let changed: TopicPartition[] | undefined;
    try {
      const { topics, groupId, rebalanceTimeoutMs } = this.deps;
      const ids = await this.deps.topicIds([...new Set([...topics, ...this.owned.map((p) => p.topic)])]);
      const answer = await consumerGroupHeartbeatV1.api.async(
        await this.deps.coordinator(),
        groupId,
        this.memberId,
        this.epoch,
        null,
        null,
        rebalanceTimeoutMs,
        [...topics],
        null,
        SERVER_ASSIGNOR,
        byTopicId(this.owned, ids),
      );
      if (answer.memberId) this.memberId = answer.memberId;
      this.epoch = answer.memberEpoch;
      if (answer.heartbeatIntervalMs > 0) this.intervalMs = answer.heartbeatIntervalMs;
      if (answer.assignment) {
        // Every topic it can be given is one it subscribes to, whose id it looked up.
        const assigned = toPartitions(answer.assignment.topicPartitions, new Map([...ids].map(([name, id]) => [id, name])));
        if (key(assigned) !== key(this.owned)) changed = assigned;
      }
    } catch (error) {
      if (first) {
        this.running = false;
        throw error;
      }
      const name = brokerErrorName(error);
      if (name !== undefined && FENCED.has(name)) {
        this.deps.logger.warn(`group ${this.deps.groupId}: this member was fenced (${name}); it starts again with nothing`);
        if (name === 'UNKNOWN_MEMBER_ID') this.memberId = randomUUID();
        this.epoch = 0;
        await this.deps.reconcile((this.owned = []), true).catch(() => undefined);
        this.schedule(0);
        return;
      }
      this.deps.logger.debug(`group ${this.deps.groupId}: heartbeat failed (${name ?? (error as Error).message}); trying again`);
      this.schedule(RETRY_MS);
      return;
    }
    if (changed) {
      // What goes is committed before the next heartbeat says it is given up.
      await this.deps.reconcile(changed, false).catch((error: unknown) => this.deps.logger.warn(`group ${this.deps.groupId}: applying the assignment failed: ${(error as Error).message}`));
      this.owned = changed;
      this.schedule(0);
      return;
    }
    this.schedule(this.intervalMs);
  }
}

function byTopicId(partitions: readonly TopicPartition[], ids: ReadonlyMap<string, string>): { topicId: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const id = ids.get(topic);
    if (id !== undefined) byTopic.set(id, [...(byTopic.get(id) ?? []), partition]);
  }
  return [...byTopic].map(([topicId, ps]) => ({ topicId, partitions: ps }));
}

function toPartitions(topicPartitions: readonly { topicId: string; partitions: number[] }[], names: ReadonlyMap<string, string>): TopicPartition[] {
  return topicPartitions.flatMap(({ topicId, partitions }) => {
    const topic = names.get(topicId);
    return topic === undefined ? [] : partitions.map((partition) => ({ topic, partition }));
  });
}

function key(partitions: readonly TopicPartition[]): string {
  return partitions
    .map((p) => partitionKey(p.topic, p.partition))
    .sort()
    .join(',');
}
