import { createRequire } from 'node:module';
import { RecordTooLargeError } from '@tributary/core';
import { defaultPartition, murmur2 } from '@tributary/core/runtime';
import { Partitioners, type Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { toTopicMessages } from '../src/client/kafkajs/records';
import type { ProducedRecord } from '../src/client/StreamsClient';
import { KafkaRecordCollector } from '../src/producer/KafkaRecordCollector';
import { RECORD_BATCH_OVERHEAD_BYTES, recordSize } from '../src/producer/recordSize';
import { TopicLimits } from '../src/producer/TopicLimits';

const record = (topic: string, key: string | null, partition?: number): ProducedRecord => ({
  topic,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from('{}'),
  timestamp: 1,
  headers: {},
  partition,
});

/** A producer whose sends the test acknowledges (or fails) by hand. */
function fakeProducer() {
  const sends: { records: readonly ProducedRecord[]; ack: () => void; fail: (e: Error) => void }[] = [];
  return {
    sends,
    send: (records: readonly ProducedRecord[]) =>
      new Promise<void>((ack, fail) => {
        sends.push({ records, ack, fail });
      }),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

// KafkaJS's own encoders, as its produce request uses them: the bytes the broker counts.
const kafkaJs = createRequire(import.meta.url);
const { RecordBatch } = kafkaJs('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: object) => Promise<{ size(): number }> };
const encodeRecord = kafkaJs('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => { size(): number };

/** The size of one partition's record batch holding `messages`, encoded as KafkaJS's produce request encodes it. */
async function encodedBatchSize(messages: readonly Message[]): Promise<number> {
  const timestamps = messages.map((m) => m.timestamp!).sort();
  const records = messages.map((m, i) => encodeRecord({ ...m, offsetDelta: i, timestampDelta: Number(m.timestamp) - Number(timestamps[0]) }));
  return (await RecordBatch({ records, firstTimestamp: timestamps[0], maxTimestamp: timestamps[timestamps.length - 1], lastOffsetDelta: records.length - 1 })).size();
}

/** What a dead letter carries: a small bad value, the input's headers and the error's (a stack trace of about 1 KB). */
const deadLetter = (i: number): ProducedRecord => ({
  topic: 'dlq',
  key: Buffer.from(`key-${i}`),
  value: Buffer.from(`{"n": ${i},`),
  timestamp: 1_700_000_000_000 + i,
  headers: {
    seq: String(i),
    '__streams.errors.exception': 'DeserializationError',
    '__streams.errors.message': `Cannot deserialize the record at topic 'events' partition 0 offset ${i}: Unexpected end of JSON input`,
    '__streams.errors.stacktrace': `DeserializationError: Cannot deserialize\n${'    at Task.process (/app/node_modules/@tributary/core/dist/index.js:1234:56)\n'.repeat(12)}`,
    '__streams.errors.topic': 'events',
    '__streams.errors.partition': '0',
    '__streams.errors.offset': String(i),
  },
  partition: undefined,
});

/** Sends `records` and acknowledges every request; returns the requests and each send's outcome. */
async function sendAll(collector: KafkaRecordCollector, producer: ReturnType<typeof fakeProducer>, records: readonly ProducedRecord[]) {
  const outcomes: { ok: boolean; error?: unknown }[] = records.map(() => ({ ok: false }));
  records.forEach((r, i) => {
    try {
      collector.send(r).then(
        () => (outcomes[i] = { ok: true }),
        (error: unknown) => (outcomes[i] = { ok: false, error }),
      );
    } catch (error) {
      outcomes[i] = { ok: false, error };
    }
  });
  const flushed = collector.flush();
  for (let acked = 0; ; ) {
    await tick();
    while (acked < producer.sends.length) producer.sends[acked++]!.ack();
    if (await Promise.race([flushed.then(() => true), tick().then(() => false)])) break;
  }
  await tick();
  return { requests: producer.sends.map((s) => s.records), outcomes };
}

describe('KafkaRecordCollector', () => {
  it('puts keyed records on the partition Kafka’s default partitioner picks (murmur2)', async () => {
    const producer = fakeProducer();
    const collector = new KafkaRecordCollector(producer, new Map([['out', 8]]));
    for (const key of ['alice', 'bob', 'carol']) void collector.send(record('out', key));
    void collector.send(record('out', 'dave', 5)); // a partitioner's choice stays
    void collector.send(record('out', null)); // unkeyed: left to the client
    void collector.send(record('elsewhere', 'erin')); // unknown count: left to the client (murmur2 too)
    await tick();
    const sent = producer.sends[0]!.records;
    expect(sent.map((r) => r.partition)).toEqual([
      defaultPartition(Buffer.from('alice'), 8),
      defaultPartition(Buffer.from('bob'), 8),
      defaultPartition(Buffer.from('carol'), 8),
      5,
      undefined,
      undefined,
    ]);
  });

  it('uses the murmur2 of the Java client, as KafkaJS’s DefaultPartitioner does', () => {
    // Expected hashes from Apache Kafka's UtilsTest.testMurmur2.
    const java: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    const kafkaJs = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 7 }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
    for (const [key, hash] of java) {
      expect(murmur2(Buffer.from(key))).toBe(hash);
      expect(defaultPartition(Buffer.from(key), 7)).toBe((hash & 0x7fffffff) % 7);
      expect(kafkaJs({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: null } })).toBe(defaultPartition(Buffer.from(key), 7));
    }
  });

  it('sends one batch at a time; what arrives meanwhile goes in the next batch', async () => {
    const producer = fakeProducer();
    const collector = new KafkaRecordCollector(producer, new Map([['out', 1]]));
    void collector.send(record('out', 'a'));
    void collector.send(record('out', 'b'));
    await tick();
    expect(producer.sends).toHaveLength(1);
    void collector.send(record('out', 'c'));
    void collector.send(record('out', 'd'));
    await tick();
    expect(producer.sends).toHaveLength(1);
    producer.sends[0]!.ack();
    await tick();
    await tick();
    expect(producer.sends).toHaveLength(2);
    expect(producer.sends[1]!.records.map((r) => r.key?.toString())).toEqual(['c', 'd']);
  });

  it('settles each send when its batch is acknowledged, or rejects it when the batch fails', async () => {
    const producer = fakeProducer();
    const collector = new KafkaRecordCollector(producer, new Map());
    const first = collector.send(record('out', 'a'));
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await tick();
    expect(firstDone).toBe(false);
    producer.sends[0]!.ack();
    await first;
    const second = collector.send(record('out', 'b'));
    await tick();
    producer.sends[1]!.fail(new Error('NOT_ENOUGH_REPLICAS'));
    await expect(second).rejects.toThrow('NOT_ENOUGH_REPLICAS');
    expect(collector.pending).toBe(0);
  });

  it('flush() sends at once and resolves when everything handed over has settled', async () => {
    const producer = fakeProducer();
    const collector = new KafkaRecordCollector(producer, new Map(), { maxBatchRecords: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) void collector.send(record('out', key));
    let flushed = false;
    const flush = collector.flush().then(() => (flushed = true));
    expect(producer.sends).toHaveLength(1); // flush dispatched without waiting for a tick
    for (let i = 0; i < 3; i++) {
      await tick();
      expect(flushed).toBe(false);
      producer.sends[i]!.ack();
      await tick();
    }
    await flush;
    expect(producer.sends.map((s) => s.records.length)).toEqual([2, 2, 1]);
  });

  it('knows the partition counts of the topology’s topics only', () => {
    const collector = new KafkaRecordCollector(fakeProducer(), new Map([['out', 3]]));
    expect(collector.partitionsFor('out')).toBe(3);
    expect(() => collector.partitionsFor('nope')).toThrow(/topic 'nope' is unknown/);
  });

  describe('sizes requests in the bytes Kafka counts', () => {
    it('counts each record exactly as KafkaJS encodes it, but for the two deltas (at most 13 bytes more)', () => {
      const records = [
        deadLetter(1),
        { ...deadLetter(2), key: null, value: null, headers: {} },
        { ...deadLetter(3), value: Buffer.alloc(300_000, 1), headers: { 'ünïcödé': 'välüe', binary: Buffer.alloc(200, 7), skipped: undefined } },
      ];
      for (const record of records) {
        const [message] = toTopicMessages([record])[0]!.messages;
        const encoded = encodeRecord({ ...message, offsetDelta: 0, timestampDelta: 0 }).size();
        expect(recordSize(record) - encoded).toBeGreaterThanOrEqual(0);
        expect(recordSize(record) - encoded).toBeLessThanOrEqual(13);
      }
    });

    it('never builds a request above the batch cap, headers and overhead included, nor a record batch above its topic’s max.message.bytes', async () => {
      const producer = fakeProducer();
      const limits = new TopicLimits(new Map([['dlq', 60_000], ['out', 1_048_588]]), async () => new Map());
      const collector = new KafkaRecordCollector(producer, new Map([['out', 4]]), { maxBatchBytes: 128 * 1024, topicLimits: limits });
      // 3,000 dead letters in a row (about 1.1 KB each, mostly headers), among outputs to four partitions.
      const records = Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? { ...record('out', `k${i}`), value: Buffer.alloc(500, 1) } : deadLetter(i)));
      const { requests, outcomes } = await sendAll(collector, producer, records);

      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(requests.flat()).toHaveLength(records.length);
      expect(requests.length).toBeGreaterThan(25);
      for (const request of requests) {
        let requestBytes = 0;
        for (const { topic, messages } of toTopicMessages(request)) {
          // Records of no given partition may all land in one: their topic's batch is the bound.
          expect(await encodedBatchSize(messages)).toBeLessThanOrEqual(limits.get(topic)!);
          const byPartition = new Map<number, Message[]>();
          for (const m of messages) {
            if (m.partition === undefined) requestBytes += await encodedBatchSize([m]);
            else byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
          }
          for (const inPartition of byPartition.values()) requestBytes += await encodedBatchSize(inPartition);
        }
        expect(requestBytes).toBeLessThanOrEqual(128 * 1024);
      }
    });

    it('refuses a record larger than maxRequestSizeBytes alone; the records sent with it are written, in order', async () => {
      const producer = fakeProducer();
      const collector = new KafkaRecordCollector(producer, new Map([['out', 1]]), { maxRequestSizeBytes: 1_048_576 });
      const big = { ...record('out', 'big'), value: Buffer.alloc(1_048_576 - RECORD_BATCH_OVERHEAD_BYTES - 20, 1) };
      const { requests, outcomes } = await sendAll(collector, producer, [record('out', 'a'), big, record('out', 'b')]);

      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      const error = outcomes[1]!.error as RecordTooLargeError;
      expect(error).toBeInstanceOf(RecordTooLargeError);
      expect(error.message).toBe(`the record for topic 'out' partition 0 is ${RECORD_BATCH_OVERHEAD_BYTES + recordSize(big)} bytes, more than the 1048576 bytes allowed (maxRequestSizeBytes)`);
      expect(requests.flat().map((r) => r.key?.toString())).toEqual(['a', 'b']);
      expect(collector.pending).toBe(0);
    });

    it('sends a record that fits alone in a request of its own, whatever the batch cap', async () => {
      const producer = fakeProducer();
      const collector = new KafkaRecordCollector(producer, new Map([['out', 1]]), { maxBatchBytes: 1_000 });
      const large = { ...record('out', 'large'), value: Buffer.alloc(900 * 1024, 1) };
      const { requests, outcomes } = await sendAll(collector, producer, [record('out', 'a'), large, large, record('out', 'b')]);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(requests.map((r) => r.map((x) => x.key?.toString()))).toEqual([['a'], ['large'], ['large'], ['b']]);
    });

    it('learns the limit of a topic the topology does not name when first writing to it, keeping its records in order', async () => {
      const producer = fakeProducer();
      const looked: string[][] = [];
      let answer!: () => void;
      const limits = new TopicLimits(new Map(), async (topics) => {
        looked.push([...topics]);
        await new Promise<void>((resolve) => (answer = resolve));
        return new Map([['small-dlq', 50_000]]);
      });
      const collector = new KafkaRecordCollector(producer, new Map(), { topicLimits: limits });
      const letters = [30_000, 30_000, 60_000, 10].map((bytes, i) => ({ ...deadLetter(i), topic: 'small-dlq', value: Buffer.alloc(bytes, 1) }));
      const settled = letters.map((r) => collector.send(r).then(() => 'ok', (e: unknown) => (e as Error).name));
      await tick();
      expect(producer.sends).toHaveLength(0); // held until the limit is known
      expect(collector.pending).toBe(4);
      answer();
      const flushed = collector.flush();
      for (let i = 0; i < 4; i++) {
        await tick();
        producer.sends[i]?.ack();
      }
      await flushed;
      expect(looked).toEqual([['small-dlq']]);
      expect(await Promise.all(settled)).toEqual(['ok', 'ok', 'RecordTooLargeError', 'ok']);
      // 30 KB and 30 KB exceed 50,000 bytes together: two requests.
      expect(producer.sends.map((s) => s.records.map((r) => r.headers.seq))).toEqual([['0'], ['1', '3']]);
      expect(collector.pending).toBe(0);
    });

    it('takes Kafka’s default for a topic whose limit cannot be read (no DescribeConfigs permission), and says so', async () => {
      const producer = fakeProducer();
      const warnings: string[] = [];
      const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
      const limits = new TopicLimits(new Map(), () => Promise.reject(new Error('TOPIC_AUTHORIZATION_FAILED')), logger);
      const collector = new KafkaRecordCollector(producer, new Map(), { topicLimits: limits });
      const { requests, outcomes } = await sendAll(collector, producer, [deadLetter(1), deadLetter(2)]);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(requests).toHaveLength(1);
      expect(limits.get('dlq')).toBe(1_048_588);
      expect(warnings).toEqual([`cannot read max.message.bytes of topic 'dlq', taking Kafka's default 1048588: TOPIC_AUTHORIZATION_FAILED`]);
    });
  });
});
