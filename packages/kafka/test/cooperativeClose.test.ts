// A cooperative rebalance that reaches an instance while it closes: the tasks it is told to
// give up are no longer claimed in its subscription. Were they claimed, the group leader
// would hold them back from their new owner again at every rebalance while the close runs
// (seen in the rebalance storm: a closing member's tasks stood still for 12 s).
import type { StreamsBuilder } from '@tributary/core';
import type { GroupAssignor } from '../src/client/StreamsClient';
import { decodeSubscription } from '../src/assignment/SubscriptionInfo';
import { describe, expect, it } from 'vitest';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const copying = (builder: StreamsBuilder) => builder.stream<string, { n: number }>('in').to('out');

describe('a closing instance in a cooperative rebalance', () => {
  it('stops claiming the tasks it gives up', async () => {
    const kafka = new FakeKafka();
    kafka.cooperativeRebalancing = true;
    kafka.createTopic('in', 2);
    kafka.createTopic('out', 2);
    for (let n = 0; n < 20; n++) kafka.append('in', `k${n}`, { n }, { partition: n % 2 });
    const streams = app(kafka, copying, { commitIntervalMs: 60_000 });
    await streams.start();
    await until(() => streams.metrics().processed === 20, 'processing');
    const consumer = kafka.consumer!;
    const claimed = () => decodeSubscription((consumer as unknown as { assignor: GroupAssignor }).assignor.userData()).tasks;
    expect([...claimed()].sort()).toEqual(['0_0', '0_1']);

    // The close waits for acknowledgements held back: the member is closing and still in the group.
    kafka.holdAcks = true;
    for (let n = 20; n < 30; n++) kafka.append('in', `k${n}`, { n }, { partition: n % 2 });
    await until(() => streams.metrics().processed === 30, 'processing the held records');
    const closing = streams.close();
    await until(() => streams.state === 'PENDING_SHUTDOWN', 'closing');
    await new Promise((resolve) => setImmediate(resolve));
    await consumer.reassign([{ topic: 'in', partition: 0 }]);
    expect(claimed()).toEqual(['0_0']);
    kafka.releaseAcks();
    kafka.holdAcks = false;
    await closing;
  });
});
