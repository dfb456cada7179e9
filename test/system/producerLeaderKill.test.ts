// Issue 8 item 6: records the producer had acknowledged were missing after a leader change.
// Tributary's producers write sequence numbers to a 6-partition topic (replication 3, min ISR
// 2) on a 3-node cluster of this file's own, as the record collector does: one request at a
// time, each holding records for every partition, so each request goes to all three leaders.
// Node 1 (it leads partitions 0 and 3) is SIGKILLed mid-stream and restarted 3 s later; the
// replicas are laid out so that its two partitions fail over to two different nodes, which
// splits the request in flight to it (see `createSplittingTopic`). Then
// Kafka's own console consumer (no KafkaJS involved) reads the topic back: every acknowledged
// record must be there, once. KafkaJS 2.2.4 alone loses the killed leader's share of the
// request in flight, or writes another leader's share twice (packages/kafka/README.md,
// "Producer settings and leader changes").
//
// PRODUCER_SETTINGS_MATRIX=1 also runs the same fault against plain KafkaJS producers with
// other settings, and a double fault that shows what min.insync.replicas and unclean leader
// election do: the figures of that README section. Those runs report and assert nothing.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@tributary/core';
import { createNamedClient, type ClientName, type ConnectionOptions, type ProducedRecord } from '@tributary/kafka';
import { Kafka, logLevel, Partitioners, type Message, type Producer, type Transaction } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaTool } from '../harness';
import { KafkaCluster } from './KafkaCluster';

const PARTITIONS = 6;
const RECORDS = 30_000;
/** Records per request: 100 per partition, about what the collector batches at this rate. */
const PER_REQUEST = 600;
/** With transactions, a commit every this many records (as a task commits every commitIntervalMs). */
const PER_TRANSACTION = 5 * PER_REQUEST;
/** The leader dies once this share of the records was sent, and comes back DOWN_MS later. */
const KILL_AT = 0.3;
const DOWN_MS = 3_000;
const TIMEOUT_MS = 240_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A way of writing: `send` writes one request and resolves with the records now acknowledged (with transactions: committed). */
interface Writer {
  send(records: ProducedRecord[]): Promise<ProducedRecord[]>;
  /** What is acknowledged at the end (the last transaction committed). */
  finish(): Promise<ProducedRecord[]>;
  close(): Promise<void>;
}

interface Scenario {
  name: string;
  /** Topic settings; the topic always has replication 3. */
  minInsyncReplicas?: number;
  uncleanLeaderElection?: boolean;
  /** SIGTERM (controlled shutdown) instead of SIGKILL. */
  graceful?: boolean;
  writer: (brokers: string[], logger: Logger) => Promise<Writer>;
}

let cluster: KafkaCluster;

/** The client under test: TRIBUTARY_CLIENT (kafkajs, the default, or platformatic on Node 22). */
function testClient(brokers: string[], clientId: string, logger: Logger, connection?: ConnectionOptions) {
  return createNamedClient((process.env.TRIBUTARY_CLIENT as ClientName | undefined) ?? 'kafkajs', { brokers, clientId, logger, ...(connection ? { connection } : {}) });
}

/** Tributary's idempotent producer, one `send` per request. */
async function idempotentWriter(brokers: string[], logger: Logger, connection?: ConnectionOptions): Promise<Writer> {
  const producer = (await testClient(brokers, 'leader-kill', logger, connection)).producer({ clientId: 'leader-kill', deliveryTimeoutMs: 60_000 });
  await producer.connect();
  return {
    send: async (records) => {
      await producer.send(records);
      return records;
    },
    finish: async () => [],
    close: () => producer.disconnect(),
  };
}

function expectEachAcknowledgedOnce(run: LeaderKillRun): void {
  expect(run.missing.slice(0, 20), `${run.missing.length} acknowledged records are not in the topic`).toEqual([]);
  expect(run.duplicates).toBe(0);
  expect(run.failures).toEqual([]);
  expect(run.acknowledged).toBe(RECORDS);
}

