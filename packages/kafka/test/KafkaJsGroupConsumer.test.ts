import { EventEmitter } from 'node:events';
import { silentLogger } from '@tributary/core';
import { AssignerProtocol, type Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { GroupConsumerHandlers } from '../src/client/StreamsClient';
import { KafkaJsGroupConsumer } from '../src/client/kafkajs/KafkaJsGroupConsumer';

const EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  CRASH: 'consumer.crash',
  FETCH_START: 'consumer.fetch_start',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
};

/**
 * The part of a KafkaJS consumer the adapter drives, whose instrumentation events the test
 * emits in the orders KafkaJS's runner emits them.
 */
class ScriptedKafkaJsConsumer extends EventEmitter {
  readonly events = EVENTS;
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async run(): Promise<void> {}
  async stop(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async describeGroup() {
    const memberAssignment = AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) });
    return { state: 'Stable', members: [{ memberId: 'm1', memberAssignment }] };
  }

  join(memberId = 'm1'): void {
    this.emit(EVENTS.GROUP_JOIN, { payload: { memberId, memberAssignment: { in: [0] } } });
  }
}

async function started() {
  const scripted = new ScriptedKafkaJsConsumer();
  const kafka = { consumer: () => scripted } as unknown as Kafka;
  const consumer = new KafkaJsGroupConsumer(
    kafka,
    {
      groupId: 'g',
      clientId: 'c',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      rebalanceTimeoutMs: 10_000,
      maxWaitTimeMs: 100,
      maxBytesPerPartition: 1_048_576,
      readCommitted: false,
      autoOffsetReset: 'earliest',
      assignor: { name: 'test', version: 1, userData: () => Buffer.alloc(0), assign: () => new Map() },
      rebalanceProtocol: 'eager',
    },
    silentLogger,
  );
  const calls: string[] = [];
  const handlers: GroupConsumerHandlers = {
    onBatch: async () => true,
    onPassed: () => undefined,
    onAssigned: (_partitions, lost) => calls.push(lost ? 'assigned(lost)' : 'assigned'),
    onAssignmentUserData: () => undefined,
    onRevoking: async () => undefined,
    onRebalancing: () => calls.push('rebalancing'),
    onRevoked: async () => undefined,
    onRejoinAbandoned: () => calls.push('rejoin abandoned'),
    onShutdownRequested: () => undefined,
    onCrash: (_error, restarting) => calls.push(restarting ? 'crash(restarting)' : 'crash'),
  };
  const running = consumer.run(['in'], handlers);
  scripted.join();
  await running;
  return { scripted, consumer, calls };
}

describe('KafkaJsGroupConsumer', () => {
  it('tells the runtime when KafkaJS gives up a rejoin and fetches on with its old assignment', async () => {
    const { scripted, consumer, calls } = await started();
    // NOT_COORDINATOR from a fetch: KafkaJS announces a rejoin; its join retries run out
    // while the coordinator loads, and its fetch loop starts again without a join.
    scripted.emit(EVENTS.REBALANCING, { payload: {} });
    scripted.emit(EVENTS.FETCH_START, { payload: { nodeId: 1 } });
    scripted.emit(EVENTS.FETCH_START, { payload: { nodeId: 1 } });
    expect(calls).toEqual(['assigned', 'rebalancing', 'rejoin abandoned']);
    await consumer.disconnect();
  });

  it('says nothing more when the rejoin ends in a join, or when fetches follow a join', async () => {
    const { scripted, consumer, calls } = await started();
    scripted.emit(EVENTS.FETCH_START, { payload: { nodeId: 1 } });
    scripted.emit(EVENTS.REBALANCING, { payload: {} });
    scripted.join();
    scripted.emit(EVENTS.FETCH_START, { payload: { nodeId: 1 } });
    expect(calls).toEqual(['assigned', 'rebalancing', 'assigned']);
    await consumer.disconnect();
  });

  it('after a crash that restarts, waits for the join of the new member', async () => {
    const { scripted, consumer, calls } = await started();
    const error = Object.assign(new Error('No broker available'), { name: 'KafkaJSNoBrokerAvailableError' });
    scripted.emit(EVENTS.CRASH, { payload: { error, restart: true } });
    scripted.join('m2');
    scripted.emit(EVENTS.FETCH_START, { payload: { nodeId: 1 } });
    expect(calls).toEqual(['assigned', 'crash(restarting)', 'rebalancing', 'assigned(lost)']);
    await consumer.disconnect();
  });
});
