import type { Kafka, ProducerBatch, ProducerConfig, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaJsProducer } from '../src/client/kafkajs/KafkaJsProducer';
import { KafkaJsTransactionalProducer } from '../src/client/kafkajs/KafkaJsTransactionalProducer';
import type { ProducedRecord } from '../src/client/StreamsClient';

const record = (value: string): ProducedRecord => ({ topic: 'out', partition: 0, key: null, value: Buffer.from(value), timestamp: 1, headers: {} });

const answer = (batch: ProducerBatch): RecordMetadata[] =>
  (batch.topicMessages ?? []).flatMap(({ topic, messages }) => [...new Set(messages.map((m) => m.partition!))].map((partition) => ({ topicName: topic, partition, errorCode: 0 })));

/** A KafkaJS whose producers record what they do; `fail` makes the next write of any of them fail. */
function fakeKafka() {
  const producers: { config: ProducerConfig; log: string[] }[] = [];
  const state = { fail: undefined as Error | undefined };
  const write = (log: string[], batch: ProducerBatch) => {
    const values = (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.value)));
    if (state.fail) {
      const error = state.fail;
      state.fail = undefined;
      log.push(`failed ${values.join(',')}`);
      return Promise.reject(error);
    }
    log.push(`sent ${values.join(',')}`);
    return Promise.resolve(answer(batch));
  };
  const kafka = {
    producer(config: ProducerConfig) {
      const log: string[] = [];
      producers.push({ config, log });
      return {
        connect: async () => void log.push('connect'),
        disconnect: async () => void log.push('disconnect'),
        sendBatch: (batch: ProducerBatch) => write(log, batch),
        transaction: async () => {
          let active = true;
          log.push('begin');
          return {
            sendBatch: (batch: ProducerBatch) => write(log, batch),
            sendOffsets: async () => void log.push('offsets'),
            commit: async () => void ((active = false), log.push('commit')),
            abort: async () => void ((active = false), log.push('abort')),
            isActive: () => active,
          };
        },
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, producers, state };
}

describe('KafkaJsProducer', () => {
  it('is idempotent, acks=all, one request in flight, retrying without end', async () => {
    const { kafka, producers } = fakeKafka();
    const producer = new KafkaJsProducer(kafka, { clientId: 'c', deliveryTimeoutMs: 1_000 });
    await producer.connect();
    expect(producers[0]!.config).toMatchObject({ idempotent: true, maxInFlightRequests: 1, retry: { retries: Number.MAX_SAFE_INTEGER } });
  });

  it('replaces the KafkaJS producer after a failed send, before the next one (a new producer id)', async () => {
    const { kafka, producers, state } = fakeKafka();
    const producer = new KafkaJsProducer(kafka, { clientId: 'c', deliveryTimeoutMs: 1_000 });
    await producer.connect();
    await producer.send([record('a')]);
    state.fail = new Error('MESSAGE_TOO_LARGE');
    await expect(producer.send([record('b')])).rejects.toThrow('MESSAGE_TOO_LARGE');
    await producer.send([record('c')]);
    expect(producers.map((p) => p.log)).toEqual([
      ['connect', 'sent a', 'failed b', 'disconnect'],
      ['connect', 'sent c'],
    ]);
  });
});

describe('KafkaJsTransactionalProducer', () => {
  const options = { clientId: 'c', deliveryTimeoutMs: 1_000, transactionalId: 'app-0_1' };

  it('refuses to commit a transaction with a failed write; after the abort, the next transaction runs on a new producer', async () => {
    const { kafka, producers, state } = fakeKafka();
    const producer = new KafkaJsTransactionalProducer(kafka, options);
    await producer.connect();
    await producer.send([record('a')]);
    state.fail = new Error('NOT_ENOUGH_REPLICAS');
    await expect(producer.send([record('b')])).rejects.toThrow('NOT_ENOUGH_REPLICAS');
    await expect(producer.commit('g', [])).rejects.toThrow('a write of transactional id app-0_1 failed: its transaction can only be aborted');
    await producer.abort();
    await producer.send([record('c')]);
    await producer.commit('g', []);
    expect(producers.map((p) => p.log)).toEqual([
      ['connect', 'begin', 'sent a', 'failed b', 'abort', 'disconnect'],
      ['connect', 'begin', 'sent c', 'commit'],
    ]);
  });

  it('is not replaced after it was fenced: a new producer would fence the member that owns the id now', async () => {
    const { kafka, producers, state } = fakeKafka();
    const producer = new KafkaJsTransactionalProducer(kafka, options);
    await producer.connect();
    state.fail = Object.assign(new Error('Producer attempted an operation with an old epoch'), { type: 'INVALID_PRODUCER_EPOCH' });
    await expect(producer.send([record('a')])).rejects.toThrow('old epoch');
    await producer.abort();
    await expect(producer.send([record('b')])).rejects.toThrow('the producer of transactional id app-0_1 was fenced');
    expect(producers).toHaveLength(1);
  });
});
