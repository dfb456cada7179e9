// The runtime under the faults of issue 8, driven on purpose on the fake client: a client
// that moves on without the runtime, a member that fell out of the group, revoked and
// fenced exactly-once tasks, the uncaught-exception handler, misuse of start().
import { ErrorHandlers, silentLogger, StreamsBuilder, type StreamsState } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, type KafkaStreamsOptions } from '../src';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const copying = (builder: StreamsBuilder) => builder.stream<string, { n: number }>('in').to('out');
const counting = (builder: StreamsBuilder) => builder.stream<string, { n: number }>('in').groupByKey().count({ name: 'cnt' }).toStream().to('counts');

function states(streams: KafkaStreams): StreamsState[] {
  const seen: StreamsState[] = [];
  streams.events.subscribe((e) => e.type === 'state' && seen.push(e.to));
  return seen;
}

const outputs = (kafka: FakeKafka, topic: string) => kafka.read(topic).map((r) => (r.value as { n: number }).n);

describe('the fetch position', () => {
  it('a client that moved its position past records the runtime did not take: they are read again, none is skipped', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 50; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, copying);
    await streams.start();
    await until(() => outputs(kafka, 'out').length === 50, 'the first 50 records');
    // The client loses track: it moves on by 20 records the runtime never saw.
    kafka.consumer!.skipAhead('in', 0, 20);
    for (let n = 50; n < 100; n++) kafka.append('in', 'k', { n });
    await until(() => outputs(kafka, 'out').length >= 100, 'every record', 3_000).catch(() => undefined);
    expect(outputs(kafka, 'out')).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(kafka.consumer!.seeks.some((s) => s.offset === 50)).toBe(true);
  });

  it('a batch for a partition without a running task is not taken: the client fetches it again', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, copying);
    await streams.start();
    await until(() => outputs(kafka, 'out').length === 10, 'ten outputs');
    await kafka.consumer!.rebalance([]);
    for (let n = 10; n < 20; n++) kafka.append('in', 'k', { n });
    await new Promise((r) => setTimeout(r, 30));
    expect(kafka.consumer!.positions.size).toBe(0);
    await kafka.consumer!.rebalance([{ topic: 'in', partition: 0 }]);
    await until(() => outputs(kafka, 'out').length === 20, 'the rest');
    expect(outputs(kafka, 'out')).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });
});

describe('a member that was out of the group', () => {
  it('exactly-once: closes its tasks dirty and creates them again, so another member’s work in between is neither lost nor repeated', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('counts', 1);
    for (let n = 0; n < 3; n++) kafka.append('in', 'k', { n });
    await using a = app(kafka, counting, { processingGuarantee: 'exactly_once' });
    const aStates = states(a);
    await a.start();
    const aConsumer = kafka.consumer!;
    await until(() => kafka.committed.get('in-0') === 3, 'a to commit three records');

    // a falls out of the group unawares; b takes the task, counts two more records, and leaves.
    aConsumer.outOfGroup = true;
    for (let n = 3; n < 5; n++) kafka.append('in', 'k', { n });
    {
      await using b = app(kafka, counting, { processingGuarantee: 'exactly_once' });
      await b.start();
      await until(() => kafka.committed.get('in-0') === 5, 'b to commit five records');
    }

    // a comes back under a new member id: nothing of its old task may be kept.
    aConsumer.outOfGroup = false;
    await aConsumer.rebalance([{ topic: 'in', partition: 0 }], true);
    kafka.append('in', 'k', { n: 5 });
    await until(() => kafka.committed.get('in-0') === 6, 'a to commit the sixth record');
    expect(kafka.read('counts').map((r) => r.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(aStates).not.toContain('ERROR');
    expect(a.state).toBe('RUNNING');
  });
});

describe('a member the group dropped while it kept processing', () => {
  it('at-least-once: a commit refused as from an unknown member closes every task at once and rejoins, and nothing is lost', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    const warnings: string[] = [];
    await using streams = app(kafka, copying, { logger: { ...silentLogger, warn: (message: string) => warnings.push(message) } });
    const seen = states(streams);
    await streams.start();
    await until(() => kafka.committed.get('in-0') === 10, 'ten records committed');

    // The group dropped the member (its session expired while the coordinator was away), but
    // the client fetches on with its old assignment: the next commit is refused.
    const consumer = kafka.consumer!;
    consumer.refuseCommits = Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' });
    for (let n = 10; n < 15; n++) kafka.append('in', 'k', { n });
    await until(() => consumer.rejoins >= 1, 'the member to rejoin');
    expect(warnings.find((w) => w.includes('the group no longer counts this member'))).toMatch(/closing tasks 0_0 dirty and rejoining/);

    // Back in the group under a new member id: the task starts again at the committed offset.
    consumer.refuseCommits = undefined;
    await until(() => kafka.committed.get('in-0') === 15, 'every record committed');
    expect(new Set(outputs(kafka, 'out'))).toEqual(new Set(Array.from({ length: 15 }, (_, n) => n)));
    expect(seen).not.toContain('ERROR');
  });
});

