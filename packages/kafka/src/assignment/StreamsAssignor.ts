import type { Logger } from '@tributary/core';
import type { GroupAssignor, GroupMemberSubscription, MemberAssignment } from '../client/StreamsClient';
import { assignTasks } from './assignTasks';
import type { TaskLayout } from './TaskLayout';

/** What a member tells the leader when it joins (Kafka Streams' `SubscriptionInfo`, simplified). */
interface SubscriptionInfo {
  readonly version: number;
  /** Tasks this member runs now: the leader keeps them here if it can (sticky). */
  readonly tasks: readonly string[];
  /** The member's uncaught-exception handler asked for the whole application to shut down. */
  readonly shutdownRequested?: boolean;
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

  private shutdownRequested = false;

  /**
   * From the next join on, this member asks the group to shut down (Kafka Streams'
   * `SHUTDOWN_APPLICATION`): the leader then tells every member so in its assignment.
   */
  requestShutdown(): void {
    this.shutdownRequested = true;
  }

  userData(): Buffer {
    const info: SubscriptionInfo = { version: VERSION, tasks: [...this.ownedTasks()], ...(this.shutdownRequested ? { shutdownRequested: true } : {}) };
    return Buffer.from(JSON.stringify(info));
  }

  assign(members: readonly GroupMemberSubscription[]): Map<string, MemberAssignment> {
    const infos = members.map((m) => decode(m.userData));
    if (infos.some((info) => info.shutdownRequested)) {
      this.logger.warn(`a member asked the application to shut down: telling all ${members.length} members`);
      return new Map(members.map((m) => [m.memberId, { partitions: [], userData: Buffer.alloc(0), shutdownRequested: true }]));
    }
    const owners = members.map((m, i) => ({ memberId: m.memberId, previousTasks: infos[i]!.tasks }));
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

function decode(userData: Buffer): SubscriptionInfo {
  const empty: SubscriptionInfo = { version: VERSION, tasks: [] };
  if (userData.length === 0) return empty;
  try {
    const info = JSON.parse(userData.toString('utf8')) as Partial<SubscriptionInfo>;
    return {
      version: typeof info.version === 'number' ? info.version : VERSION,
      tasks: Array.isArray(info.tasks) ? info.tasks.filter((t): t is string => typeof t === 'string') : [],
      shutdownRequested: info.shutdownRequested === true,
    };
  } catch {
    return empty;
  }
}
