import { defaultPartition } from '@tributary/core/runtime';
import { describe, expect, it } from 'vitest';
import { encodeAssignment } from '../src/assignment/AssignmentInfo';
import { decodeSubscription } from '../src/assignment/SubscriptionInfo';
import type { TopicPartition } from '../src/client/StreamsClient';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const counting = (builder: Parameters<Parameters<typeof app>[1]>[0]) =>
  builder.stream<string, string>('events').groupByKey().count({ name: 'totals' }).toStream().to('counts');

const part = (partition: number): TopicPartition => ({ topic: 'events', partition });

/** A group of this member alone, whose assignments the test writes: its tasks and standbys. */
function group(): FakeKafka {
  const kafka = new FakeKafka();
  kafka.createTopic('events', 2);
  kafka.createTopic('counts', 2);
  kafka.createTopic('app-totals-changelog', 2, { 'cleanup.policy': 'compact' });
  return kafka;
}

function plan(kafka: FakeKafka, tasks: string[], standbys: string[]): void {
  kafka.assignmentUserData = () => encodeAssignment(tasks, new Map(), standbys);
}

describe('standby tasks (numStandbyReplicas)', () => {
  it('keep a copy of a task run elsewhere from its changelog, report how far it got, and hand it over when the task moves here', async () => {
    const kafka = group();
    // Task 0_1 ran on another instance: its changelog says a=3, b=1.
    for (const [key, count] of [['a', 1], ['a', 2], ['b', 1], ['a', 3]] as const) kafka.append('app-totals-changelog', JSON.stringify(key), count, { partition: 1 });
    kafka.initialAssignment = [part(0)];
    plan(kafka, ['0_0'], ['0_1']);
    await using streams = app(kafka, counting, { numStandbyReplicas: 1 });
    const restores: { partition: number; startOffset?: number; restored: number; fromCheckpoint?: boolean }[] = [];
    streams.events.subscribe((e) => e.type === 'restore' && restores.push(e));
    await streams.start();

    expect(streams.assignedTasks()).toEqual(['0_0']);
    await until(() => streams.standbyTasks().join() === '0_1', 'the standby of 0_1');
    const subscription = () => decodeSubscription(kafka.consumer!['assignor'].userData());
    await until(() => subscription().offsetSums?.get('0_1') === 4, 'the standby to read the whole changelog');
    expect(streams.metrics().standbyTasks).toEqual([{ id: '0_1', offsetSum: 4 }]);

    // The other instance writes once more before it dies; the standby follows.
    kafka.append('app-totals-changelog', JSON.stringify('b'), 2, { partition: 1 });
    await until(() => subscription().offsetSums?.get('0_1') === 5, 'the standby to follow the changelog');

    // Task 0_1 moves here: it takes the standby's stores and restores nothing.
    kafka.append('events', 'a', 'click', { partition: 1 });
    plan(kafka, ['0_0', '0_1'], []);
    await kafka.consumer!.rebalance([part(0), part(1)]);
    await until(() => kafka.read('counts').length === 1, 'the count of the new event');
    expect(kafka.read('counts')[0]).toMatchObject({ key: 'a', value: 4 });
    expect(restores.filter((r) => r.partition === 1)).toEqual([expect.objectContaining({ startOffset: 5, restored: 0, fromCheckpoint: true })]);
    expect(streams.standbyTasks()).toEqual([]);
    expect(streams.store<string, number>('totals').get('b')).toBe(2);
    // The adopted store writes the active task's changelog.
    await until(() => kafka.read('app-totals-changelog').some((r) => r.partition === 1 && r.offset === 5), 'the changelog record of the new count');
    expect(kafka.read('app-totals-changelog').find((r) => r.partition === 1 && r.offset === 5)).toMatchObject({ key: '"a"', value: 4 });
  });

  it('answer stale reads from the standby copy, in process and over HTTP, and only when asked', async () => {
    const kafka = group();
    // A key of partition 1 (task 0_1), as the store's key serde (strings) and the default partitioner place it.
    const key = ['a', 'b', 'c', 'd', 'e', 'f'].find((k) => defaultPartition(Buffer.from(k), 2) === 1)!;
    for (const count of [1, 2]) kafka.append('app-totals-changelog', JSON.stringify(key), count, { partition: 1 });
    kafka.initialAssignment = [part(0)];
    plan(kafka, ['0_0'], ['0_1']);
    await using streams = app(kafka, counting, { numStandbyReplicas: 1, http: { port: 0, host: '127.0.0.1', dashboard: false } });
    await streams.start();
    await until(() => streams.store<string, number>('totals', { staleReads: true }).get(key) === 2, 'the standby copy of the key');
    expect(streams.store<string, number>('totals').get(key)).toBeUndefined();

    const { url } = streams.httpAddress()!;
    const stale = await fetch(`${url}/stores/totals/keys/${key}?stale=true`);
    expect(stale.status, await stale.clone().text()).toBe(200);
    expect(await stale.json()).toEqual({ store: 'totals', key, value: 2, stale: true });
    const fresh = await fetch(`${url}/stores/totals/keys/${key}`);
    expect(fresh.status).toBe(503); // the owner of 0_1 advertises no endpoint here
    const bad = await fetch(`${url}/stores/totals/keys/${key}?stale=yes`);
    expect(bad.status).toBe(400);
  });

  it('keep no standby without numStandbyReplicas, and report no offset sums', async () => {
    const kafka = group();
    kafka.initialAssignment = [part(0)];
    plan(kafka, ['0_0'], ['0_1']);
    await using streams = app(kafka, counting);
    await streams.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(streams.standbyTasks()).toEqual([]);
    expect(decodeSubscription(kafka.consumer!['assignor'].userData()).offsetSums).toBeUndefined();
  });

  it('drop a standby the next assignment no longer gives, and never keep one of a task run here', async () => {
    const kafka = group();
    kafka.initialAssignment = [part(0)];
    plan(kafka, ['0_0'], ['0_1']);
    await using streams = app(kafka, counting, { numStandbyReplicas: 1 });
    await streams.start();
    await until(() => streams.standbyTasks().join() === '0_1', 'the standby of 0_1');
    plan(kafka, ['0_0'], ['0_0']); // a confused leader: a standby of the member's own task
    await kafka.consumer!.rebalance([part(0)]);
    await until(() => streams.standbyTasks().length === 0, 'the standby to go');
    expect(streams.assignedTasks()).toEqual(['0_0']);
  });

  it('rejects a numStandbyReplicas that is not a whole number', () => {
    expect(() => app(group(), counting, { numStandbyReplicas: -1 })).toThrow('numStandbyReplicas must be a whole number >= 0, got -1');
    expect(() => app(group(), counting, { numStandbyReplicas: 1.5 })).toThrow('numStandbyReplicas must be a whole number >= 0, got 1.5');
  });
});
