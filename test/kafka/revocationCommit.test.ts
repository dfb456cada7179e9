// Cooperative rebalancing on @platformatic/kafka (issue 15), at the client adapter: a member
// that gives partitions up commits them in `onRevoked` before it rejoins, even when another
// member gave its own up faster and started the follow-up rebalance meanwhile, so their new
// owner starts them at that commit. The client rejoins by itself when a heartbeat says the
// group rebalances; were it to do that during the slow member's commit, the follow-up
// rebalance would hand the partition over first, and its new owner would start it at the
// previous commit and process again what the old owner had done. Runs in the platformatic
// pass of the integration tests.
import type { Logger } from '@tributary/core';
import { createNamedClient, type GroupAssignor, type GroupConsumer, type TopicPartition } from '@tributary/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { brokers, createKafka, createTopic, uniqueName, waitFor } from '../harness';
import { committedOffsets } from './support';

const PARTITIONS = 4;
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Partition `p` belongs to the `p % n`-th of the `n` members by name; one still owned by
 * another live member is given to nobody for a generation (so its owner gives it up first).
 */
function holdingBackAssignor(name: string, owned: () => readonly number[]): GroupAssignor {
  return {
    name: 'test-holding-back',
    version: 0,
    userData: () => Buffer.from(JSON.stringify({ name, owned: owned() })),
    assign(members) {
      const subscriptions = members
        .map((m) => ({ memberId: m.memberId, ...(JSON.parse(m.userData.toString()) as { name: string; owned: number[] }) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const assigned = new Map(subscriptions.map((s) => [s.memberId, [] as number[]]));
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const target = subscriptions[partition % subscriptions.length]!;
        const owner = subscriptions.find((s) => s.owned.includes(partition));
        if (owner === undefined || owner.memberId === target.memberId) assigned.get(target.memberId)!.push(partition);
      }
      return new Map([...assigned].map(([memberId, partitions]) => [memberId, { partitions: partitions.map((partition) => ({ topic, partition })), userData: Buffer.alloc(0) }]));
    },
  };
}

let topic = '';
const members: GroupConsumer[] = [];
afterEach(async () => {
  await Promise.all(members.splice(0).map((m) => m.disconnect().catch(() => undefined)));
});

describe.runIf(process.env.TRIBUTARY_CLIENT === 'platformatic')('a revocation commit on @platformatic/kafka', () => {
  it('reaches the coordinator before the member rejoins, however long it takes', async () => {
    topic = uniqueName('revoke');
    await createTopic(topic, PARTITIONS);
    const groupId = uniqueName('revoke-group');
    const commits = new Map<string, string>();
    /** Where each member's first batch of each partition it owns started: `<member>:<partition>` -> offset. */
    const starts = new Map<string, number>();
    const producer = createKafka({ clientId: 'revoke-producer' }).producer();
    await producer.connect();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ partition, value: `r${i}` })) });
    }
    await producer.disconnect();

    const join = async (name: string, commitAfterMs: number) => {
      const client = await createNamedClient('platformatic', { brokers: brokers(), clientId: `revoke-${name}`, logger: quiet });
      let owned: readonly TopicPartition[] = [];
      const consumer = client.groupConsumer({
        groupId,
        clientId: `revoke-${name}`,
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 300,
        rebalanceTimeoutMs: 20_000,
        maxWaitTimeMs: 100,
        maxBytesPerPartition: 1_048_576,
        readCommitted: false,
        autoOffsetReset: 'earliest',
        assignor: holdingBackAssignor(name, () => owned.map((p) => p.partition)),
        rebalanceProtocol: 'cooperative',
      });
      members.push(consumer);
      await consumer.connect();
      await consumer.run([topic], {
        onBatch: async (batch) => {
          if (!starts.has(`${name}:${batch.partition}`)) starts.set(`${name}:${batch.partition}`, batch.fetchedOffset);
          return true;
        },
        onPassed: () => {},
        onAssigned: (partitions) => {
          owned = partitions;
          for (const partition of [0, 1, 2, 3]) if (!partitions.some((p) => p.partition === partition)) starts.delete(`${name}:${partition}`);
        },
        onAssignmentUserData: () => {},
        onRevoking: async () => {},
        onRebalancing: () => {},
        onRevoked: async (partitions) => {
          // What it gives up, it no longer claims (as KafkaStreams' subscription leaves out revoking tasks).
          owned = owned.filter((p) => !partitions.some((r) => r.partition === p.partition));
          await new Promise((resolve) => setTimeout(resolve, commitAfterMs));
          const label = partitions.map((p) => p.partition).join(',');
          try {
            await consumer.commit(partitions.map(({ partition }) => ({ topic, partition, offset: 7 })));
            commits.set(name, `committed ${label}`);
          } catch (error) {
            commits.set(name, `refused ${label}: ${(error as Error).message}`);
          }
        },
        onRejoinAbandoned: () => {},
        onShutdownRequested: () => {},
        onCrash: () => {},
      });
      return () => owned.map((p) => p.partition).sort();
    };

    // a owns 0 and 2, b 1 and 3. When c joins, a gives 2 up slowly (2.5 s, eight heartbeats)
    // and b gives 3 up at once, then rejoins: the follow-up rebalance starts while a commits.
    const a = await join('a', 2_500);
    const b = await join('b', 0);
    await waitFor(() => `${a()}|${b()}` === '0,2|1,3', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()}` });
    const c = await join('c', 0);
    await waitFor(() => `${a()}|${b()}|${c()}` === '0,3|1|2', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()} c=${c()}` });

    expect(Object.fromEntries(commits)).toEqual({ a: 'committed 2', b: 'committed 3' });
    const committed = await committedOffsets(groupId, topic);
    expect([committed.get(2), committed.get(3)]).toEqual([7, 7]);
    // The new owners started where the old ones committed, not at the beginning.
    await waitFor(() => starts.has('c:2') && starts.has('a:3'), { timeoutMs: 30_000, description: () => JSON.stringify(Object.fromEntries(starts)) });
    expect([starts.get('c:2'), starts.get('a:3')]).toEqual([7, 7]);
  });
});
