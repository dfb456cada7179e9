import { silentLogger, StreamsBuilder } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, encodeAssignment } from '../src/assignment/AssignmentInfo';
import { StreamsAssignor } from '../src/assignment/StreamsAssignor';
import { decodeSubscription, encodeSubscription, USER_DATA_VERSION } from '../src/assignment/SubscriptionInfo';
import { TaskLayout } from '../src/assignment/TaskLayout';

/** One sub-topology reading 6 partitions: tasks 0_0 .. 0_5. */
function layout(): TaskLayout {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('events').groupByKey().count({ name: 'counts' });
  const topology = builder.build();
  return new TaskLayout(topology, planPartitions(topology, () => 6), 'app', () => 6);
}

/** What a version 1 member (before endpoints) sent and how it read user data. */
const v1 = {
  subscription: (tasks: string[]) => Buffer.from(JSON.stringify({ version: 1, tasks })),
  assignment: (tasks: string[]) => Buffer.from(JSON.stringify({ version: 1, tasks })),
  read: (userData: Buffer) => {
    const info = JSON.parse(userData.toString('utf8')) as { version?: unknown; tasks?: unknown; shutdownRequested?: unknown };
    return { tasks: Array.isArray(info.tasks) ? info.tasks.filter((t) => typeof t === 'string') : [], shutdownRequested: info.shutdownRequested === true };
  },
};

describe('subscription user data', () => {
  it('carries the endpoint from version 2 on, and reads a version 1 subscription as one without', () => {
    const current = decodeSubscription(encodeSubscription({ tasks: ['0_1'], endpoint: 'orders-1:8080' }));
    expect(current).toEqual({ version: USER_DATA_VERSION, tasks: ['0_1'], shutdownRequested: false, endpoint: 'orders-1:8080' });
    expect(decodeSubscription(v1.subscription(['0_2']))).toEqual({ version: 1, tasks: ['0_2'], shutdownRequested: false });
  });

  it('carries the offset sums of the state a member holds from version 3 on, dropping values that are not numbers', () => {
    const sums = new Map([['0_2', 1200], ['0_5', 0]]);
    expect(decodeSubscription(encodeSubscription({ tasks: [], offsetSums: sums })).offsetSums).toEqual(sums);
    const tampered = Buffer.from(JSON.stringify({ version: 3, tasks: [], offsetSums: { '0_1': 'lots', '0_2': 7 } }));
    expect(decodeSubscription(tampered).offsetSums).toEqual(new Map([['0_2', 7]]));
    expect(decodeSubscription(v1.subscription([])).offsetSums).toBeUndefined();
  });

  it('says from version 5 on whether the member hands tasks over in one rebalance; older subscriptions read as not', () => {
    expect(decodeSubscription(encodeSubscription({ tasks: [], cooperative: true, handover: true })).handover).toBe(true);
    expect(decodeSubscription(Buffer.from(JSON.stringify({ version: 4, tasks: ['0_1'], cooperative: true }))).handover).toBeUndefined();
    expect(decodeAssignment(encodeAssignment(['0_1', '1_1'], new Map(), [], new Map(), false, ['1_1'])).handedOver).toEqual(['1_1']);
    expect(decodeAssignment(Buffer.from(JSON.stringify({ version: 4, tasks: ['0_1'], followUp: true }))).handedOver).toEqual([]);
  });

  it('says from version 4 on whether the member rebalances cooperatively; older subscriptions read as eager', () => {
    expect(decodeSubscription(encodeSubscription({ tasks: [], cooperative: true })).cooperative).toBe(true);
    expect(decodeSubscription(encodeSubscription({ tasks: [] })).cooperative).toBeUndefined();
    expect(decodeSubscription(Buffer.from(JSON.stringify({ version: 3, tasks: ['0_1'] }))).cooperative).toBeUndefined();
  });

  it('stays readable by a version 1 member: the fields it knows keep their place and type', () => {
    const data = encodeSubscription({ tasks: ['0_0', '0_3'], shutdownRequested: true, endpoint: 'orders-2:8080' });
    expect(v1.read(data)).toEqual({ tasks: ['0_0', '0_3'], shutdownRequested: true });
  });

  it('treats user data that is not a JSON object as a member without history', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('not json'), Buffer.from('[1,2]'), Buffer.from('null')]) {
      expect(decodeSubscription(bytes)).toEqual({ version: USER_DATA_VERSION, tasks: [] });
    }
  });
});

