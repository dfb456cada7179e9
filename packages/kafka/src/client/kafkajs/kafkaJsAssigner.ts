import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import type { GroupAssignor, TopicPartition } from '../StreamsClient';

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
            assignment: byTopic(assignment?.partitions ?? []),
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
