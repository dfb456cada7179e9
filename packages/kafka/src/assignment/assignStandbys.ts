import type { TaskOwner } from './assignTasks';

/**
 * Places `replicas` standby copies of each stateful task (Kafka Streams'
 * `num.standby.replicas`): never on the member running the task, nor twice on one member.
 * A copy goes first to the member whose copy of the task's state is the most caught up
 * (it keeps what it has), then to the member with the fewest standbys, then by member id.
 * With fewer members than `replicas + 1`, a task gets as many copies as there are other
 * members.
 *
 * Pure and deterministic, like {@link assignTasks}.
 */
export function assignStandbys(
  statefulTasks: readonly string[],
  active: ReadonlyMap<string, readonly string[]>,
  members: readonly TaskOwner[],
  replicas: number,
): Map<string, string[]> {
  const ordered = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const result = new Map<string, string[]>(ordered.map((m) => [m.memberId, []]));
  if (replicas <= 0) return result;
  const runner = new Map<string, string>();
  for (const [memberId, tasks] of active) for (const task of tasks) runner.set(task, memberId);
  for (const task of statefulTasks) {
    const holders = new Set<string>([runner.get(task) ?? '']);
    for (let copy = 0; copy < replicas; copy++) {
      let best: TaskOwner | undefined;
      for (const member of ordered) {
        if (holders.has(member.memberId)) continue;
        if (!best || isBetterHolder(member, best, task, result)) best = member;
      }
      if (!best) break;
      holders.add(best.memberId);
      result.get(best.memberId)!.push(task);
    }
  }
  return result;
}

function isBetterHolder(candidate: TaskOwner, best: TaskOwner, task: string, placed: ReadonlyMap<string, string[]>): boolean {
  const sum = candidate.offsetSums?.get(task) ?? -1;
  const bestSum = best.offsetSums?.get(task) ?? -1;
  if (sum !== bestSum) return sum > bestSum;
  return placed.get(candidate.memberId)!.length < placed.get(best.memberId)!.length;
}
