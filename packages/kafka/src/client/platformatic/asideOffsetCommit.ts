import { kGetApi, kGetConnection, kMetadata, type Broker, type Callback, type Connection, type Consumer } from '@platformatic/kafka';
import type { TopicPartitionOffset } from '../StreamsClient';

/** The OffsetCommit API as the client calls it: connection, group, generation, member, instance id, topics. */
type OffsetCommitApi = (connection: Connection, groupId: string, generationId: number, memberId: string, groupInstanceId: null, topics: CommittedTopic[], callback: Callback<unknown>) => void;

interface CommittedTopic {
  name: string;
  partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string | null }[];
}

/** The client internals used: its API lookup, its metadata and its connections. */
interface ClientInternals {
  [kGetApi](name: string, callback: Callback<OffsetCommitApi>): void;
  [kMetadata](options: { topics: string[] }, callback: Callback<{ brokers: Map<number, Broker> }>): void;
  [kGetConnection](broker: Broker | undefined, callback: Callback<Connection>): void;
}

/** A connection of `via` to broker `nodeId` (the group coordinator, as the member's client knows it). */
export async function connectionTo(via: Consumer, nodeId: number): Promise<Connection> {
  const client = via as unknown as ClientInternals;
  const metadata = await call<{ brokers: Map<number, Broker> }>((callback) => client[kMetadata]({ topics: [] }, callback));
  return call<Connection>((callback) => client[kGetConnection](metadata.brokers.get(nodeId), callback));
}

function call<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))));
}

/**
 * Commits `offsets` for `member` (its id and generation) of `groupId` through `via`, a client
 * that is not the member's, to the coordinator (node `coordinatorId`, as the member's client
 * knows it): over another connection than the member's own. While a member's
 * JoinGroup waits at the coordinator (a whole rebalance, which waits for every member, a dead one
 * up to its session timeout), the broker answers nothing else on that connection, so a commit
 * sent there waits too, while a cooperative member goes on processing the partitions it keeps:
 * a crash then would repeat all of it. The coordinator accepts the member's commit from any
 * connection until the rebalance's join phase ends, as it would have from its own.
 */
export async function commitAside(
  via: Consumer,
  coordinatorId: number,
  groupId: string,
  member: { readonly memberId: string; readonly generationId: number },
  offsets: readonly TopicPartitionOffset[],
): Promise<void> {
  const client = via as unknown as ClientInternals;
  const connection = await connectionTo(via, coordinatorId);
  const api = await call<OffsetCommitApi>((callback) => client[kGetApi]('OffsetCommit', callback));
  const topics = new Map<string, CommittedTopic>();
  for (const { topic, partition, offset, metadata } of offsets) {
    let entry = topics.get(topic);
    if (!entry) topics.set(topic, (entry = { name: topic, partitions: [] }));
    entry.partitions.push({ partitionIndex: partition, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: metadata ?? null });
  }
  await call<unknown>((callback) => api(connection, groupId, member.generationId, member.memberId, null, [...topics.values()], callback));
}