beforeAll(async () => {
  cluster = await KafkaCluster.start({ nodes: 3 });
  // The harness's KafkaJS settings read KAFKA_BROKERS even when the cluster's own brokers override it.
  process.env.KAFKA_BROKERS ??= cluster.brokers.join(',');
}, TIMEOUT_MS);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

describe('Tributary’s producers on a leader change (leader SIGKILLed mid-stream, then restarted)', () => {
  it('at-least-once: every record the idempotent producer acknowledged is in the topic, once', async () => {
    expectEachAcknowledgedOnce(await leaderKillRun({ name: 'tributary-idempotent', writer: idempotentWriter }));
  }, TIMEOUT_MS);

  it('at-least-once, metadata kept 5 minutes: a request sent to the dead leader is split between its two successors, once', async () => {
    // Kafka's default metadata age: the first request after the kill still goes to the dead
    // leader, and its retry has to find that the two partitions now live on two nodes.
    const connection = { producer: { metadataMaxAgeMs: 300_000 } };
    expectEachAcknowledgedOnce(await leaderKillRun({ name: 'tributary-idempotent, metadata max age 300 s', writer: (brokers, logger) => idempotentWriter(brokers, logger, connection) }));
  }, TIMEOUT_MS);

  it('exactly-once: every record of a committed transaction is in the topic, once (read_committed)', async () => {
    const run = await leaderKillRun({
      name: 'tributary-transactional',
      writer: async (brokers, logger) => {
        const client = await testClient(brokers, 'leader-kill', logger);
        const producer = client.transactionalProducer({ clientId: 'leader-kill', deliveryTimeoutMs: 60_000, transactionalId: `leader-kill-${randomBytes(4).toString('hex')}` });
        await producer.connect();
        return committingWriter({
          send: (records) => producer.send(records),
          commit: () => producer.commit('leader-kill-group', []),
          abort: () => producer.abort(),
          close: () => producer.disconnect(),
        });
      },
    });
    expect(run.missing.slice(0, 20), `${run.missing.length} committed records are not in the topic`).toEqual([]);
    expect(run.duplicates).toBe(0);
    // A transaction may fail (its coordinator was on the killed node); its records must not be visible.
    expect(run.visibleUncommitted).toBe(0);
    expect(run.acknowledged).toBeGreaterThan(RECORDS * 0.9);
  }, TIMEOUT_MS);
});

interface KafkaJsSettings {
  idempotent: boolean;
  maxInFlightRequests: number;
  acks: -1 | 1;
  transactional?: boolean;
}

/** Tributary's settings before the fix: what KafkaJsProducer used to send with. */
const before: KafkaJsSettings = { idempotent: true, maxInFlightRequests: 1, acks: -1 };

const matrix: (Omit<Scenario, 'writer'> & { settings: KafkaJsSettings })[] = [
  { name: 'idempotent, 1 in flight, acks=all; min ISR 2', settings: before, minInsyncReplicas: 2 },
  { name: 'idempotent, 1 in flight, acks=all; min ISR 1', settings: before, minInsyncReplicas: 1 },
  { name: 'idempotent, 1 in flight, acks=all; min ISR 2, unclean election', settings: before, minInsyncReplicas: 2, uncleanLeaderElection: true },
  { name: 'idempotent, 5 in flight, acks=all; min ISR 2', settings: { ...before, maxInFlightRequests: 5 }, minInsyncReplicas: 2 },
  { name: 'not idempotent, 1 in flight, acks=all; min ISR 2', settings: { ...before, idempotent: false }, minInsyncReplicas: 2 },
  { name: 'not idempotent, 1 in flight, acks=1; min ISR 2', settings: { ...before, idempotent: false, acks: 1 }, minInsyncReplicas: 2 },
  { name: 'transactional, 1 in flight; min ISR 2 (read_committed)', settings: { ...before, transactional: true }, minInsyncReplicas: 2 },
  { name: 'idempotent, 1 in flight, acks=all; min ISR 2; SIGTERM', settings: before, minInsyncReplicas: 2, graceful: true },
];

