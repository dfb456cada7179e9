import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

  it('assigns every task exactly once, balanced, for any history', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 13 })), { maxLength: 10 }), { minLength: 1, maxLength: 6 }),
        (subs, partitions, histories) => {
          const all = tasks(subs, partitions);
          const members = histories.map((h, i) => ({ memberId: `m${i}`, previousTasks: h.map(([s, p]) => `${s}_${p}`) }));
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
