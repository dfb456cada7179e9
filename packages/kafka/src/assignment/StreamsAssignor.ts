import type { Logger } from '@tributary/core';
import type { GroupAssignor, GroupMemberSubscription, MemberAssignment, TopicPartition } from '../client/StreamsClient';
import { decodeAssignment, encodeAssignment } from './AssignmentInfo';
import { assignStandbys } from './assignStandbys';
import { assignTasks, type TaskOwner } from './assignTasks';
import { decodeSubscription, encodeSubscription, USER_DATA_VERSION } from './SubscriptionInfo';
import type { TaskLayout } from './TaskLayout';

/**
 * The group assignor of a Tributary application (after Kafka Streams'
 * `StreamsPartitionAssigner`): it hands out tasks, not partitions, so partition `p` of every
 * source topic of a sub-topology goes to the same member, and keeps tasks where they ran.
 * Each member advertises its endpoint (`application.server`); the leader sends every member
 * the whole endpoint -> tasks map, so each instance knows where every key is served.
 * With standby replicas, each member also reports the state it holds of tasks it does not
 * run; the leader hands a task that moves to the member with the most caught-up copy, and
 * places `replicas` standby copies of every task with logged stores.
 *
 * Cooperative rebalancing (KIP-429, when every member says it does it): the tasks that stay
 * where they are never stop while the group rebalances, and a task is never run by two
 * members at once. A task that moves from a member still in the group to another either
 * - goes to its new owner at once, marked as handed over, when every member hands over
 *   (`handover`): its owner, finding it left out, commits it with a handover mark, and the
 *   new owner starts it once that mark is committed. One rebalance moves it; or
 * - is given to nobody in this generation: its owner commits it, closes it and rejoins, and
 *   the next generation gives it to its new owner (two rebalances, as in Kafka Streams).
 */
export class StreamsAssignor implements GroupAssignor {
  readonly name = 'tributary-streams';
  readonly version = USER_DATA_VERSION;
  private readonly endpoint: () => string | undefined;
  private readonly standby: StandbyPlacement;
  private readonly cooperative: boolean;
  private readonly handover: boolean;
  private shutdownRequested = false;
  private leaving = false;

  constructor(
    private readonly layout: TaskLayout,
    private readonly ownedTasks: () => readonly string[],
    private readonly logger: Logger,
    options: StreamsAssignorOptions = {},
  ) {
    this.endpoint = options.endpoint ?? (() => undefined);
    this.standby = options.standby ?? { replicas: 0, statefulTasks: [], offsetSums: () => new Map() };
    this.cooperative = options.cooperative ?? false;
    this.handover = this.cooperative && (options.handover ?? false);
  }

  /**
   * From the next join on, this member asks the group to shut down (Kafka Streams'
   * `SHUTDOWN_APPLICATION`): the leader then tells every member so in its assignment.
   */
  requestShutdown(): void {
    this.shutdownRequested = true;
  }

  /**
   * From the next join on, this member asks for its tasks to go to the others (it is closing
   * and goes on processing them until they have gone); only when it hands over.
   */
  leave(): void {
    this.leaving = this.handover;
  }

  userData(): Buffer {
    return encodeSubscription({
      tasks: [...this.ownedTasks()],
      shutdownRequested: this.shutdownRequested,
      endpoint: this.endpoint(),
      offsetSums: this.standby.offsetSums(),
      cooperative: this.cooperative,
      handover: this.handover,
      leaving: this.leaving,
    });
  }

  /** A member rejoins right after applying an assignment that says the leader held tasks back. */
  rejoinRequested(assignmentUserData: Buffer): boolean {
    return decodeAssignment(assignmentUserData).followUp;
  }

  /** The input partitions of the tasks the assignment says were handed over to this member. */
  handedOverPartitions(assignmentUserData: Buffer): TopicPartition[] {
    return decodeAssignment(assignmentUserData).handedOver.flatMap((id) => this.layout.task(id)?.inputs ?? []);
  }

