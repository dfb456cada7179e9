// The plain KafkaJS consume -> transform -> produce loop of `pnpm bench:compare` (stateless
// only): the ceiling of a KafkaJS engine. A child process of the harness, printing the same
// JSON lines as the engines (starting, state RUNNING once the group is joined, progress).
// Commits at most once per commit interval, after the batch's writes were acknowledged.
//
//   node --import tsx test/bench/compare/plainLoopApp.ts --brokers B --input I --output O --group G
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { emitLine, followLoop, plainLoopOptions } from './plainLoopChild';
import { keep, slim, type Interaction } from './workload';

const { brokers, input, output, group, commitIntervalMs } = plainLoopOptions();
const kafka = new Kafka({ clientId: 'bench-compare-plain', brokers, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 500, readUncommitted: true });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
let processed = 0;
followLoop(() => processed, () => Promise.allSettled([consumer.disconnect(), producer.disconnect()]));

emitLine({ event: 'starting' });
consumer.on(consumer.events.GROUP_JOIN, () => emitLine({ event: 'state', state: 'RUNNING' }));
await Promise.all([consumer.connect(), producer.connect()]);
await consumer.subscribe({ topics: [input], fromBeginning: true });
let lastCommit = Date.now();
const pending = new Map<number, number>();
await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, heartbeat }) => {
    const messages = [];
    for (const message of batch.messages) {
      const value = JSON.parse(message.value!.toString()) as Interaction;
      if (!keep(value)) continue;
      messages.push({ key: message.key, value: JSON.stringify(slim(value)), timestamp: message.timestamp });
    }
    if (messages.length > 0) await producer.send({ topic: output, messages, acks: -1 });
    processed += batch.messages.length;
    pending.set(batch.partition, Number(batch.lastOffset()) + 1);
    if (Date.now() - lastCommit >= commitIntervalMs) {
      lastCommit = Date.now();
      await consumer.commitOffsets([...pending].map(([partition, offset]) => ({ topic: input, partition, offset: String(offset) })));
    }
    await heartbeat();
  },
});
