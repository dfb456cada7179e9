// A cooperative group member on @platformatic/kafka (issue 15), at the client adapter, on a
// real broker:
// - a member that gives partitions up commits them in `onRevoked` before it rejoins, even when
//   another member gave its own up faster and started the follow-up rebalance meanwhile, so
//   their new owner starts them at that commit. (The client rejoins by itself when a heartbeat
//   says the group rebalances; were it to do that during the slow member's commit, the
//   follow-up rebalance would hand the partition over first, and its new owner would start it
//   at the previous commit and process again what the old owner had done.)
// - a member commits what it processed before its JoinGroup goes out (the broker holds a
//   JoinGroup until the rebalance completes, and a commit behind it on the same connection
//   would wait that long);
// - while a rebalance waits for a slow member, a member goes on fetching the partitions it
//   keeps, and can commit them. (The broker holds a JoinGroup until the rebalance completes and answers a
//   connection's requests in order, so fetches must not share the member's connection.)
// - with an assignor that hands partitions over (as Tributary's does when every member can), a
//   partition moves in the one rebalance that moves it: its new owner gets it in that
//   generation and starts it once the old owner's revocation commit and handover mark are in,
//   however long they take, at that commit; nobody rejoins for a second rebalance.
// Runs in the platformatic pass of the integration tests.
import type { Logger } from '@tributary/core';
import { createNamedClient, type ConsumedBatch, type GroupAssignor, type GroupConsumer, type TopicPartition } from '@tributary/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { brokers, createKafka, createTopic, uniqueName, waitFor } from '../harness';
import { committedOffsets } from './support';

const PARTITIONS = 4;
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Partition `p` belongs to the `p % n`-th of the `n` members by name; one still owned by
 * another live member is given to nobody for a generation (so its owner gives it up first).
 */
