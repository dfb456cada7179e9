// Bad input (issue 8): bad records of every kind among good ones (invalid JSON, schema
// failures through Serdes.json(zod schema), empty values, null values, 900 KB values, keys
// that are not UTF-8, callbacks that throw, and 3,000 invalid records in a row), one
// instance whose error handlers send failures to a dead-letter topic. Every bad record must
// reach the dead-letter topic exactly once, as it was read and with the error headers; every
// good one must be processed; the application never stops; its memory stays bounded.
import { DeadLetterHeaders } from '@tributary/core';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../harness';
import { fingerprint, planBadInput, processingKinds, type PlannedRecord, type RecordKind } from './badRecords';
import { expectNoProblems } from './expectNoProblems';
import { Fleet } from './Fleet';
import { seededRandom } from './random';
import { readTopic } from './readTopic';
import { badInputSize, seed } from './sizes';
import { printSummary } from './summary';
import { useCluster } from './useCluster';

/** Produces the records in order; a 900 KB value goes alone, so no request exceeds the broker's limit. */
async function produceInOrder(kafka: Kafka, topic: string, records: PlannedRecord[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    let chunk: Message[] = [];
    const flush = async () => {
      if (chunk.length > 0) await producer.send({ topic, messages: chunk, acks: -1 });
      chunk = [];
    };
    for (const r of records) {
      const message = { key: r.key, value: r.value, partition: r.partition, headers: r.headers };
      if ((r.value?.length ?? 0) > 100_000) {
        await flush();
        await producer.send({ topic, messages: [message], acks: -1 });
      } else {
        chunk.push(message);
        if (chunk.length >= 500) await flush();
      }
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
}

const header = (headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  return value === undefined ? undefined : Array.isArray(value) ? value.map(String).join(',') : value.toString();
};

describe('bad input', () => {
  const clusterOfFile = useCluster({ nodes: 1 });

  it('every bad record in the dead-letter topic once, every good one processed, the application never stops', async () => {
    const cluster = clusterOfFile();
    const started = Date.now();
    const size = badInputSize;
    const topics = { input: uniqueName('payments'), output: uniqueName('payments-out'), dlq: uniqueName('payments-dlq') };
    await cluster.createTopic(topics.input, size.partitions);
    await cluster.createTopic(topics.output, size.partitions);
    await cluster.createTopic(topics.dlq, 2);
    const plan = planBadInput(size, seededRandom(seed));
    const bySeq = new Map(plan.records.map((r) => [r.seq, r]));

    const applicationId = uniqueName('bad-input-app');
    await using fleet = new Fleet(cluster.brokers, { APP_ID: applicationId, TOPOLOGY: 'bad-input', INPUT: topics.input, OUTPUT: topics.output, DLQ: topics.dlq });
    const app = fleet.start();
    await fleet.waitUntilBalanced(size.partitions);
    await produceInOrder(cluster.kafka('tributary-system-bad-input'), topics.input, plan.records);

    const problems: string[] = [];
    try {
      await fleet.waitUntil(
        async () => {
          // A failed look-up (the broker is busy) means "not yet".
          const offsets = await Promise.all([cluster.endOffsets(topics.input), cluster.committedOffsets(applicationId, topics.input, size.partitions)]).catch(() => undefined);
          return offsets !== undefined && offsets[0].every((end, p) => offsets[1][p]! >= end);
        },
        { timeoutMs: size.settleTimeoutMs, description: () => `every input offset committed (${app.processed} processed; ${JSON.stringify(app.lines('progress').at(-1)?.dropped ?? {})} dropped)` },
      );
    } catch (error) {
      const stopped = fleet.failed().length > 0;
      problems.push(`the application did not get through its input (${app.processed} processed)${stopped ? ': it stopped (below)' : `: ${(error as Error).message}`}`);
    }
    // It must still run: neither stopped nor ERROR at any point.
    const stillRunning = app.alive && app.state === 'RUNNING';
    const statesBeforeStop = [...app.states];
    await fleet.stopAll('SIGTERM');

    // Where each record landed in the input (by its seq header), what reached the output and the dead letters.
    const kafka = cluster.kafka('tributary-system-verify');
    const inputAt = new Map<number, { partition: number; offset: string }>();
    await readTopic(kafka, topics.input, (partition, m) => void inputAt.set(Number(header(m.headers, 'seq')), { partition, offset: m.offset }));
    const processed = new Map<number, number>();
    await readTopic(kafka, topics.output, (_p, m) => {
      const id = (JSON.parse(m.value!.toString()) as { id: number }).id;
      processed.set(id, (processed.get(id) ?? 0) + 1);
    });
    const dead = new Map<number, number>();
    const wrong: string[] = [];
    const exceptions: Record<string, number> = {};
    let maxHeaderBytes = 0;
    let maxStackTraceBytes = 0;
    const dlqRead = await readTopic(kafka, topics.dlq, (_p, m) => {
      const seq = Number(header(m.headers, 'seq'));
      const planned = bySeq.get(seq);
      const at = inputAt.get(seq);
      const fault = (what: string) => wrong.length < 20 && wrong.push(`seq ${header(m.headers, 'seq')} (${planned?.kind}): ${what}`);
      if (!planned || !at) return void fault('not a record of the input');
      dead.set(seq, (dead.get(seq) ?? 0) + 1);
      const exception = header(m.headers, DeadLetterHeaders.exception) ?? '';
      exceptions[`${processingKinds.has(planned.kind) ? 'processing' : 'deserialization'}:${exception}`] = (exceptions[`${processingKinds.has(planned.kind) ? 'processing' : 'deserialization'}:${exception}`] ?? 0) + 1;
      if (header(m.headers, 'kind') !== planned.kind) fault(`header kind is ${header(m.headers, 'kind')}: the input's headers were not kept`);
      if (fingerprint(m.value) !== fingerprint(planned.value)) fault(`value ${fingerprint(m.value)} differs from the input's ${fingerprint(planned.value)}`);
      if (!m.key || !m.key.equals(planned.key)) fault(`key ${m.key?.toString('hex')} differs from the input's ${planned.key.toString('hex')}`);
      if (!exception) fault(`no ${DeadLetterHeaders.exception} header`);
      if (!processingKinds.has(planned.kind) && exception !== 'DeserializationError') fault(`exception ${exception}, expected DeserializationError`);
      if (!header(m.headers, DeadLetterHeaders.message)) fault(`no ${DeadLetterHeaders.message} header`);
      if (header(m.headers, DeadLetterHeaders.stacktrace) === undefined) fault(`no ${DeadLetterHeaders.stacktrace} header`);
      if (header(m.headers, DeadLetterHeaders.topic) !== topics.input) fault(`${DeadLetterHeaders.topic} is ${header(m.headers, DeadLetterHeaders.topic)}`);
      if (header(m.headers, DeadLetterHeaders.partition) !== String(at.partition) || header(m.headers, DeadLetterHeaders.offset) !== at.offset) {
        fault(`names partition ${header(m.headers, DeadLetterHeaders.partition)} offset ${header(m.headers, DeadLetterHeaders.offset)}, read at ${at.partition}/${at.offset}`);
      }
      if (processingKinds.has(planned.kind) && !header(m.headers, DeadLetterHeaders.processor)) fault(`no ${DeadLetterHeaders.processor} header on a processing error`);
      const headerBytes = Object.entries(m.headers ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + (v === undefined ? 0 : Buffer.byteLength(String(v))), 0);
      maxHeaderBytes = Math.max(maxHeaderBytes, headerBytes);
      maxStackTraceBytes = Math.max(maxStackTraceBytes, Buffer.byteLength(header(m.headers, DeadLetterHeaders.stacktrace) ?? ''));
    });

    const missing = new Map<RecordKind, number[]>();
    const twice: string[] = [];
    const goodMissing: number[] = [];
    const badProcessed: number[] = [];
    for (const r of plan.records) {
      if (r.kind === 'good') {
        if (!processed.has(r.seq)) goodMissing.push(r.seq);
        if (dead.has(r.seq)) wrong.push(`good record seq ${r.seq} in the dead-letter topic`);
        continue;
      }
      if (processed.has(r.seq)) badProcessed.push(r.seq);
      const n = dead.get(r.seq) ?? 0;
      if (n === 0) missing.set(r.kind, [...(missing.get(r.kind) ?? []), r.seq]);
      if (n > 1) twice.push(`${r.seq} (${r.kind}) x${n}`);
    }
    const missingCount = [...missing.values()].reduce((n, seqs) => n + seqs.length, 0);
    const peakRssMb = Math.round(fleet.peakRssBytes() / 1024 / 1024);
    printSummary('bad-input', {
      records: plan.records.length,
      good: plan.good,
      bad: plan.bad,
      badInARow: size.badInARow,
      big: size.big,
      deadLetters: dlqRead.records,
      deadLettersMissing: missingCount,
      deadLettersDuplicated: twice.length,
      goodMissing: goodMissing.length,
      stillRunning,
      peakRssMb,
      maxDeadLetterHeaderBytes: maxHeaderBytes,
      maxStackTraceBytes,
      durationS: Math.round((Date.now() - started) / 1_000),
    });
    console.info(`dead letters by error: ${JSON.stringify(exceptions)}`);

    // The harness read what it should have: the whole input, by seq.
    expect(inputAt.size, 'input records read back by seq').toBe(plan.records.length);
    if (missingCount) problems.push(`${missingCount} bad records missing from the dead-letter topic: ${[...missing].map(([kind, seqs]) => `${kind} ${seqs.length} (seq ${seqs.slice(0, 5).join(', ')}${seqs.length > 5 ? ', ...' : ''})`).join('; ')}`);
    if (twice.length) problems.push(`${twice.length} bad records in the dead-letter topic more than once: ${twice.slice(0, 10).join(', ')}`);
    if (wrong.length) problems.push(`dead letters not as read or without their headers:\n  ${wrong.join('\n  ')}`);
    if (goodMissing.length) problems.push(`${goodMissing.length} good records never processed (seq ${goodMissing.slice(0, 10).join(', ')}${goodMissing.length > 10 ? ', ...' : ''})`);
    if (badProcessed.length) problems.push(`${badProcessed.length} bad records reached the output (seq ${badProcessed.slice(0, 10).join(', ')})`);
    const stoppedEarly = !stillRunning || statesBeforeStop.some((s) => s !== 'REBALANCING' && s !== 'RUNNING');
    if (stoppedEarly && fleet.failed().length === 0) problems.push(`the application stopped: ${app.describe()}`);
    if (peakRssMb > size.rssLimitMb) problems.push(`peak RSS ${peakRssMb} MB above the ${size.rssLimitMb} MB bound`);
    problems.push(...fleet.problems());
    expectNoProblems(problems);
  });
});