describe.runIf(process.env.PRODUCER_SETTINGS_MATRIX === '1')('KafkaJS 2.2.4 alone on the same leader change (README figures)', () => {
  for (const { settings, ...scenario } of matrix) {
    it(scenario.name, async () => {
      await leaderKillRun({ ...scenario, name: `kafkajs: ${scenario.name}`, writer: (brokers) => kafkaJsWriter(brokers, settings) });
    }, TIMEOUT_MS);
  }
});

describe.runIf(process.env.PRODUCER_SETTINGS_MATRIX === '1')('the in-sync replicas shrink to the leader, then it dies (README figures)', () => {
  for (const [minInsyncReplicas, unclean] of [[1, true], [1, false], [2, true], [2, false]] as const) {
    it(`min ISR ${minInsyncReplicas}, unclean leader election ${unclean ? 'on' : 'off'}`, () => shrunkIsrRun(minInsyncReplicas, unclean), TIMEOUT_MS);
  }
});

/**
 * One partition with replicas [1, 2] (node 3 holds none). Tributary's producer writes all along
 * (100 records every 50 ms). Node 2 dies: the ISR shrinks to [1], the leader. 4 s later node 1
 * dies too, and node 2 comes back: it was not in the ISR, so it may lead only by an unclean
 * election. Node 1 comes back 10 s later. Reads the topic back as above.
 */
async function shrunkIsrRun(minInsyncReplicas: number, unclean: boolean): Promise<void> {
  const topic = `producer-shrunk-isr-${randomBytes(4).toString('hex')}`;
  await cluster.withAdmin(async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2] }], configEntries: [
        { name: 'min.insync.replicas', value: String(minInsyncReplicas) },
        { name: 'unclean.leader.election.enable', value: String(unclean) },
      ] }],
    });
  });
  const partition = () => cluster.withAdmin(async (admin) => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions[0]!);
  const until = async (what: (p: { leader: number; isr: number[] }) => boolean, timeoutMs = 120_000) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(300)) {
      if (what(await partition().catch(() => ({ leader: -2, isr: [] })))) return true;
    }
    return false;
  };
  await until((p) => p.leader === 1 && p.isr.length === 2);

  const producer = (await testClient(cluster.brokers, 'shrunk-isr', recordingLogger([]))).producer({ clientId: 'shrunk-isr', deliveryTimeoutMs: 180_000 });
  await producer.connect();
  const acknowledged = new Set<number>();
  const byPhase: Record<string, number> = {};
  let phase = 'all in sync';
  let stopping = false;
  const failures: string[] = [];
  let lastAck = Date.now();
  let longestGapMs = 0;
  const writing = (async () => {
    for (let from = 0; !stopping; from += 100) {
      const records = Array.from({ length: 100 }, (_, i): ProducedRecord => ({ topic, partition: 0, key: null, value: Buffer.from(String(from + i)), timestamp: Date.now(), headers: {} }));
      try {
        await producer.send(records);
        for (let i = from; i < from + 100; i++) acknowledged.add(i);
        byPhase[phase] = (byPhase[phase] ?? 0) + 100;
        longestGapMs = Math.max(longestGapMs, Date.now() - lastAck);
        lastAck = Date.now();
      } catch (error) {
        failures.push((error as Error).message);
      }
      await sleep(50);
    }
  })();

  await sleep(3_000);
  phase = 'node 2 down';
  await cluster.killNode(2);
  await until((p) => p.isr.length === 1);
  phase = 'ISR = [1]';
  await sleep(4_000);
  phase = 'node 1 down too';
  await cluster.killNode(1);
  await cluster.startNode(2);
  phase = 'node 2 back, node 1 down';
  await sleep(10_000);
  const leaderWhileDown = (await partition().catch(() => ({ leader: -2 }))).leader;
  phase = 'node 1 back';
  await cluster.startNode(1);
  await until((p) => p.isr.length === 2);
  await sleep(2_000);
  stopping = true;
  await writing;
  await producer.disconnect();

  const { values } = await readWithConsoleConsumer(cluster.brokers, topic);
  const missing = [...acknowledged].filter((i) => !values.has(i)).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      scenario: `producer-shrunk-isr: min ISR ${minInsyncReplicas}, unclean ${unclean}`,
      kafka: kafkaVersion(),
      acknowledged: acknowledged.size,
      acknowledgedByPhase: byPhase,
      leaderWhileNode1Down: leaderWhileDown,
      acknowledgedMissing: missing.length,
      missingRange: missing.length > 0 ? `${missing[0]}..${missing[missing.length - 1]}` : '',
      longestGapMs,
      failedSends: failures.length,
      failures: failures.slice(0, 2),
    }),
  );
}