  assign(members: readonly GroupMemberSubscription[]): Map<string, MemberAssignment> {
    const infos = members.map((m) => decodeSubscription(m.userData));
    if (infos.some((info) => info.shutdownRequested)) {
      this.logger.warn(`a member asked the application to shut down: telling all ${members.length} members`);
      return new Map(members.map((m) => [m.memberId, { partitions: [], userData: Buffer.alloc(0), shutdownRequested: true }]));
    }
    const owners = members.map((m, i) => ({ memberId: m.memberId, previousTasks: infos[i]!.tasks, offsetSums: infos[i]!.offsetSums }));
    // Members that are leaving get nothing (their tasks move away while they still run them), unless all are.
    const staying = owners.filter((_, i) => !infos[i]!.leaving);
    const eligible = staying.length > 0 ? staying : owners;
    const plan = assignTasks(
      this.layout.tasks.map((t) => t.id),
      eligible,
    );
    for (const owner of owners) if (!plan.has(owner.memberId)) plan.set(owner.memberId, []);
    const standbys = assignStandbys(this.standby.statefulTasks, plan, eligible, this.standby.replicas);
    const cooperative = infos.every((info) => info.cooperative);
    const handover = cooperative && infos.every((info) => info.handover);
    const handedOver = handover ? movingTasks(plan, owners) : new Map<string, string[]>();
    const withheld = cooperative && !handover ? holdBackMovingTasks(plan, owners) : [];
    const hosts = new Map<string, string[]>();
    const standbyHosts = new Map<string, string[]>();
    members.forEach((m, i) => {
      const endpoint = infos[i]!.endpoint;
      if (!endpoint) return;
      const tasks = hosts.get(endpoint);
      if (tasks) this.logger.warn(`two members advertise the endpoint ${endpoint}: queries to it reach only one of them; give each instance its own applicationServer`);
      hosts.set(endpoint, [...(tasks ?? []), ...(plan.get(m.memberId) ?? [])]);
      standbyHosts.set(endpoint, [...(standbyHosts.get(endpoint) ?? []), ...(standbys.get(m.memberId) ?? [])]);
    });
    const result = new Map<string, MemberAssignment>();
    for (const [memberId, tasks] of plan) {
      result.set(memberId, {
        partitions: tasks.flatMap((id) => this.layout.task(id)?.inputs ?? []),
        userData: encodeAssignment(tasks, hosts, standbys.get(memberId) ?? [], standbyHosts, withheld.length > 0, handedOver.get(memberId) ?? []),
      });
    }
    const standbyNote = this.standby.replicas > 0 ? `; standbys: ${[...standbys].map(([m, t]) => `${m}=[${t.join(',')}]`).join(' ')}` : '';
    const withheldNote = withheld.length > 0 ? `; held back until their owners give them up: [${withheld.join(',')}]` : '';
    const handedOverNote = handedOver.size > 0 ? `; handed over once their owners commit them: [${[...handedOver.values()].flat().sort().join(',')}]` : '';
    this.logger.info(`assigned ${this.layout.tasks.length} tasks to ${members.length} members: ${[...plan].map(([m, t]) => `${m}=[${t.join(',')}]`).join(' ')}${standbyNote}${withheldNote}${handedOverNote}`);
    return result;
  }
}

export interface StreamsAssignorOptions {
  /** This member's advertised `host:port`, read at each join; default: none advertised. */
  readonly endpoint?: () => string | undefined;
  /** Standby placement; default: no standby replicas. */
  readonly standby?: StandbyPlacement;
  /** This member rebalances cooperatively (it rejoins after giving up a task); default `false` (eager). */
  readonly cooperative?: boolean;
  /**
   * This member, cooperative, hands tasks over in one rebalance (it commits a task it gives up
   * with a handover mark, and waits for that mark before it starts a task handed over to it);
   * default `false`.
   */
  readonly handover?: boolean;
}

/**
 * Member id -> the tasks `plan` gives it that one other member reported running: they move
 * from a member still in the group. A task two members both claim (one of them out of date)
 * is not in it: the plan's choice stands, as in an eager rebalance.
 */
function movingTasks(plan: ReadonlyMap<string, readonly string[]>, owners: readonly TaskOwner[]): Map<string, string[]> {
  const claims = claimsByTask(owners);
  const moving = new Map<string, string[]>();
  for (const [memberId, tasks] of plan) {
    const arriving = tasks.filter((task) => {
      const claimants = claims.get(task);
      return claimants?.length === 1 && claimants[0] !== memberId;
    });
    if (arriving.length > 0) moving.set(memberId, arriving);
  }
  return moving;
}

function claimsByTask(owners: readonly TaskOwner[]): Map<string, string[]> {
  const claims = new Map<string, string[]>();
  for (const owner of owners) for (const task of owner.previousTasks) claims.set(task, [...(claims.get(task) ?? []), owner.memberId]);
  return claims;
}

/**
 * Removes from `plan` every task that moves away from a member that reported running it,
 * and returns those tasks: in this generation nobody gets them (cooperative rebalancing).
 * A task two members both claim (one of them out of date) is not held back: the plan's
 * choice stands, as in an eager rebalance.
 */
function holdBackMovingTasks(plan: Map<string, string[]>, owners: readonly TaskOwner[]): string[] {
  const withheld: string[] = [];
  for (const [memberId, arriving] of movingTasks(plan, owners)) {
    const moving = new Set(arriving);
    plan.set(memberId, plan.get(memberId)!.filter((task) => !moving.has(task)));
    withheld.push(...arriving);
  }
  return withheld.sort();
}

/** Standby replicas (Kafka Streams' `num.standby.replicas`), as the assignor places them. */
export interface StandbyPlacement {
  /** Copies of each stateful task kept on other members. */
  readonly replicas: number;
  /** The tasks with logged stores: only they get copies. */
  readonly statefulTasks: readonly string[];
  /** This member's copies of tasks it does not run: task id -> changelog offset sum, sent with each join. */
  readonly offsetSums: () => ReadonlyMap<string, number>;
}
