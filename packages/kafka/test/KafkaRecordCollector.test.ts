import { defaultPartition, murmur2 } from '@tributary/core/runtime';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { ProducedRecord } from '../src/client/StreamsClient';
import { KafkaRecordCollector } from '../src/producer/KafkaRecordCollector';

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
});