function holdingBackAssignor(topic: string, name: string, owned: () => readonly number[]): GroupAssignor {
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

/**
 * Partition `p` belongs to the `p % n`-th of the `n` members by name, at once; one another live
 * member owned is marked handed over in the assignment's user data. `assigns` counts rebalances.
 */
function handingOverAssignor(topic: string, name: string, owned: () => readonly number[], assigns: { count: number }): GroupAssignor {
  return {
    name: 'test-handing-over',
    version: 0,
    userData: () => Buffer.from(JSON.stringify({ name, owned: owned() })),
    assign(members) {
      assigns.count++;
      const subscriptions = members
        .map((m) => ({ memberId: m.memberId, ...(JSON.parse(m.userData.toString()) as { name: string; owned: number[] }) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const assigned = new Map(subscriptions.map((s) => [s.memberId, { partitions: [] as number[], handedOver: [] as number[] }]));
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const target = assigned.get(subscriptions[partition % subscriptions.length]!.memberId)!;
        const owner = subscriptions.find((s) => s.owned.includes(partition));
        target.partitions.push(partition);
        if (owner !== undefined && owner.memberId !== subscriptions[partition % subscriptions.length]!.memberId) target.handedOver.push(partition);
      }
      return new Map(
        [...assigned].map(([memberId, { partitions, handedOver }]) => [
          memberId,
          { partitions: partitions.map((partition) => ({ topic, partition })), userData: Buffer.from(JSON.stringify({ handedOver })) },
        ]),
      );
    },
    handedOverPartitions: (userData) => (JSON.parse(userData.toString()) as { handedOver: number[] }).handedOver.map((partition) => ({ topic, partition })),
  };
}

interface MemberSettings {
  /** The group's assignor; default {@link holdingBackAssignor}. */
  readonly assignor?: (owned: () => readonly number[]) => GroupAssignor;
  readonly heartbeatIntervalMs?: number;
  readonly sessionTimeoutMs?: number;
  /** How long `onRevoked` takes before it commits the partitions given up (at offset 7). */
  readonly commitAfterMs?: number;
  readonly onBatch?: (batch: ConsumedBatch) => void;
  readonly onRebalancing?: () => void;
  readonly onAssigned?: (partitions: readonly number[]) => void;
  /** What the member does when it hears of a rebalance, before it rejoins. */
  readonly onRevoking?: (consumer: GroupConsumer) => Promise<void>;
  /** Filled with what `onRevoked` achieved: `committed 2` or `refused 2: <why>`. */
  readonly commits?: Map<string, string>;
  /** Filled with when `onRevoked`'s commit was in. */
  readonly committedAt?: Map<string, number>;
}

const members: GroupConsumer[] = [];
afterEach(async () => {
  await Promise.all(members.splice(0).map((m) => m.disconnect().catch(() => undefined)));
});

/** A member of `groupId` reading `topic` with the holding-back assignor; returns the partitions it owns, sorted. */
async function joinMember(topic: string, groupId: string, name: string, settings: MemberSettings = {}): Promise<() => number[]> {
  const client = await createNamedClient('platformatic', { brokers: brokers(), clientId: `member-${name}`, logger: quiet });
  let owned: readonly TopicPartition[] = [];
  const consumer = client.groupConsumer({
    groupId,
    clientId: `member-${name}`,
    sessionTimeoutMs: settings.sessionTimeoutMs ?? 10_000,
    heartbeatIntervalMs: settings.heartbeatIntervalMs ?? 300,
    rebalanceTimeoutMs: 20_000,
    maxWaitTimeMs: 100,
    maxBytesPerPartition: 1_048_576,
    readCommitted: false,
    autoOffsetReset: 'earliest',
    assignor: (settings.assignor ?? ((claimed) => holdingBackAssignor(topic, name, claimed)))(() => owned.map((p) => p.partition)),
    rebalanceProtocol: 'cooperative',
  });
  members.push(consumer);
  await consumer.connect();
  await consumer.run([topic], {
    onBatch: async (batch) => {
      settings.onBatch?.(batch);
      return true;
    },
    onPassed: () => {},
    onAssigned: (partitions) => {
      owned = partitions;
      settings.onAssigned?.(partitions.map((p) => p.partition));
    },
    onAssignmentUserData: () => {},
    onRevoking: async () => settings.onRevoking?.(consumer),
    onRebalancing: () => settings.onRebalancing?.(),
    onRevoked: async (partitions) => {
      // What it gives up, it no longer claims (as KafkaStreams' subscription leaves out revoking tasks).
      owned = owned.filter((p) => !partitions.some((r) => r.partition === p.partition));
      await new Promise((resolve) => setTimeout(resolve, settings.commitAfterMs ?? 0));
      const label = partitions.map((p) => p.partition).join(',');
      try {
        await consumer.commit(partitions.map(({ partition }) => ({ topic, partition, offset: 7 })));
        settings.commits?.set(name, `committed ${label}`);
        settings.committedAt?.set(name, Date.now());
      } catch (error) {
        settings.commits?.set(name, `refused ${label}: ${(error as Error).message}`);
      }
    },
    onRejoinAbandoned: () => {},
    onShutdownRequested: () => {},
    onCrash: () => {},
  });
  return () => owned.map((p) => p.partition).sort();
}

/** `count` records in each partition (values `r0`, `r1`...). */
async function fill(topic: string, count: number): Promise<void> {
  const producer = createKafka({ clientId: 'member-producer' }).producer();
  await producer.connect();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition, value: `r${i}` })) });
  }
  await producer.disconnect();
}

