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

    describe('when every member hands over', () => {
      const handingOver = (l: TaskLayout, memberId: string, tasks: string[], handover = true) => ({
        memberId,
        topics: l.topics,
        userData: new StreamsAssignor(l, () => tasks, silentLogger, { cooperative: true, handover }).userData(),
      });

      it('gives a task that moves away from a member still in the group to its new owner at once, marked as handed over', () => {
        const l = layout();
        const all = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'];
        const leader = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true, handover: true });
        const plan = leader.assign([handingOver(l, 'm1', all), handingOver(l, 'm2', [])]);
        const kept = tasksOf(l, plan, 'm1');
        const moved = tasksOf(l, plan, 'm2');
        expect(kept).toHaveLength(3);
        expect([...kept, ...moved].sort()).toEqual(all);
        // No follow-up rebalance; m2 learns which of its partitions to start only once m1 has committed them.
        expect([...plan.values()].some((a) => leader.rejoinRequested(a.userData))).toBe(false);
        const handedOver = leader.handedOverPartitions(plan.get('m2')!.userData);
        expect(l.tasksFor(handedOver).map((t) => t.id).sort()).toEqual(moved);
        expect(handedOver).toHaveLength(plan.get('m2')!.partitions.length);
        expect(leader.handedOverPartitions(plan.get('m1')!.userData)).toEqual([]);
      });

      it('marks nothing handed over that came from a member that left', () => {
        const l = layout();
        const leader = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true, handover: true });
        const plan = leader.assign([handingOver(l, 'm1', ['0_0', '0_1', '1_0']), handingOver(l, 'm3', [])]);
        expect([...tasksOf(l, plan, 'm1'), ...tasksOf(l, plan, 'm3')].sort()).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
        expect(tasksOf(l, plan, 'm1')).toHaveLength(3);
        expect(leader.handedOverPartitions(plan.get('m3')!.userData)).toEqual([]);
      });

      it('gives a leaving member nothing: its tasks go to the others, marked as handed over, unless every member is leaving', () => {
        const l = layout();
        const all = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'];
        const leaving = new StreamsAssignor(l, () => all.slice(0, 3), silentLogger, { cooperative: true, handover: true });
        leaving.leave();
        const m1 = { memberId: 'm1', topics: l.topics, userData: leaving.userData() };
        const leader = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true, handover: true });
        const plan = leader.assign([m1, handingOver(l, 'm2', all.slice(3))]);
        expect(tasksOf(l, plan, 'm1')).toEqual([]);
        expect(tasksOf(l, plan, 'm2')).toEqual(all);
        expect(l.tasksFor(leader.handedOverPartitions(plan.get('m2')!.userData)).map((t) => t.id).sort()).toEqual(all.slice(0, 3));
        // Alone, a leaving member keeps its tasks: there is nobody to give them to.
        expect(tasksOf(l, leader.assign([m1]), 'm1')).toEqual(all);
      });

      it('holds moving tasks back, as before, while any member does not hand over', () => {
        const l = layout();
        const all = ['0_0', '0_1', '0_2', '1_0', '1_1', '1_2'];
        const leader = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true, handover: true });
        const plan = leader.assign([handingOver(l, 'm1', all), handingOver(l, 'm2', [], false)]);
        expect(tasksOf(l, plan, 'm2')).toEqual([]);
        expect([...plan.values()].every((a) => leader.rejoinRequested(a.userData))).toBe(true);
        expect(leader.handedOverPartitions(plan.get('m2')!.userData)).toEqual([]);
      });
    });

    it('does not hold back a task two members claim: the plan decides, as in an eager rebalance', () => {
      const l = layout();
      const plan = new StreamsAssignor(l, () => [], silentLogger, { cooperative: true }).assign([member(l, 'm1', ['0_0', '0_1', '0_2']), member(l, 'm2', ['0_0', '1_0', '1_1'])]);
      expect([...tasksOf(l, plan, 'm1'), ...tasksOf(l, plan, 'm2')].sort()).toEqual(['0_0', '0_1', '0_2', '1_0', '1_1', '1_2']);
    });
  });
});