/** A plain KafkaJS producer (retrying without end, as Tributary's), one `sendBatch` per request. */
async function kafkaJsWriter(brokers: string[], settings: KafkaJsSettings): Promise<Writer> {
  const kafka = new Kafka({ clientId: 'leader-kill-kafkajs', brokers, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 60 } });
  const producer: Producer = kafka.producer({
    idempotent: settings.idempotent,
    maxInFlightRequests: settings.maxInFlightRequests,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    ...(settings.transactional ? { transactionalId: `leader-kill-kafkajs-${randomBytes(4).toString('hex')}` } : {}),
  });
  await producer.connect();
  const messages = (records: ProducedRecord[]): Message[] => records.map((r) => ({ partition: r.partition, key: r.key, value: r.value }));
  const topicMessages = (records: ProducedRecord[]) => [{ topic: records[0]!.topic, messages: messages(records) }];
  if (!settings.transactional) {
    return {
      send: async (records) => {
        await producer.sendBatch({ topicMessages: topicMessages(records), acks: settings.acks });
        return records;
      },
      finish: async () => [],
      close: () => producer.disconnect(),
    };
  }
  let transaction: Transaction | undefined;
  return committingWriter({
    send: async (records) => {
      transaction ??= await producer.transaction();
      await transaction.sendBatch({ topicMessages: topicMessages(records), acks: -1 });
    },
    commit: async () => {
      const t = transaction;
      transaction = undefined;
      await t?.commit();
    },
    abort: async () => {
      const t = transaction;
      transaction = undefined;
      if (t?.isActive()) await t.abort();
    },
    close: () => producer.disconnect(),
  });
}

/** A Writer on a transactional producer: a commit every PER_TRANSACTION records; a failed write or commit aborts. */
function committingWriter(producer: { send(records: ProducedRecord[]): Promise<void>; commit(): Promise<void>; abort(): Promise<void>; close(): Promise<void> }): Writer {
  let open: ProducedRecord[] = [];
  const commit = async () => {
    const written = open;
    open = [];
    try {
      await producer.commit();
      return written;
    } catch (error) {
      await producer.abort().catch(() => undefined);
      throw error;
    }
  };
  return {
    send: async (records) => {
      open.push(...records);
      try {
        await producer.send(records);
      } catch (error) {
        open = [];
        await producer.abort().catch(() => undefined);
        throw error;
      }
      return open.length >= PER_TRANSACTION ? commit() : [];
    },
    finish: commit,
    close: () => producer.close(),
  };
}

interface LeaderKillRun {
  acknowledged: number;
  duplicates: number;
  missing: number[];
  visibleUncommitted: number;
  failures: string[];
}