describe('commits refused while the group rebalances', () => {
  it('a client that does not rejoin within a session timeout of refusals is made to rejoin', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    await using streams = app(kafka, copying, { sessionTimeoutMs: 300, heartbeatIntervalMs: 100 });
    await streams.start();
    kafka.append('in', 'k', { n: 0 });
    await until(() => kafka.committed.get('in-0') === 1, 'the first commit');

    const consumer = kafka.consumer!;
    consumer.refuseCommits = Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), { type: 'REBALANCE_IN_PROGRESS' });
    kafka.append('in', 'k', { n: 1 });
    await new Promise((r) => setTimeout(r, 150));
    // Within the session timeout the client is left to rejoin by itself.
    expect(consumer.rejoins).toBe(0);
    await until(() => consumer.rejoins === 1, 'the member to rejoin after a session timeout of refusals');
    consumer.refuseCommits = undefined;
    await until(() => kafka.committed.get('in-0') === 2, 'the second record committed');
    expect(streams.state).toBe('RUNNING');
  });
});

describe('exactly-once tasks that move or are fenced', () => {
  it('a revoked task’s unsent records are dropped without failing the application', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    await using streams = app(kafka, copying, { processingGuarantee: 'exactly_once' });
    const seen = states(streams);
    const errors: Error[] = [];
    streams.events.subscribe((e) => e.type === 'error' && errors.push(e.error));
    await streams.start();
    await until(() => streams.state === 'RUNNING', 'running');
    kafka.holdAcks = true;
    for (let n = 0; n < 30; n++) kafka.append('in', 'k', { n });
    await until(() => streams.metrics().processed === 30, 'processing');
    // Closed without a commit (a lost member): its queued sends are dropped.
    await kafka.consumer!.rebalance([], true);
    kafka.holdAcks = false;
    kafka.releaseAcks();
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
    expect(seen).not.toContain('ERROR');
    expect(streams.state).not.toBe('ERROR');
  });

  it('a fenced producer: the task migrates, the member rejoins, and every record is committed once', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, copying, { processingGuarantee: 'exactly_once' });
    const seen = states(streams);
    await streams.start();
    await until(() => kafka.committed.get('in-0') === 10, 'the first commit');
    // The broker bumped the task's epoch (another producer registered the id, or a transaction timed out).
    kafka.epochs.set('app-0_0', 99);
    for (let n = 10; n < 20; n++) kafka.append('in', 'k', { n });
    await until(() => kafka.committed.get('in-0') === 20, 'every record committed after the migration');
    expect(outputs(kafka, 'out')).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(kafka.consumer!.rejoins).toBe(1);
    expect(seen).not.toContain('ERROR');
    expect(streams.state).toBe('RUNNING');
  });
});

describe('tasks revoked before they run', () => {
  it('exactly-once: a task revoked while it restores is dropped quietly, and restores afresh when it comes back', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('counts', 1);
    for (let n = 0; n < 4; n++) kafka.append('in', 'k', { n });
    {
      await using first = app(kafka, counting, { processingGuarantee: 'exactly_once' });
      await first.start();
      await until(() => kafka.committed.get('in-0') === 4, 'the first instance to count four');
    }
    let open!: () => void;
    kafka.restoreGate = new Promise((resolve) => (open = resolve));
    await using streams = app(kafka, counting, { processingGuarantee: 'exactly_once' });
    const seen = states(streams);
    await streams.start();
    await kafka.consumer!.rebalance([]);
    open();
    kafka.restoreGate = undefined;
    await new Promise((r) => setTimeout(r, 30));
    expect(streams.assignedTasks()).toEqual([]);
    await kafka.consumer!.rebalance([{ topic: 'in', partition: 0 }]);
    kafka.append('in', 'k', { n: 4 });
    await until(() => kafka.committed.get('in-0') === 5, 'the fifth record counted');
    expect(kafka.read('counts').map((r) => r.value)).toEqual([1, 2, 3, 4, 5]);
    expect(seen).not.toContain('ERROR');
  });
});

