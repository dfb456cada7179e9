import { silentLogger, StreamsBuilder } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { describe, expect, it } from 'vitest';
import { StreamsAssignor } from '../src/assignment/StreamsAssignor';
import { TaskLayout } from '../src/assignment/TaskLayout';

/** Two sub-topologies: clicks+views merged (one task reads both), then a count behind a repartition topic. */
function layout() {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { page: string }>(['clicks', 'views'])
    .groupBy((_k, v) => v.page)
    .count({ name: 'per-page' });
  const topology = builder.build();
  const partitions: Record<string, number> = { clicks: 3, views: 3 };
  const plan = planPartitions(topology, (t) => partitions[t]);
  return new TaskLayout(topology, plan, 'app', (t) => partitions[t]);
}

describe('TaskLayout', () => {
  it('lists one task per sub-topology and partition, with partition p of every source topic', () => {
    const l = layout();
    expect(l.tasks.map((t) => t.id)).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
    expect(l.task('0_1')!.inputs).toEqual([
      { topic: 'clicks', partition: 1 },
      { topic: 'views', partition: 1 },
    ]);
    const repartition = l.task('1_2')!.inputs;
    expect(repartition).toHaveLength(1);
    expect(repartition[0]!.topic).toMatch(/^app-.*-repartition$/);
    expect(l.topics).toEqual(['clicks', 'views', repartition[0]!.topic]);
  });

  it('finds the complete tasks of an assignment', () => {
    const l = layout();
    const tasks = l.tasksFor([
      { topic: 'clicks', partition: 0 },
      { topic: 'views', partition: 0 },
      { topic: 'clicks', partition: 1 }, // views-1 missing: task 0_1 is incomplete
    ]);
    expect(tasks.map((t) => t.id)).toEqual(['0_0']);
  });
});

describe('StreamsAssignor', () => {
  it('assigns by task: the partitions a task reads go to one member together', () => {
    const l = layout();
    const assignor = new StreamsAssignor(l, () => [], silentLogger);
    const empty = assignor.userData();
    const plan = assignor.assign([
      { memberId: 'm1', topics: l.topics, userData: empty },
      { memberId: 'm2', topics: l.topics, userData: empty },
    ]);
    const all = [...plan.values()].flatMap((a) => a.partitions);
    expect(all).toHaveLength(3 + 3 + 3);
    for (const assignment of plan.values()) {
      const clicks = assignment.partitions.filter((p) => p.topic === 'clicks').map((p) => p.partition);
      const views = assignment.partitions.filter((p) => p.topic === 'views').map((p) => p.partition);
      expect(clicks).toEqual(views);
    }
  });

  it('keeps each member on the tasks it reports running (sticky across rebalances)', () => {
    const l = layout();
    const running = new Map([
      ['m1', ['0_0', '1_1', '0_2']],
      ['m2', ['0_1', '1_0', '1_2']],
    ]);
    const members = [...running].map(([memberId, tasks]) => ({
      memberId,
      topics: l.topics,
      userData: new StreamsAssignor(l, () => tasks, silentLogger).userData(),
    }));
    const plan = new StreamsAssignor(l, () => [], silentLogger).assign(members);
    for (const [memberId, tasks] of running) {
      const owned = l.tasksFor(plan.get(memberId)!.partitions).map((t) => t.id).sort();
      expect(owned).toEqual([...tasks].sort());
    }
  });

  it('treats unreadable member metadata as a member without history', () => {
    const l = layout();
    const plan = new StreamsAssignor(l, () => [], silentLogger).assign([
      { memberId: 'm1', topics: l.topics, userData: Buffer.from('not json') },
    ]);
    expect(plan.get('m1')!.partitions).toHaveLength(9);
  });

  describe('cooperative rebalancing', () => {
    const member = (l: TaskLayout, memberId: string, tasks: string[], cooperative = true) => ({
      memberId,
      topics: l.topics,
      userData: new StreamsAssignor(l, () => tasks, silentLogger, { cooperative }).userData(),
    });
    const tasksOf = (l: TaskLayout, plan: Map<string, { partitions: readonly { topic: string; partition: number }[] }>, memberId: string) =>
      l.tasksFor(plan.get(memberId)!.partitions).map((t) => t.id).sort();

    it('gives a task that moves away from a member still in the group to nobody, until its owner has let it go', () => {
      const l = layout();
      const all = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'];
      const leader = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true });
      const first = leader.assign([member(l, 'm1', all), member(l, 'm2', [])]);
      const kept = tasksOf(l, first, 'm1');
      expect(kept).toHaveLength(3);
      expect(tasksOf(l, first, 'm2')).toEqual([]);
      // Every member is asked to rejoin at once for the follow-up rebalance.
      expect([...first.values()].every((a) => leader.rejoinRequested(a.userData))).toBe(true);
      // m1 gave up the other three and rejoined: now m2 gets them.
      const second = leader.assign([member(l, 'm1', kept), member(l, 'm2', [])]);
      expect(tasksOf(l, second, 'm1')).toEqual(kept);
      expect(tasksOf(l, second, 'm2')).toEqual(all.filter((t) => !kept.includes(t)));
      expect([...second.values()].some((a) => leader.rejoinRequested(a.userData))).toBe(false);
    });

    it('hands the tasks of a member that left to the others at once', () => {
      const l = layout();
      const plan = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true }).assign([member(l, 'm1', ['0_0', '0_1', '1_0']), member(l, 'm3', [])]);
      expect([...tasksOf(l, plan, 'm1'), ...tasksOf(l, plan, 'm3')].sort()).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
    });

    it('holds nothing back while any member rebalances eagerly (it would never rejoin for them)', () => {
      const l = layout();
      const all = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'];
      const plan = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true }).assign([member(l, 'm1', all), member(l, 'm2', [], false)]);
      expect(tasksOf(l, plan, 'm1')).toHaveLength(3);
      expect(tasksOf(l, plan, 'm2')).toHaveLength(3);
    });

    it('does not hold back a task two members claim: the plan decides, as in an eager rebalance', () => {
      const l = layout();
      const plan = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true }).assign([member(l, 'm1', ['0_0', '0_1', '0_2']), member(l, 'm2', ['0_0', '1_0', '1_1'])]);
      expect([...tasksOf(l, plan, 'm1'), ...tasksOf(l, plan, 'm2')].sort()).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
    });
  });
});
