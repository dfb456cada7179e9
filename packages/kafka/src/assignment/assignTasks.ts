/** A group member, the tasks it ran before this rebalance, and the other task state it holds. */
export interface TaskOwner {
  readonly memberId: string;
  readonly previousTasks: readonly string[];
  /**
   * Task id -> the sum of the changelog offsets its stores hold here (a standby's copy, or a
   * checkpoint on disk): the larger, the more caught up. Absent: the member holds no state of it.
   */
  readonly offsetSums?: ReadonlyMap<string, number>;
}

/**
 * Spreads tasks over members the way Kafka Streams' assignor aims to (simplified): every
 * member gets `floor(T/M)` or `ceil(T/M)` tasks; a member keeps the tasks it ran as far as
 * that balance allows (sticky: its state is warm, nothing to restore); the other tasks go
 * one by one to the member with the fewest tasks, and among those to the one with the
 * fewest tasks of the same sub-topology, so each sub-topology is spread too. A task whose
 * owner is gone goes first to the member with the most caught-up copy of its state (a
 * standby replica, a checkpoint on disk) that still has room, so it restores the least.
 *
 * Pure and deterministic (members are ordered by id), so every leader computes the same.
 */
export function assignTasks(taskIds: readonly string[], members: readonly TaskOwner[]): Map<string, string[]> {
  const ordered = [...members].sort((a, b) => compare(a.memberId, b.memberId));
  const result = new Map<string, string[]>(ordered.map((m) => [m.memberId, []]));
  if (ordered.length === 0) return result;
  const valid = new Set(taskIds);
  const minQuota = Math.floor(taskIds.length / ordered.length);
  let atMaxAllowance = taskIds.length - minQuota * ordered.length;
  const claimed = new Set<string>();

  // Sticky first: members that ran the most tasks keep theirs first (up to their quota).
  const byPrevious = [...ordered].sort((a, b) => b.previousTasks.length - a.previousTasks.length || compare(a.memberId, b.memberId));
  for (const member of byPrevious) {
    const limit = atMaxAllowance > 0 ? minQuota + 1 : minQuota;
    const kept = result.get(member.memberId)!;
    for (const task of member.previousTasks) {
      if (kept.length >= limit) break;
      if (!valid.has(task) || claimed.has(task)) continue;
      claimed.add(task);
      kept.push(task);
    }
    if (kept.length > minQuota) atMaxAllowance--;
  }

  const subTopologyOf = (task: string) => task.slice(0, task.indexOf('_'));
  const unassigned = taskIds.filter((t) => !claimed.has(t)).sort(byTaskId);
  // A member has room below its quota; one more member may reach minQuota + 1 while atMaxAllowance lasts.
  const hasRoom = (tasks: string[]) => tasks.length < minQuota || (tasks.length === minQuota && atMaxAllowance > 0);
  for (const task of unassigned) {
    const sub = subTopologyOf(task);
    let best: string[] | undefined;
    let bestSame = 0;
    let bestSum = -1;
    for (const member of ordered) {
      const tasks = result.get(member.memberId)!;
      if (!hasRoom(tasks)) continue;
      const sum = member.offsetSums?.get(task) ?? -1;
      const same = tasks.reduce((n, t) => (subTopologyOf(t) === sub ? n + 1 : n), 0);
      const better = !best || sum > bestSum || (sum === bestSum && (tasks.length < best.length || (tasks.length === best.length && same < bestSame)));
      if (better) {
        best = tasks;
        bestSame = same;
        bestSum = sum;
      }
    }
    if (best!.length === minQuota) atMaxAllowance--;
    best!.push(task);
  }
  for (const tasks of result.values()) tasks.sort(byTaskId);
  return result;
}

function byTaskId(a: string, b: string): number {
  const [subA, partA] = a.split('_').map(Number) as [number, number];
  const [subB, partB] = b.split('_').map(Number) as [number, number];
  return subA - subB || partA - partB;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