describe('the uncaught-exception handler', () => {
  const flaky = (failures: { left: number }) => (builder: StreamsBuilder) =>
    builder
      .stream<string, { n: number }>('in')
      .mapValues((v) => {
        if (v.n === 3 && failures.left-- > 0) throw new Error('the enrichment service timed out');
        return v;
      })
      .to('out');

  it("'replace_task': the failed task is created again at its committed offsets and the application goes on", async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    const handled: Error[] = [];
    await using streams = app(kafka, flaky({ left: 1 }), {
      processingErrorHandler: ErrorHandlers.logAndFail(),
      uncaughtExceptionHandler: (error) => {
        handled.push(error);
        return 'replace_task';
      },
    });
    const seen = states(streams);
    await streams.start();
    await until(() => kafka.committed.get('in-0') === 10, 'every record committed');
    expect(handled).toHaveLength(1);
    expect(handled[0]!.message).toContain('the enrichment service timed out');
    // At-least-once: what came after the last commit before the failure may be written twice, but all of it is there.
    expect(new Set(outputs(kafka, 'out'))).toEqual(new Set(Array.from({ length: 10 }, (_, n) => n)));
    expect(seen).not.toContain('ERROR');
    expect(streams.state).toBe('RUNNING');
    expect(streams.assignedTasks()).toEqual(['0_0']);
  });

  it("'shutdown_client' (the default) stops this instance in ERROR without committing the failed record", async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, flaky({ left: 1 }));
    await streams.start();
    await until(() => streams.state === 'ERROR', 'ERROR');
    expect(kafka.committed.get('in-0') ?? 0).toBeLessThanOrEqual(3);
  });

  it("'shutdown_application' asks the group (it rejoins with the request) and stops in ERROR", async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, flaky({ left: 1 }), { uncaughtExceptionHandler: () => 'shutdown_application' });
    await streams.start();
    await until(() => streams.state === 'ERROR', 'ERROR');
    expect(kafka.consumer!.rejoins).toBe(1);
  });

  it('an instance told by the group that another asked for a shutdown stops in ERROR, saying why', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    await using streams = app(kafka, copying);
    const errors: Error[] = [];
    streams.events.subscribe((e) => e.type === 'error' && errors.push(e.error));
    await streams.start();
    kafka.consumer!.handlers!.onShutdownRequested();
    await until(() => streams.state === 'ERROR', 'ERROR');
    expect(errors[0]!.message).toMatch(/another instance .* asked every instance to shut down/);
  });

  it('a handler that throws, or answers something else, shuts this instance down', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    for (let n = 0; n < 10; n++) kafka.append('in', 'k', { n });
    await using streams = app(kafka, flaky({ left: 1 }), {
      uncaughtExceptionHandler: () => {
        throw new Error('handler bug');
      },
    });
    await streams.start();
    await until(() => streams.state === 'ERROR', 'ERROR');
  });

  it('rejects a handler that is not a function, by name', () => {
    const kafka = new FakeKafka();
    expect(() => app(kafka, copying, { uncaughtExceptionHandler: 'replace_task' as never })).toThrow(/uncaughtExceptionHandler must be a function/);
  });
});

describe('misuse', () => {
  it('a second start() rejects with a clear error and starts nothing', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    await using streams = app(kafka, copying);
    await streams.start();
    const consumer = kafka.consumer;
    await expect(streams.start()).rejects.toThrow(/start\(\) was already called \(the application is (RUNNING|REBALANCING)\)/);
    expect(kafka.consumer).toBe(consumer);
    await streams.close();
    await expect(streams.start()).rejects.toThrow(/already called \(the application is NOT_RUNNING\)/);
  });

  it('start() while the first start is still under way rejects too', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    await using streams = app(kafka, copying);
    const first = streams.start();
    await expect(streams.start()).rejects.toThrow(/already called/);
    await first;
  });

  it('setStateListener hears every change as (new, old)', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('in', 1);
    kafka.createTopic('out', 1);
    const streams = app(kafka, copying);
    const changes: string[] = [];
    streams.setStateListener((to, from) => changes.push(`${from}->${to}`));
    await streams.start();
    await until(() => streams.state === 'RUNNING', 'running');
    await streams.close();
    expect(changes).toEqual(['CREATED->REBALANCING', 'REBALANCING->RUNNING', 'RUNNING->PENDING_SHUTDOWN', 'PENDING_SHUTDOWN->NOT_RUNNING']);
  });
});
