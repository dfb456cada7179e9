import { describe, expect, it } from 'vitest';
import { StreamsBuilder, TaskFailedError, silentLogger } from '@tributary/core';
import { CommitTracker, Task, type InputRecord, type OutgoingRecord, type RecordCollector, type RecordHold } from '@tributary/core/runtime';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CommitTracker', () => {
  it('completes a record whose synchronous pass returned with nothing else open (a filtered record)', () => {
    const tracker = new CommitTracker();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    tracker.begin('in', 0, 0).release();
    expect(tracker.committableOffset('in', 0)).toBe(1);
    tracker.begin('in', 0, 1).release();
    expect(tracker.committableOffset('in', 0)).toBe(2);
    expect(tracker.openRecords).toBe(0);
  });

  it('keeps a record that fans out open until every output is acknowledged, in any order', () => {
    const tracker = new CommitTracker();
    const pass = tracker.begin('in', 0, 0);
    const acks = [tracker.hold(pass.record), tracker.hold(pass.record), tracker.hold(pass.record)];
    pass.release();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    acks[2]!.release();
    acks[0]!.release();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    acks[1]!.release();
    expect(tracker.committableOffset('in', 0)).toBe(1);
  });

  it('does not pass an incomplete record: offset 5 done before 3 leaves the committable offset at 3 until 3 completes', () => {
    const tracker = new CommitTracker();
    for (let offset = 0; offset < 3; offset++) tracker.begin('in', 0, offset).release();
    const holds = new Map<number, RecordHold>();
    for (let offset = 3; offset <= 5; offset++) {
      const pass = tracker.begin('in', 0, offset);
      holds.set(offset, tracker.hold(pass.record)); // an async stage
      pass.release();
    }
    holds.get(5)!.release();
    holds.get(4)!.release();
    expect(tracker.committableOffset('in', 0)).toBe(3);
    expect(tracker.openRecords).toBe(1);
    holds.get(3)!.release();
    expect(tracker.committableOffset('in', 0)).toBe(6);
  });

  it('moves past gaps in offsets (compaction, transaction markers)', () => {
    const tracker = new CommitTracker();
    tracker.begin('in', 0, 4).release();
    tracker.begin('in', 0, 9).release();
    expect(tracker.committableOffset('in', 0)).toBe(10);
  });

  it('tracks partitions and topics independently, and lists them by topic then partition', () => {
    const tracker = new CommitTracker();
    const slow = tracker.begin('a', 0, 0);
    tracker.begin('a', 1, 7).release();
    tracker.begin('b', 0, 2).release();
    expect(tracker.committable()).toEqual(
      new Map([
        ['a', new Map([[1, 8]])],
        ['b', new Map([[0, 3]])],
      ]),
    );
    slow.release();
    expect(tracker.committable().get('a')).toEqual(
      new Map([
        [1, 8],
        [0, 1],
      ]),
    );
  });

  it('rejects offsets that do not increase, and holds on a complete record', () => {
    const tracker = new CommitTracker();
    const first = tracker.begin('in', 0, 5);
    expect(() => tracker.begin('in', 0, 5)).toThrow(/offset 5 of in-0 arrived after offset 5/);
    first.release();
    expect(() => tracker.begin('in', 0, 3)).toThrow(/arrived after offset 5/);
    expect(() => tracker.hold(first.record)).toThrow(/already complete/);
  });

  it('ignores a second release of the same hold', () => {
    const tracker = new CommitTracker();
    const pass = tracker.begin('in', 0, 0);
    const ack = tracker.hold(pass.record);
    pass.release();
    pass.release();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    ack.release();
    expect(tracker.committableOffset('in', 0)).toBe(1);
  });

  it('forgets a revoked partition: its open records no longer count, and it can start again from an earlier offset', async () => {
    const tracker = new CommitTracker();
    tracker.begin('in', 0, 0).release();
    const open = tracker.begin('in', 0, 1);
    tracker.begin('in', 1, 0).release();
    tracker.forget('in', 0);
    expect(tracker.committable()).toEqual(new Map([['in', new Map([[1, 1]])]]));
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    // The late completion of a revoked record moves nothing.
    open.release();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    await expect(tracker.whenIdle()).resolves.toBeUndefined();
    // Reassigned: consumption restarts at the committed offset 1.
    tracker.begin('in', 0, 1).release();
    expect(tracker.committableOffset('in', 0)).toBe(2);
    tracker.forget('in', 9); // unknown: nothing to do
  });

  it('a forgotten partition’s open records stop counting at once: a record held for good (a failed one) does not keep it busy', async () => {
    const tracker = new CommitTracker();
    const held = tracker.begin('in', 0, 0);
    const other = tracker.begin('in', 1, 0);
    expect(tracker.openRecords).toBe(2);
    let idle = false;
    const waiting = tracker.whenIdle().then(() => (idle = true));
    tracker.forget('in', 0);
    expect(tracker.openRecords).toBe(1);
    other.release();
    await waiting;
    expect(idle).toBe(true);
    // Its late release counts nothing twice.
    held.release();
    expect(tracker.openRecords).toBe(0);
    tracker.begin('in', 1, 1);
    expect(tracker.openRecords).toBe(1);
  });

  it('resolves whenIdle once no record is open', async () => {
    const tracker = new CommitTracker();
    await tracker.whenIdle();
    const pass = tracker.begin('in', 0, 0);
    const ack = tracker.hold(pass.record);
    pass.release();
    let idle = false;
    const waiting = tracker.whenIdle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    ack.release();
    await waiting;
    expect(idle).toBe(true);
  });

  it('keeps a long run of complete records cheap and correct (the queue is compacted)', () => {
    const tracker = new CommitTracker();
    const stuck = tracker.begin('in', 0, 0);
    const holds: RecordHold[] = [];
    for (let offset = 1; offset <= 5_000; offset++) {
      const pass = tracker.begin('in', 0, offset);
      if (offset % 1000 === 0) holds.push(tracker.hold(pass.record));
      pass.release();
    }
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    stuck.release();
    expect(tracker.committableOffset('in', 0)).toBe(1000);
    holds.shift()!.release();
    expect(tracker.committableOffset('in', 0)).toBe(2000);
    for (const hold of holds) hold.release();
    expect(tracker.committableOffset('in', 0)).toBe(5001);
    expect(tracker.openRecords).toBe(0);
  });
});

