// Exactly-once with one transactional producer per instance (KIP-447), on the fake client:
// what a client whose offset commits carry the member's generation lets the runtime do.
import type { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const copying = (builder: StreamsBuilder) => builder.stream<string, { n: number }>('in').to('out');
const outputs = (kafka: FakeKafka) =>
  kafka
    .read('out')
    .map((r) => (r.value as { n: number }).n)
    .sort((a, b) => a - b);
const committedSum = (kafka: FakeKafka, partitions: number) => Array.from({ length: partitions }, (_, p) => kafka.committed.get(`in-${p}`) ?? 0).reduce((a, b) => a + b, 0);

function kip447Kafka(partitions: number): FakeKafka {
  const kafka = new FakeKafka();
  kafka.cooperativeRebalancing = true;
  kafka.transactionsWithGroupMetadata = true;
  kafka.createTopic('in', partitions);
  kafka.createTopic('out', partitions);
  return kafka;
}

function appendAcross(kafka: FakeKafka, from: number, to: number, partitions: number): void {
  for (let n = from; n < to; n++) kafka.append('in', `k${n}`, { n }, { partition: n % partitions });
}

describe('exactly-once with one transactional producer per instance (KIP-447)', () => {
  it('one producer serves every task, and a commit holds the offsets of all of them with the member and its generation', async () => {
    const kafka = kip447Kafka(4);
    appendAcross(kafka, 0, 40, 4);
    await using streams = app(kafka, copying, { processingGuarantee: 'exactly_once' });
    await streams.start();
    await until(() => committedSum(kafka, 4) === 40, 'every offset committed');
    expect([...kafka.epochs.keys()]).toHaveLength(1);
    expect([...kafka.epochs.keys()][0]).toMatch(/^app-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(kafka.commitLog.some((offsets) => new Set(offsets.map((o) => o.partition)).size > 1)).toBe(true);
    expect(kafka.transactionMembers.length).toBeGreaterThan(0);
    expect(kafka.transactionMembers.every((m) => m?.memberId === 'fake-member' && m.generationId === 1)).toBe(true);
    expect(outputs(kafka)).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it('offsets refused while the group rebalances leave the transaction open: a later commit writes it, once', async () => {
    const kafka = kip447Kafka(2);
    await using streams = app(kafka, copying, { processingGuarantee: 'exactly_once' });
    await streams.start();
    await until(() => streams.state === 'RUNNING', 'running');
    kafka.refuseTransactionOffsets = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    appendAcross(kafka, 0, 20, 2);
    await until(() => streams.metrics().processed === 20, 'processing');
    await new Promise((resolve) => setTimeout(resolve, 100)); // several refused commits
    expect(outputs(kafka)).toEqual([]);
    kafka.refuseTransactionOffsets = undefined;
    await until(() => committedSum(kafka, 2) === 20, 'the commit after the rebalance');
    expect(outputs(kafka)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(kafka.aborted).toBe(0);
    expect(streams.state).toBe('RUNNING');
  });

  it('a task that fails with writes in the open transaction: every task starts again from the last commit, and each record is written once', async () => {
    const kafka = kip447Kafka(2);
    let failOnce = true;
    await using streams = app(
      kafka,
      (builder) =>
        builder
          .stream<string, { n: number }>('in')
          .mapValues((v) => {
            if (v.n === 15 && failOnce) {
              failOnce = false;
              throw new Error('record 15 fails once');
            }
            return v;
          })
          .to('out'),
      { processingGuarantee: 'exactly_once', uncaughtExceptionHandler: () => 'replace_task' },
    );
    const errors: Error[] = [];
    streams.events.subscribe((e) => e.type === 'error' && errors.push(e.error));
    await streams.start();
    await until(() => streams.state === 'RUNNING', 'running');
    // Writes are not acknowledged: nothing commits, so both tasks have writes in the open transaction when record 15 fails.
    kafka.holdAcks = true;
    appendAcross(kafka, 0, 30, 2);
    await until(() => errors.length > 0, 'the failure of record 15');
    kafka.holdAcks = false;
    kafka.releaseAcks();
    await until(() => committedSum(kafka, 2) === 30, 'every offset committed after the restart');
    expect(kafka.aborted).toBeGreaterThan(0);
    expect(outputs(kafka)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(kafka.consumer!.rejoins).toBeGreaterThan(0);
    expect(streams.state).toBe('RUNNING');
  });

  it('a cooperative rebalance commits the revoked task before it closes: nothing is aborted, nothing repeated', async () => {
    const kafka = kip447Kafka(2);
    appendAcross(kafka, 0, 20, 2);
    await using streams = app(kafka, copying, { processingGuarantee: 'exactly_once', commitIntervalMs: 60_000 });
    await streams.start();
    await until(() => streams.metrics().processed === 20, 'processing');
    await kafka.consumer!.reassign([{ topic: 'in', partition: 0 }]);
    expect(kafka.committed.get('in-1')).toBe(10);
    expect(streams.assignedTasks()).toEqual(['0_0']);
    expect(kafka.aborted).toBe(0);
    expect(outputs(kafka)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });
});
