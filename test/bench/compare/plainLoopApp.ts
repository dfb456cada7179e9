// The plain KafkaJS consume -> transform -> produce loop of `pnpm bench:compare` (stateless
// only): the ceiling of a KafkaJS engine. A child process of the harness, printing the same
// JSON lines as the engines (starting, state RUNNING once the group is joined, progress).
// Commits at most once per commit interval, after the batch's writes were acknowledged.
//
//   node --import tsx test/bench/compare/plainLoopApp.ts --brokers B --input I --output O --group G
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { keep, slim, type Interaction } from './workload';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    group: { type: 'string' },
    'commit-interval-ms': { type: 'string', default: '1000' },
  },
});
for (const name of ['brokers', 'input', 'output', 'group'] as const) if (!values[name]) throw new Error(`missing --${name}`);
const input = values.input!;
const output = values.output!;
const commitIntervalMs = Number(values['commit-interval-ms']);

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const kafka = new Kafka({ clientId: 'bench-compare-plain', brokers: values.brokers!.split(','), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: values.group!, maxWaitTimeInMs: 500, readUncommitted: true });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
let processed = 0;
const progress = setInterval(() => emit({ event: 'progress', processed }), 1_000);
process.once('SIGTERM', () => {
  clearInterval(progress);
  void Promise.allSettled([consumer.disconnect(), producer.disconnect()]).finally(() => process.exit(0));
});

emit({ event: 'starting' });
consumer.on(consumer.events.GROUP_JOIN, () => emit({ event: 'state', state: 'RUNNING' }));
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