/** A RecordCollector whose acknowledgements the test gives (or refuses) by hand. */
function manualCollector() {
  const sent: { record: OutgoingRecord; ack(): void; fail(error: Error): void }[] = [];
  const collector: RecordCollector = {
    send(record) {
      let ack!: () => void;
      let fail!: (error: Error) => void;
      const promise = new Promise<void>((resolve, reject) => {
        ack = resolve;
        fail = reject;
      });
      sent.push({ record, ack, fail });
      return promise;
    },
    partitionsFor: () => 1,
  };
  return { collector, sent };
}

const input = (offset: number, value: unknown, key = 'k'): InputRecord => ({
  topic: 'in',
  partition: 0,
  offset,
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify(value)),
  timestamp: 1_000 + offset,
  headers: {},
});

function taskFor(build: (builder: StreamsBuilder) => void) {
  const builder = new StreamsBuilder();
  build(builder);
  const topology = builder.build();
  const tracker = new CommitTracker();
  const { collector, sent } = manualCollector();
  const failures: Error[] = [];
  const task = new Task(topology.subTopologies[0]!, 0, { applicationId: 'app', collector, tracker, logger: silentLogger, onFailure: (e) => failures.push(e) });
  return { task, tracker, sent, failures };
}

describe('Task commit points with a real collector contract', () => {
  it('passes an offset only once every output it caused was acknowledged', async () => {
    const { task, tracker, sent } = taskFor((b) =>
      b
        .stream<string, number>('in')
        .flatMapValues((v) => [v, v * 10])
        .to('out'),
    );
    task.process(input(0, 1));
    expect(sent.map((s) => s.record.value?.toString())).toEqual(['1', '10']);
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent[1]!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent[0]!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBe(1);
    expect(task.metrics.pendingSends).toBe(0);
  });

  it('does not let a filtered record overtake an earlier one whose output is unacknowledged', async () => {
    const { task, tracker, sent } = taskFor((b) =>
      b
        .stream<string, number>('in')
        .filter((_k, v) => v > 0)
        .to('out'),
    );
    task.process(input(0, 1)); // sent, not acknowledged
    task.process(input(1, -1)); // filtered: complete at once
    task.process(input(2, 2)); // sent
    expect(sent).toHaveLength(2);
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent[1]!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent[0]!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBe(3);
  });

  it('counts changelog writes as outputs of the record', async () => {
    const { task, tracker, sent } = taskFor((b) => b.stream<string, number>('in').groupByKey().count({ name: 'counts' }).toStream().to('out'));
    task.process(input(0, 1));
    expect(sent.map((s) => s.record.topic).sort()).toEqual(['app-counts-changelog', 'out']);
    sent.find((s) => s.record.topic === 'out')!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent.find((s) => s.record.topic === 'app-counts-changelog')!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBe(1);
  });

  it('keeps the offset of a record whose send failed uncommitted for good, and fails the task', async () => {
    const { task, tracker, sent, failures } = taskFor((b) => b.stream<string, number>('in').to('out'));
    task.process(input(0, 1));
    task.process(input(1, 2));
    sent[0]!.ack();
    sent[1]!.fail(new Error('NOT_LEADER_OR_FOLLOWER'));
    await settle();
    expect(tracker.committableOffset('in', 0)).toBe(1);
    expect(failures).toHaveLength(1);
    expect(task.failed).toBeInstanceOf(TaskFailedError);
    expect(task.failed!.message).toMatch(/failed to write to topic 'out': NOT_LEADER_OR_FOLLOWER/);
    expect(() => task.process(input(2, 3))).toThrow(TaskFailedError);
    expect(tracker.committableOffset('in', 0)).toBe(1);
  });

  it('keeps a record held by an asynchronous stage open until its output is acknowledged', async () => {
    let finish!: (value: number) => void;
    const { task, tracker, sent } = taskFor((b) =>
      b
        .stream<string, number>('in')
        .mapValuesAsync(() => new Promise<number>((resolve) => (finish = resolve)))
        .to('out'),
    );
    task.process(input(0, 1));
    await settle();
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    finish(42);
    await settle();
    expect(sent).toHaveLength(1);
    expect(tracker.committableOffset('in', 0)).toBeUndefined();
    sent[0]!.ack();
    await settle();
    expect(tracker.committableOffset('in', 0)).toBe(1);
    await task.whenIdle();
  });
});
