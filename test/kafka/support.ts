// Helpers for the @tributary/kafka integration tests: an application with test settings,
// waits on its state and metrics, JSON reads of output topics, topic configs.
import { consoleLogger, silentLogger, StreamsBuilder, type StreamsState, type Topology } from '@tributary/core';
import { KafkaStreams, type ClientName, type KafkaStreamsOptions } from '@tributary/kafka';
import { brokers, createKafka, produce, uniqueName, waitFor, waitForMessages, withAdmin, type ConsumedMessage } from '../harness';

/** `TRIBUTARY_LOG=debug|info` shows the runtime's log while debugging a test. */
export const testLogger = process.env.TRIBUTARY_LOG ? consoleLogger(process.env.TRIBUTARY_LOG as 'debug') : silentLogger;

/** `TRIBUTARY_CLIENT=platformatic` runs the tests on the @platformatic/kafka client (Node 22 or newer); KafkaJS by default. */
const testClient = process.env.TRIBUTARY_CLIENT as ClientName | undefined;

/** Settings that make a test quick: short commit interval, short session timeout, quick fetches. */
export function testOptions(overrides: Partial<KafkaStreamsOptions> = {}): KafkaStreamsOptions {
  return {
    applicationId: uniqueName('app'),
    brokers: brokers(),
    logger: testLogger,
    commitIntervalMs: 500,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    maxWaitTimeMs: 100,
    metricsIntervalMs: 0,
    handleSignals: false,
    ...(testClient ? { client: testClient } : {}),
    ...overrides,
  };
}

/** A started application; `await using` closes it. */
export async function startApp(topology: Topology, overrides: Partial<KafkaStreamsOptions> = {}): Promise<KafkaStreams> {
  const app = new KafkaStreams(topology, testOptions(overrides));
  await app.start();
  return app;
}

export async function waitForState(app: KafkaStreams, state: StreamsState, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => app.state === state, { timeoutMs, intervalMs: 20, description: () => `state ${state} (is ${app.state})` });
}

/** Waits until the application has processed `count` records in all. */
export async function waitForProcessed(app: KafkaStreams, count: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(() => app.metrics().processed >= count, { timeoutMs, intervalMs: 20, description: () => `${count} records processed (${app.metrics().processed})` });
}

/** Reads `count` records of `topic` (fresh group, from the beginning), values parsed as JSON. */
export async function readJson<V = unknown>(topic: string, count: number, timeoutMs = 60_000): Promise<(ConsumedMessage & { json: V; text: string | null })[]> {
  const messages = await waitForMessages(topic, { count, timeoutMs });
  return messages.map((m) => ({ ...m, text: m.key?.toString() ?? null, json: (m.value === null ? null : JSON.parse(m.value.toString())) as V }));
}

/** The latest value per key of a topic's records (what a compacted topic converges to). */
export function latestByKey<V>(messages: readonly { text: string | null; json: V; partition: number; offset: number }[]): Map<string, V> {
  const latest = new Map<string, V>();
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const m of ordered) latest.set(m.text ?? '', m.json);
  return latest;
}

/** A topic's configuration as the broker reports it. */
export async function topicConfig(topic: string): Promise<Record<string, string>> {
  return withAdmin(async (admin) => {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name: topic }] });
    return Object.fromEntries((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  });
}

export async function partitionCount(topic: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  });
}

/** The group's committed offsets per partition of `topic` (absent when none). */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(async (admin) => {
    const [response] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((response?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
  });
}

export async function listTopics(): Promise<string[]> {
  return withAdmin((admin) => admin.listTopics());
}

/**
 * Reads `topic` from the beginning (fresh group) until `done(messages)` holds, for waits
 * a count cannot express (e.g. "every id seen at least once" when duplicates may come).
 */
export async function readUntil<V = unknown>(
  topic: string,
  done: (messages: readonly { json: V; partition: number; offset: number; text: string | null }[]) => boolean,
  { timeoutMs = 120_000, description = `records on ${topic}` } = {},
): Promise<{ json: V; partition: number; offset: number; text: string | null }[]> {
  const consumer = createKafka({ clientId: 'tributary-test-reader' }).consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const received: { json: V; partition: number; offset: number; text: string | null }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let satisfied = false;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          received.push({ json: JSON.parse(m.value!.toString()) as V, partition: batch.partition, offset: Number(m.offset), text: m.key?.toString() ?? null });
        }
        satisfied = done(received);
      },
    });
    await waitFor(() => satisfied, { timeoutMs, intervalMs: 50, description: () => `${description} (read ${received.length})` });
    return received;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * input -> output, where a record whose value has `hold: true` waits in an asynchronous stage
 * until `release()`: its partition's committed offset stays behind it, so that partition has
 * a lag while the others catch up.
 */
export function heldRecordTopology(input: string, output: string): { topology: Topology; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const builder = new StreamsBuilder();
  builder
    .stream<string, { n: number; hold?: boolean }>(input)
    .mapValuesAsync(async (v) => {
      if (v.hold) await gate;
      return v;
    })
    .to(output);
  return { topology: builder.build(), release };
}

/**
 * Produces `n` records with keys `k0 .. k<keys-1>` in turn (record `i` of the run is
 * `{ n: from + i }`) and adds them to `counts`: the independent count a counting topology
 * must end with.
 */
export async function produceCounted(topic: string, from: number, n: number, keys: number, counts: Map<string, number>): Promise<void> {
  const records = Array.from({ length: n }, (_, i) => ({ key: `k${(from + i) % keys}`, value: JSON.stringify({ n: from + i }) }));
  for (const r of records) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  for (let i = 0; i < records.length; i += 500) await produce(topic, records.slice(i, i + 500));
}