describe('assignment user data', () => {
  it('gives every member the whole endpoint -> tasks map; members without an endpoint are in no entry', () => {
    const l = layout();
    const leader = new StreamsAssignor(l, () => [], silentLogger, { endpoint: () => 'a:1' });
    const plan = leader.assign([
      { memberId: 'm1', topics: l.topics, userData: encodeSubscription({ tasks: ['0_0', '0_1'], endpoint: 'a:1' }) },
      { memberId: 'm2', topics: l.topics, userData: encodeSubscription({ tasks: ['0_2', '0_3'], endpoint: 'b:2' }) },
      { memberId: 'm3', topics: l.topics, userData: v1.subscription(['0_4', '0_5']) },
    ]);
    const infos = [...plan].map(([memberId, a]) => ({ memberId, info: decodeAssignment(a.userData) }));
    const expectedHosts = new Map([
      ['a:1', ['0_0', '0_1']],
      ['b:2', ['0_2', '0_3']],
    ]);
    for (const { memberId, info } of infos) {
      expect(info.version).toBe(USER_DATA_VERSION);
      expect(info.hosts).toEqual(expectedHosts);
      // Each member's own tasks, as version 1 members read them too.
      const own = l.tasksFor(plan.get(memberId)!.partitions).map((t) => t.id);
      expect(info.tasks).toEqual(own);
      expect(v1.read(plan.get(memberId)!.userData).tasks).toEqual(own);
    }
    expect(infos.find((i) => i.memberId === 'm3')!.info.tasks).toEqual(['0_4', '0_5']);
  });

  it('reads a version 1 leader\'s assignment as one without a map', () => {
    expect(decodeAssignment(v1.assignment(['0_1']))).toEqual({ version: 1, tasks: ['0_1'], hosts: undefined, standbyTasks: [], standbyHosts: undefined, followUp: false, handedOver: [] });
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ version: 0, tasks: [], hosts: undefined, standbyTasks: [], standbyHosts: undefined, followUp: false, handedOver: [] });
  });

  it('places standby copies of stateful tasks off their runners and tells every member where they are', () => {
    const l = layout();
    const statefulTasks = l.tasks.map((t) => t.id);
    const leader = new StreamsAssignor(l, () => [], silentLogger, { endpoint: () => 'a:1', standby: { replicas: 1, statefulTasks, offsetSums: () => new Map() } });
    const plan = leader.assign([
      { memberId: 'm1', topics: l.topics, userData: encodeSubscription({ tasks: ['0_0', '0_1', '0_2'], endpoint: 'a:1', offsetSums: new Map([['0_4', 50]]) }) },
      { memberId: 'm2', topics: l.topics, userData: encodeSubscription({ tasks: ['0_3', '0_4', '0_5'], endpoint: 'b:2' }) },
    ]);
    const m1 = decodeAssignment(plan.get('m1')!.userData);
    const m2 = decodeAssignment(plan.get('m2')!.userData);
    expect(m1.standbyTasks).toEqual(['0_3', '0_4', '0_5']);
    expect(m2.standbyTasks).toEqual(['0_0', '0_1', '0_2']);
    expect(m1.standbyHosts).toEqual(new Map([['a:1', ['0_3', '0_4', '0_5']], ['b:2', ['0_0', '0_1', '0_2']]]));
  });

  it('sends no map when a member asked the application to shut down', () => {
    const l = layout();
    const plan = new StreamsAssignor(l, () => [], silentLogger).assign([
      { memberId: 'm1', topics: l.topics, userData: encodeSubscription({ tasks: [], shutdownRequested: true, endpoint: 'a:1' }) },
    ]);
    expect(plan.get('m1')).toMatchObject({ partitions: [], shutdownRequested: true });
  });
});
