import type { TopicPartition } from '../client/StreamsClient';
import type { HostInfo } from './HostInfo';

/**
 * One instance of the application as the group assignment describes it (Kafka Streams'
 * `StreamsMetadata`): where it serves queries, the tasks it runs, their input partitions
 * and the stores they hold. Instances that advertise no endpoint are not listed.
 */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  /** The tasks the instance runs (`<subTopology>_<partition>`). */
  readonly taskIds: readonly string[];
  readonly topicPartitions: readonly TopicPartition[];
  /** The stores of those tasks, and every global store. */
  readonly stateStoreNames: readonly string[];
}

/** Where a key of a store lives (Kafka Streams' `KeyQueryMetadata`, without standbys: Tributary has none). */
export interface KeyQueryMetadata {
  /** The instance that runs the task holding the key. */
  readonly activeHost: HostInfo;
  /** The key's partition of the store's input topics (and changelog); `-1` for a global store. */
  readonly partition: number;
  /** `undefined` for a global store, which every instance holds whole (`activeHost` is then this instance). */
  readonly taskId: string | undefined;
}
