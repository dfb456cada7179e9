import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignStandbys } from '../src/assignment/assignStandbys';
import { assignTasks } from '../src/assignment/assignTasks';

const tasks = (subs: number, partitions: number) => Array.from({ length: subs * partitions }, (_, i) => `${Math.floor(i / partitions)}_${i % partitions}`);
const counts = (assignment: Map<string, string[]>) => [...assignment.values()].map((t) => t.length);

describe('assignTasks', () => {
  it('gives every member floor(T/M) or ceil(T/M) tasks', () => {
    const assignment = assignTasks(tasks(1, 8), [
      { memberId: 'a', previousTasks: [] },
      { memberId: 'b', previousTasks: [] },
      { memberId: 'c', previousTasks: [] },
    ]);
    expect(counts(assignment).sort()).toEqual([2, 3, 3]);
    expect([...assignment.values()].flat().sort()).toEqual(tasks(1, 8).sort());
  });

  it('leaves tasks where they ran when the group is balanced (sticky)', () => {
    const before = { a: ['0_0', '0_2'], b: ['0_1', '0_3'] };
    const assignment = assignTasks(tasks(1, 4), [
      { memberId: 'b', previousTasks: before.b },
      { memberId: 'a', previousTasks: before.a },
    ]);
    expect(assignment.get('a')).toEqual(before.a);
    expect(assignment.get('b')).toEqual(before.b);
  });

  it('a member that joins takes tasks from the others, who keep the rest', () => {
    const all = tasks(1, 8);
    const assignment = assignTasks(all, [
      { memberId: 'a', previousTasks: ['0_0', '0_1', '0_2', '0_3'] },
      { memberId: 'b', previousTasks: ['0_4', '0_5', '0_6', '0_7'] },
      { memberId: 'c', previousTasks: [] },
    ]);
    expect(counts(assignment).sort()).toEqual([2, 3, 3]);
    expect(assignment.get('c')!.length).toBe(2);
    // Each old member keeps a subset of what it had.
    expect(assignment.get('a')!.every((t) => ['0_0', '0_1', '0_2', '0_3'].includes(t))).toBe(true);
    expect(assignment.get('b')!.every((t) => ['0_4', '0_5', '0_6', '0_7'].includes(t))).toBe(true);
  });

  it('hands the tasks of a member that left to the survivors, keeping theirs', () => {
    const assignment = assignTasks(tasks(1, 6), [
      { memberId: 'a', previousTasks: ['0_0', '0_1'] },
      { memberId: 'b', previousTasks: ['0_2', '0_3'] },
    ]);
    expect(assignment.get('a')!.slice(0, 2)).toEqual(['0_0', '0_1']);
    expect(assignment.get('b')!).toEqual(expect.arrayContaining(['0_2', '0_3']));
    expect(counts(assignment)).toEqual([3, 3]);
  });

  it('ignores unknown tasks and tasks two members claim', () => {
    const assignment = assignTasks(tasks(1, 2), [
      { memberId: 'a', previousTasks: ['0_0', '9_9'] },
      { memberId: 'b', previousTasks: ['0_0'] },
    ]);
    expect([...assignment.values()].flat().sort()).toEqual(['0_0', '0_1']);
    expect(counts(assignment)).toEqual([1, 1]);
  });

  it('spreads the tasks of each sub-topology over the members', () => {
    const assignment = assignTasks(tasks(2, 4), [
      { memberId: 'a', previousTasks: [] },
      { memberId: 'b', previousTasks: [] },
    ]);
    for (const member of assignment.values()) {
      expect(member.filter((t) => t.startsWith('0_'))).toHaveLength(2);
      expect(member.filter((t) => t.startsWith('1_'))).toHaveLength(2);
    }
  });

  it('is the same whatever order the members arrive in', () => {
    const members = [
      { memberId: 'b', previousTasks: ['0_1'] },
      { memberId: 'a', previousTasks: [] },
      { memberId: 'c', previousTasks: ['0_3', '0_0'] },
    ];
    expect(assignTasks(tasks(1, 5), members)).toEqual(assignTasks(tasks(1, 5), [...members].reverse()));
  });

  it("gives a dead member's task to the member with the most caught-up copy of its state", () => {
    const assignment = assignTasks(tasks(1, 4), [
      { memberId: 'a', previousTasks: ['0_0'], offsetSums: new Map([['0_3', 900]]) },
      { memberId: 'b', previousTasks: ['0_1'], offsetSums: new Map([['0_2', 5], ['0_3', 10]]) },
      // 0_2 and 0_3 ran on a member that is gone: 'b' has the only copy of 0_2, 'a' the better copy of 0_3.
    ]);
    expect(assignment.get('a')).toEqual(['0_0', '0_3']);
    expect(assignment.get('b')).toEqual(['0_1', '0_2']);
  });

  it('keeps the balance over a caught-up copy: a full member does not take another task', () => {
    const assignment = assignTasks(tasks(1, 4), [
      { memberId: 'a', previousTasks: ['0_0', '0_1'], offsetSums: new Map([['0_2', 100], ['0_3', 100]]) },
      { memberId: 'b', previousTasks: [] },
    ]);
    expect(assignment.get('a')).toEqual(['0_0', '0_1']);
    expect(assignment.get('b')).toEqual(['0_2', '0_3']);
  });

  it('assigns every task exactly once, balanced, for any history and any copies of state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 13 })), { maxLength: 10 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 13 }), fc.nat(1000)), { maxLength: 20 }),
        (subs, partitions, histories, copies) => {
          const all = tasks(subs, partitions);
          const members = histories.map((h, i) => ({
            memberId: `m${i}`,
            previousTasks: h.map(([s, p]) => `${s}_${p}`),
            offsetSums: new Map(copies.filter(([m]) => m === i).map(([, s, p, sum]) => [`${s}_${p}`, sum])),
          }));
          const assignment = assignTasks(all, members);
          const assigned = [...assignment.values()].flat();
          expect(assigned.sort()).toEqual([...all].sort());
          const sizes = counts(assignment);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('assignStandbys', () => {
  const members = (...ids: string[]) => ids.map((memberId) => ({ memberId, previousTasks: [] }));

  it('places each copy on a member other than the runner, spread evenly', () => {
    const active = new Map([
      ['a', ['0_0', '0_1']],
      ['b', ['0_2', '0_3']],
    ]);
    const standbys = assignStandbys(tasks(1, 4), active, members('a', 'b', 'c'), 1);
    for (const [memberId, copies] of standbys) for (const task of copies) expect(active.get(memberId) ?? []).not.toContain(task);
    expect([...standbys.values()].flat().sort()).toEqual(tasks(1, 4));
    expect(counts(standbys).sort()).toEqual([1, 1, 2]);
  });

  it('keeps a copy where the most caught-up state is', () => {
    const active = new Map([['a', ['0_0']]]);
    const standbys = assignStandbys(['0_0'], active, [...members('a', 'b'), { memberId: 'c', previousTasks: [], offsetSums: new Map([['0_0', 42]]) }], 1);
    expect(standbys.get('c')).toEqual(['0_0']);
    expect(standbys.get('b')).toEqual([]);
  });

  it('gives as many copies as there are other members, never two on one member', () => {
    const standbys = assignStandbys(['0_0'], new Map([['a', ['0_0']]]), members('a', 'b'), 3);
    expect(standbys.get('b')).toEqual(['0_0']);
    expect(standbys.get('a')).toEqual([]);
  });

  it('places nothing with zero replicas', () => {
    expect([...assignStandbys(tasks(1, 2), new Map(), members('a', 'b'), 0).values()].flat()).toEqual([]);
  });
});
