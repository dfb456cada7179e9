import type { Logger } from '@tributary/core';
import type { GroupAssignor, GroupMemberSubscription, MemberAssignment } from '../client/StreamsClient';
import { assignTasks } from './assignTasks';
import type { TaskLayout } from './TaskLayout';

/** What a member tells the leader when it joins (Kafka Streams' `SubscriptionInfo`, simplified). */
interface SubscriptionInfo {
  readonly version: number;
  /** Tasks this member runs now: the leader keeps them here if it can (sticky). */
  readonly tasks: readonly string[];
}

const VERSION = 1;

/**
 * The group assignor of a Tributary application (after Kafka Streams'
 * `StreamsPartitionAssigner`): it hands out tasks, not partitions, so partition `p` of every
 * source topic of a sub-topology goes to the same member, and keeps tasks where they ran.
 */
export class StreamsAssignor implements GroupAssignor {
  readonly name = 'tributary-streams';
  readonly version = VERSION;

  constructor(
    private readonly layout: TaskLayout,
    private readonly ownedTasks: () => readonly string[],
    private readonly logger: Logger,
  ) {}

  userData(): Buffer {
    const info: SubscriptionInfo = { version: VERSION, tasks: [...this.ownedTasks()] };
    return Buffer.from(JSON.stringify(info));
  }

  assign(members: readonly GroupMemberSubscription[]): Map<string, MemberAssignment> {
    const owners = members.map((m) => ({ memberId: m.memberId, previousTasks: decode(m.userData) }));
    const plan = assignTasks(
      this.layout.tasks.map((t) => t.id),
      owners,
    );
    const result = new Map<string, MemberAssignment>();
    for (const [memberId, tasks] of plan) {
      result.set(memberId, {
        partitions: tasks.flatMap((id) => this.layout.task(id)?.inputs ?? []),
        userData: Buffer.from(JSON.stringify({ version: VERSION, tasks })),
      });
    }
    this.logger.info(`assigned ${this.layout.tasks.length} tasks to ${members.length} members: ${[...plan].map(([m, t]) => `${m}=[${t.join(',')}]`).join(' ')}`);
    return result;
  }
}

function decode(userData: Buffer): string[] {
  if (userData.length === 0) return [];
  try {
    const info = JSON.parse(userData.toString('utf8')) as Partial<SubscriptionInfo>;
    return Array.isArray(info.tasks) ? info.tasks.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
