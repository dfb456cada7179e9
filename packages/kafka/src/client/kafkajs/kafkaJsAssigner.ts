import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import type { GroupAssignor, TopicPartition } from '../StreamsClient';

/**
 * A topic no member subscribes to: an assignment that names it tells the member to shut down.
 * KafkaJS hands a member only its assignment's partitions, not its user data, but it reports
 * assigned topics the member did not subscribe to (`RECEIVED_UNSUBSCRIBED_TOPICS`).
 */
export const SHUTDOWN_SIGNAL_TOPIC = '__tributary-shutdown-requested';

/** Plugs a {@link GroupAssignor} into KafkaJS's consumer group protocol. */
export function kafkaJsAssigner(assignor: GroupAssignor): PartitionAssigner {
  return () => ({
    name: assignor.name,
    version: assignor.version,
    async assign({ members }) {
      const subscriptions = members.map(({ memberId, memberMetadata }) => {
        const metadata = AssignerProtocol.MemberMetadata.decode(memberMetadata);
        return { memberId, topics: metadata?.topics ?? [], userData: metadata?.userData ?? Buffer.alloc(0) };
      });
      const plan = assignor.assign(subscriptions);
      return members.map(({ memberId }) => {
        const assignment = plan.get(memberId);
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: assignor.version,
            assignment: assignment?.shutdownRequested ? { [SHUTDOWN_SIGNAL_TOPIC]: [0] } : byTopic(assignment?.partitions ?? []),
            userData: assignment?.userData ?? Buffer.alloc(0),
          }),
        };
      });
    },
    protocol({ topics }) {
      return {
        name: assignor.name,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: assignor.version, topics, userData: assignor.userData() }),
      };
    },
  });
}

export function byTopic(partitions: readonly TopicPartition[]): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const { topic, partition } of partitions) (result[topic] ??= []).push(partition);
  return result;
}

export function fromAssignment(assignment: Record<string, number[] | undefined>): TopicPartition[] {
  return Object.entries(assignment).flatMap(([topic, partitions]) => (partitions ?? []).map((partition) => ({ topic, partition })));
}