async function leaderKillRun({ name, minInsyncReplicas = 2, uncleanLeaderElection = false, graceful = false, writer }: Scenario): Promise<LeaderKillRun> {
  const topic = `producer-leader-kill-${randomBytes(4).toString('hex')}`;
  const leaders = await createSplittingTopic(topic, { 'min.insync.replicas': String(minInsyncReplicas), 'unclean.leader.election.enable': String(uncleanLeaderElection) });
  const victim = 1;
  const victimPartitions = leaders.flatMap((l, p) => (l === victim ? [p] : []));
  /** The leaders the victim's partitions moved to. */
  let failover: number[] = [];

  const guardLines: string[] = [];
  const write = await writer(cluster.brokers, recordingLogger(guardLines));
  const acknowledged = new Set<number>();
  const acknowledge = (records: ProducedRecord[]) => {
    for (const r of records) acknowledged.add(Number(r.value!.toString()));
  };
  const failures: string[] = [];
  let fault: Promise<void> | undefined;
  /** When the leader was killed, and when it served requests again. */
  const window = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };
  let sendsDuringFault = 0;
  let longestSendMs = 0;
  const started = Date.now();
  try {
    for (let from = 0; from < RECORDS; from += PER_REQUEST) {
      const records: ProducedRecord[] = [];
      for (let i = from; i < Math.min(RECORDS, from + PER_REQUEST); i++) {
        records.push({ topic, partition: i % PARTITIONS, key: Buffer.from(`k${i}`), value: Buffer.from(String(i)), timestamp: Date.now(), headers: {} });
      }
      const sendStarted = Date.now();
      try {
        acknowledge(await write.send(records));
      } catch (error) {
        failures.push(`[${from}, ${from + records.length}): ${(error as Error).message}`);
      }
      longestSendMs = Math.max(longestSendMs, Date.now() - sendStarted);
      if (sendStarted < window.to && Date.now() > window.from) sendsDuringFault++;
      if (!fault && from >= KILL_AT * RECORDS) {
        fault = (async () => {
          window.from = Date.now();
          await cluster.killNode(victim, { graceful });
          const down = sleep(DOWN_MS);
          failover = await newLeaders(topic, victimPartitions, victim);
          await down;
          await cluster.startNode(victim);
          window.to = Date.now();
        })();
      }
      await sleep(20);
    }
    acknowledge(await write.finish().catch((error: Error) => (failures.push(`last commit: ${error.message}`), [])));
    await fault;
  } finally {
    await write.close();
  }
  const produceMs = Date.now() - started;

  await cluster.waitUntilInSync([topic]);
  const { values, offsets } = await readWithConsoleConsumer(cluster.brokers, topic);
  const missing = [...acknowledged].filter((i) => !values.has(i)).sort((a, b) => a - b);
  const visibleUncommitted = [...values.keys()].filter((i) => !acknowledged.has(i)).length;
  const duplicates = [...values.values()].reduce((n, copies) => n + copies - 1, 0);
  console.log(
    JSON.stringify({
      scenario: `producer-leader-kill: ${name}`,
      kafka: kafkaVersion(),
      records: RECORDS,
      acknowledged: acknowledged.size,
      failedSends: failures.length,
      sendsDuringFault,
      longestSendMs,
      offsets,
      read: [...values.values()].reduce((a, b) => a + b, 0),
      acknowledgedMissing: missing.length,
      duplicates,
      visibleUncommitted,
      // The producer's guard at work: requests split by new leaders, partitions a KafkaJS answer lacked.
      splitByNewLeaders: guardLines.filter((l) => l.includes('splitting it by the new leaders')).length,
      lackingAnswers: guardLines.filter((l) => l.includes('sending those records again')).length,
      victimNode: victim,
      victimPartitions,
      failoverLeaders: failover,
      produceMs,
      failures: failures.slice(0, 3),
    }),
  );
  // The leader change must have happened mid-stream, or the run proves nothing.
  expect(sendsDuringFault).toBeGreaterThan(0);
  // And it must have split the victim's partitions between two new leaders (one request to two).
  expect(new Set(failover).size, `the victim's partitions ${victimPartitions.join(', ')} moved to ${failover.join(', ')}`).toBe(2);
  return { acknowledged: acknowledged.size, duplicates, missing, visibleUncommitted, failures };
}