describe.runIf(process.env.TRIBUTARY_CLIENT === 'platformatic')('a cooperative group member on @platformatic/kafka', () => {
  it("commits what it gives up before it rejoins, however long that takes, so the new owner starts at that commit", async () => {
    const topic = uniqueName('revoke');
    await createTopic(topic, PARTITIONS);
    const groupId = uniqueName('revoke-group');
    await fill(topic, 20);
    const commits = new Map<string, string>();
    /** Where each member's first batch of each partition it owns started: `<member>:<partition>` -> offset. */
    const starts = new Map<string, number>();
    const settings = (name: string, commitAfterMs: number): MemberSettings => ({
      commitAfterMs,
      commits,
      onBatch: (batch) => {
        if (!starts.has(`${name}:${batch.partition}`)) starts.set(`${name}:${batch.partition}`, batch.fetchedOffset);
      },
      onAssigned: (partitions) => {
        for (let partition = 0; partition < PARTITIONS; partition++) if (!partitions.includes(partition)) starts.delete(`${name}:${partition}`);
      },
    });

    // a owns 0 and 2, b 1 and 3. When c joins, a gives 2 up slowly (2.5 s, eight heartbeats)
    // and b gives 3 up at once, then rejoins: the follow-up rebalance starts while a commits.
    const a = await joinMember(topic, groupId, 'a', settings('a', 2_500));
    const b = await joinMember(topic, groupId, 'b', settings('b', 0));
    await waitFor(() => `${a()}|${b()}` === '0,2|1,3', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()}` });
    const c = await joinMember(topic, groupId, 'c', settings('c', 0));
    await waitFor(() => `${a()}|${b()}|${c()}` === '0,3|1|2', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()} c=${c()}` });

    expect(Object.fromEntries(commits)).toEqual({ a: 'committed 2', b: 'committed 3' });
    const committed = await committedOffsets(groupId, topic);
    expect([committed.get(2), committed.get(3)]).toEqual([7, 7]);
    // The new owners started where the old ones committed, not at the beginning.
    await waitFor(() => starts.has('c:2') && starts.has('a:3'), { timeoutMs: 30_000, description: () => JSON.stringify(Object.fromEntries(starts)) });
    expect([starts.get('c:2'), starts.get('a:3')]).toEqual([7, 7]);
  });

  it('hands a partition over in the rebalance that moves it: its new owner starts it once the old owner committed it, at that commit', async () => {
    const topic = uniqueName('handover');
    await createTopic(topic, PARTITIONS);
    const groupId = uniqueName('handover-group');
    await fill(topic, 20);
    const assigns = { count: 0 };
    const commits = new Map<string, string>();
    /** When each member's revocation commit was in, and when each member was first told it owns each partition. */
    const committedAt = new Map<string, number>();
    const assignedAt = new Map<string, number>();
    const starts = new Map<string, number>();
    const settings = (name: string, commitAfterMs: number): MemberSettings => ({
      assignor: (owned) => handingOverAssignor(topic, name, owned, assigns),
      commitAfterMs,
      commits,
      committedAt,
      onBatch: (batch) => {
        if (!starts.has(`${name}:${batch.partition}`)) starts.set(`${name}:${batch.partition}`, batch.fetchedOffset);
      },
      onAssigned: (partitions) => {
        for (const partition of partitions) if (!assignedAt.has(`${name}:${partition}`)) assignedAt.set(`${name}:${partition}`, Date.now());
      },
    });

    // a owns 0 and 2, b 1 and 3. When c joins, 2 moves from a to c and 3 from b to a; a takes
    // 2.5 s to commit what it gives up (eight heartbeats), b no time.
    const a = await joinMember(topic, groupId, 'a', settings('a', 2_500));
    const b = await joinMember(topic, groupId, 'b', settings('b', 0));
    await waitFor(() => `${a()}|${b()}` === '0,2|1,3', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()}` });
    commits.clear();
    assignedAt.clear();
    starts.clear();
    const before = assigns.count;
    const c = await joinMember(topic, groupId, 'c', settings('c', 0));
    await waitFor(() => `${a()}|${b()}|${c()}` === '0,3|1|2', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()} c=${c()}` });
    await waitFor(() => starts.has('c:2') && starts.has('a:3'), { timeoutMs: 30_000, description: () => JSON.stringify(Object.fromEntries(starts)) });

    expect(Object.fromEntries(commits)).toEqual({ a: 'committed 2', b: 'committed 3' });
    // One rebalance moved both, and no member rejoined after it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(assigns.count - before).toBe(1);
    // The new owners were given them only once the old owners' commits were in, and started at them.
    expect(assignedAt.get('c:2')!).toBeGreaterThanOrEqual(committedAt.get('a')!);
    expect(assignedAt.get('a:3')!).toBeGreaterThanOrEqual(committedAt.get('b')!);
    expect([starts.get('c:2'), starts.get('a:3')]).toEqual([7, 7]);
    const committed = await committedOffsets(groupId, topic);
    expect([committed.get(2), committed.get(3)]).toEqual([7, 7]);
  });

  it('commits what it processed before its JoinGroup goes out, however long that takes', async () => {
    const topic = uniqueName('commit-first');
    await createTopic(topic, PARTITIONS);
    const groupId = uniqueName('commit-first-group');
    let watching = false;
    let committed: { at: number; outcome: string } | undefined;
    let assignedAfter: number | undefined;
    const a = await joinMember(topic, groupId, 'a', {
      // The commit goes out 1.5 s after the member hears of the rebalance: if its JoinGroup had
      // gone out first, the commit would wait behind it until the rebalance completed.
      onRevoking: async (consumer) => {
        if (!watching) return;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const outcome = await consumer.commit([{ topic, partition: 0, offset: 5 }]).then(
          () => 'committed',
          (error: unknown) => `refused: ${(error as Error).message}`,
        );
        committed ??= { at: Date.now(), outcome };
      },
      onAssigned: () => {
        if (watching) assignedAfter ??= Date.now();
      },
    });
    await waitFor(() => a().length === PARTITIONS, { timeoutMs: 60_000, description: () => `a=${a()}` });
    watching = true;
    const b = await joinMember(topic, groupId, 'b');
    await waitFor(() => assignedAfter !== undefined && committed !== undefined && b().length > 0, { timeoutMs: 60_000, description: () => `a=${a()} b=${b()} committed=${JSON.stringify(committed)}` });
    expect(committed!.outcome).toBe('committed');
    expect(committed!.at, 'the commit landed before the new generation').toBeLessThan(assignedAfter!);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(5);
  });

  it('goes on fetching and committing the partitions it keeps while the rebalance waits for a slow member', async () => {
    const topic = uniqueName('keep-fetching');
    await createTopic(topic, PARTITIONS);
    const groupId = uniqueName('keep-fetching-group');
    // a learns of a rebalance within 300 ms and rejoins; b only at its next heartbeat, 5 s
    // apart, and the rebalance waits for it. Meanwhile records keep coming to a's partition 0.
    let watching = false;
    let rebalanceSeen: number | undefined;
    let nextAssignment: number | undefined;
    let committedAt: number | undefined;
    const received: number[] = [];
    let member: GroupConsumer | undefined;
    const a = await joinMember(topic, groupId, 'a', {
      onRebalancing: () => {
        if (!watching || rebalanceSeen !== undefined) return;
        rebalanceSeen = Date.now();
        // A commit a second into the rebalance, while a's JoinGroup waits at the coordinator for b.
        setTimeout(() => void member!.commit([{ topic, partition: 0, offset: 3 }]).then(() => (committedAt = Date.now())), 1_000);
      },
      onAssigned: () => {
        if (rebalanceSeen !== undefined) nextAssignment ??= Date.now();
      },
      onBatch: (batch) => {
        if (batch.partition === 0) received.push(Date.now());
      },
    });
    member = members.at(-1);
    const b = await joinMember(topic, groupId, 'b', { heartbeatIntervalMs: 5_000, sessionTimeoutMs: 20_000 });
    await waitFor(() => `${a()}|${b()}` === '0,2|1,3', { timeoutMs: 60_000, description: () => `a=${a()} b=${b()}` });

    const producer = createKafka({ clientId: 'keep-fetching-producer' }).producer();
    await producer.connect();
    let producing = true;
    const stream = (async () => {
      for (let i = 0; producing; i++) {
        await producer.send({ topic, messages: [{ partition: 0, value: `r${i}` }] });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      watching = true;
      await joinMember(topic, groupId, 'c');
      await waitFor(() => nextAssignment !== undefined, { timeoutMs: 60_000, description: 'the rebalance c started to complete' });
    } finally {
      producing = false;
      await stream;
      await producer.disconnect();
    }
    const waited = nextAssignment! - rebalanceSeen!;
    expect(waited).toBeGreaterThan(2_000); // the rebalance did wait for b
    // Batches of partition 0 kept coming while a waited for the new generation.
    const during = received.filter((t) => t > rebalanceSeen! + 500 && t < nextAssignment!);
    expect(during.length, `batches of partition 0 between ${rebalanceSeen} + 500 ms and ${nextAssignment}: ${received.join(',')}`).toBeGreaterThan(5);
    // And its commit went through while the rebalance still waited, not after it.
    await waitFor(() => committedAt !== undefined, { timeoutMs: 30_000, description: "a's commit" });
    expect(committedAt!, 'the commit landed before the new generation').toBeLessThan(nextAssignment!);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(3);
  });
});
