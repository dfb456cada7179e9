import type { Message, PartitionMetadata, ProducerBatch, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { BatchDelivery, type SendBatch } from '../src/client/kafkajs/BatchDelivery';
import type { ProducedRecord } from '../src/client/StreamsClient';

const record = (topic: string, partition: number | undefined, value: string, key: string | null = null): ProducedRecord => ({
  topic,
  partition,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
  timestamp: 1,
  headers: {},
});

const metadata = (leaders: number[]): PartitionMetadata[] =>
  leaders.map((leader, partitionId) => ({ partitionId, leader, replicas: [1, 2, 3], isr: [1, 2, 3], offlineReplicas: [], partitionErrorCode: 0 }));

/**
 * KafkaJS's sendBatch as far as the delivery sees it: every attempt runs the producer's
 * partitioner over the records in order (with the cluster's current leaders), then the
 * request goes out and `answer` says which partitions the answer holds. `leaders` may change
 * between calls, as after a leader change.
 */
function fakeKafkaJs(delivery: BatchDelivery, leaders: Record<string, number[]>, answer: (call: number, topic: string, partition: number) => boolean = () => true) {
  const partitioner = delivery.createPartitioner();
  /** Each request that went out: `topic[partition]=value`, with the leaders it went to. */
  const requests: { leaders: number[]; records: string[] }[] = [];
  let refused = 0;
  const send: SendBatch = async (batch: ProducerBatch) => {
    const records: string[] = [];
    const to = new Set<number>();
    const answered: RecordMetadata[] = [];
    try {
      for (const { topic, messages } of batch.topicMessages ?? []) {
        for (const message of messages) {
          const partition = partitioner({ topic, partitionMetadata: metadata(leaders[topic]!), message });
          records.push(`${topic}[${partition}]=${String(message.value)}`);
          to.add(leaders[topic]![partition]!);
        }
      }
    } catch (error) {
      refused++;
      throw error; // KafkaJS bails out with the partitioner's non-retriable error
    }
    const call = requests.length;
    requests.push({ leaders: [...to], records });
    for (const { topic, messages } of batch.topicMessages ?? []) {
      for (const partition of new Set(messages.map((m) => m.partition!))) {
        if (answer(call, topic, partition)) answered.push({ topicName: topic, partition, errorCode: 0 });
      }
    }
    return answered;
  };
  return { send, requests, refused: () => refused };
}

describe('BatchDelivery', () => {
  it('sends a batch as one request per partition leader, once KafkaJS has shown the leaders', async () => {
    const delivery = new BatchDelivery();
    const kafka = fakeKafkaJs(delivery, { out: [1, 2, 1, 2], log: [2, 3] });
    const batch = [record('out', 0, 'a'), record('out', 1, 'b'), record('log', 1, 'c'), record('out', 2, 'd'), record('log', 0, 'e')];
    // The first records for a topic go in a request of their own; an attempt of it that spans leaders is refused.
    await delivery.deliver(kafka.send, batch, 1_000);
    expect(kafka.refused()).toBe(2);
    expect(kafka.requests).toEqual([
      { leaders: [1], records: ['out[0]=a', 'out[2]=d'] },
      { leaders: [2], records: ['out[1]=b'] },
      { leaders: [3], records: ['log[1]=c'] },
      { leaders: [2], records: ['log[0]=e'] },
    ]);
    kafka.requests.length = 0;
    await delivery.deliver(kafka.send, batch, 1_000);
    expect(kafka.refused()).toBe(2);
    expect(kafka.requests).toEqual([
      { leaders: [1], records: ['out[0]=a', 'out[2]=d'] },
      { leaders: [2], records: ['out[1]=b', 'log[0]=e'] },
      { leaders: [3], records: ['log[1]=c'] },
    ]);
  });

  it('never lets an attempt go to two leaders: after a leader change it splits the request by the new leaders', async () => {
    const delivery = new BatchDelivery();
    const leaders = { out: [1, 1, 3] };
    const kafka = fakeKafkaJs(delivery, leaders);
    await delivery.deliver(kafka.send, [record('out', 0, 'a'), record('out', 1, 'b'), record('out', 2, 'c')], 1_000);
    expect(kafka.requests.map((r) => r.records)).toEqual([['out[0]=a', 'out[1]=b'], ['out[2]=c']]);
    kafka.requests.length = 0;
    const refused = kafka.refused();
    // Node 1 died and partition 0 moved to node 2: the request planned for node 1 meets two leaders.
    leaders.out = [2, 1, 3];
    await delivery.deliver(kafka.send, [record('out', 0, 'a2'), record('out', 1, 'b2'), record('out', 2, 'c2')], 1_000);
    expect(kafka.refused() - refused).toBe(1);
    expect(kafka.requests).toEqual([
      { leaders: [3], records: ['out[2]=c2'] },
      { leaders: [2], records: ['out[0]=a2'] },
      { leaders: [1], records: ['out[1]=b2'] },
    ]);
  });

  it('sends again, at once, the records of the partitions an answer lacks', async () => {
    const lines: string[] = [];
    const delivery = new BatchDelivery({ debug: () => {}, info: () => {}, warn: (m) => lines.push(m), error: () => {} });
    const kafka = fakeKafkaJs(delivery, { out: [1, 1, 1] }, (call, _topic, partition) => call > 0 || partition !== 2);
    await delivery.deliver(kafka.send, [record('out', 0, 'a'), record('out', 2, 'b'), record('out', 1, 'c'), record('out', 2, 'd')], 1_000);
    expect(kafka.requests.map((r) => r.records)).toEqual([['out[0]=a', 'out[2]=b', 'out[1]=c', 'out[2]=d'], ['out[2]=b', 'out[2]=d']]);
    expect(lines).toEqual(['KafkaJS acknowledged a request without out[2]; sending those records again']);
  });

  it('keeps the partition chosen for a record without one, so a second send goes where the first went', async () => {
    const delivery = new BatchDelivery();
    const kafka = fakeKafkaJs(delivery, { out: [1, 1, 1, 1] }, (call) => call > 0);
    await delivery.deliver(kafka.send, [record('out', undefined, 'a'), record('out', undefined, 'b'), record('out', undefined, 'c', 'key')], 1_000);
    expect(kafka.requests).toHaveLength(2);
    expect(kafka.requests[1]).toEqual(kafka.requests[0]);
  });

  it('fails a batch still not acknowledged after 10 sends', async () => {
    const delivery = new BatchDelivery();
    const kafka = fakeKafkaJs(delivery, { out: [1, 1, 1, 1] }, (_call, _topic, partition) => partition !== 3);
    await expect(delivery.deliver(kafka.send, [record('out', 3, 'a')], 1_000)).rejects.toThrow('1 records were still not acknowledged after 10 sends');
    expect(kafka.requests).toHaveLength(10);
  });

  it('fails a send that outlives its timeout; KafkaJS’s next attempt of it fails in the partitioner', async () => {
    const delivery = new BatchDelivery();
    const partitioner = delivery.createPartitioner();
    let messages: Message[] = [];
    const never: SendBatch = (batch) => {
      messages = batch.topicMessages!.flatMap((t) => t.messages);
      return new Promise(() => {});
    };
    await expect(delivery.deliver(never, [record('out', 1, 'a')], 20)).rejects.toThrow('the broker did not acknowledge 1 records within 20 ms (deliveryTimeoutMs)');
    expect(() => partitioner({ topic: 'out', partitionMetadata: metadata([1, 1]), message: messages[0]! })).toThrow('abandoned');
    // A send KafkaJS still retries keeps the producer from being replaced until it settles.
    await expect(delivery.settled(20)).rejects.toThrow('still retried by KafkaJS');
  });
});