/** The Kafka release the cluster runs (tools/kafka's default, or KAFKA_VERSION). */
function kafkaVersion(): string {
  return /^VERSION=(.*)$/m.exec(readFileSync(join(cluster.runDir, 'cluster.env'), 'utf8'))?.[1] ?? 'unknown';
}

/** A logger that keeps the lines of the producer's guard (KafkaJS's own lines are dropped). */
function recordingLogger(lines: string[]): Logger {
  const keep = (message: string) => {
    if (!message.startsWith('kafkajs ')) lines.push(message);
  };
  return { debug: keep, info: keep, warn: keep, error: keep };
}

/**
 * A topic of PARTITIONS partitions on nodes 1 to 3 in which node n leads partitions n - 1 and
 * n + 2, with their followers in opposite orders: when a leader dies, its first partition moves
 * to one node and its second to the other (Kafka elects the first live in-sync replica in
 * assignment order). A producer's request in flight to the dead leader then has to be split
 * between two new leaders. Kafka's own layout leaves that to chance. Resolves with the leader of
 * each partition once every partition has its assigned leader.
 */
async function createSplittingTopic(topic: string, config: Record<string, string>): Promise<number[]> {
  const replicaAssignment = Array.from({ length: PARTITIONS }, (_, partition) => {
    const [leader, next, last] = [0, 1, 2].map((shift) => ((partition + shift) % 3) + 1) as [number, number, number];
    return { partition, replicas: partition < 3 ? [leader, next, last] : [leader, last, next] };
  });
  await cluster.withAdmin((admin) =>
    admin.createTopics({ waitForLeaders: false, topics: [{ topic, replicaAssignment, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }] }),
  );
  const assigned = replicaAssignment.map(({ replicas }) => replicas[0]!);
  for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
    const leaders = await cluster.leaders(topic).catch(() => []);
    if (leaders.length === PARTITIONS && leaders.every((l, p) => l === assigned[p])) return leaders;
    if (Date.now() > deadline) throw new Error(`topic ${topic}: leaders ${leaders.join(',')}, expected ${assigned.join(',')}`);
  }
}

/** The leaders `partitions` of `topic` move to once `victim` stopped leading them ([] if that took over 60 s). */
async function newLeaders(topic: string, partitions: number[], victim: number): Promise<number[]> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const leaders = await cluster.leaders(topic).catch(() => []);
    const moved = partitions.map((p) => leaders[p] ?? -1);
    if (moved.every((l) => l >= 0 && l !== victim)) return moved;
  }
  return [];
}

/** Every value of `topic` (how often each was read) with Kafka's console consumer (read_committed), and the offsets the topic holds. */
async function readWithConsoleConsumer(brokers: string[], topic: string): Promise<{ values: Map<number, number>; offsets: number }> {
  const { stdout: ends } = await kafkaTool('org.apache.kafka.tools.GetOffsetShell', ['--bootstrap-server', brokers.join(','), '--topic', topic]);
  // Log-end offsets; with transactions they also count commit and abort markers.
  const offsets = ends
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + Number(line.split(':')[2]), 0);
  // It stops once nothing arrived for 10 s (reporting a TimeoutException, and exiting 0).
  const { stdout } = await kafkaTool(
    'org.apache.kafka.tools.consumer.ConsoleConsumer',
    ['--bootstrap-server', brokers.join(','), '--topic', topic, '--from-beginning', '--isolation-level', 'read_committed', '--timeout-ms', '10000'],
    120_000,
  );
  const values = new Map<number, number>();
  for (const line of stdout.split('\n')) {
    if (!/^\d+$/.test(line)) continue;
    const value = Number(line);
    values.set(value, (values.get(value) ?? 0) + 1);
  }
  return { values, offsets };
}
