// The plain @platformatic/kafka consume -> transform -> produce loop of `pnpm bench:compare`
// (stateless only): the ceiling of an engine on that client, beside the plain KafkaJS loop
// (plainLoopApp.ts) and with the same settings: read_uncommitted, 500 ms fetch wait, KafkaJS's
// fetch sizes (10 MiB, 1 MiB a partition: the client's own 50 MiB would make one send's batch
// for a partition larger than the broker accepts), an idempotent producer with acks=all and
// Kafka's murmur2 partitioner. Needs Node 22 or newer.
//
// The client's message stream hands over one message at a time, but pushes all the messages of
// a fetch in one go: they are gathered until the event loop turns, then written in one send
// while the stream is paused. Commits at most once per commit interval, after the writes were
// acknowledged.
//
//   node22 --import tsx test/bench/compare/plainPlatformaticLoopApp.ts --brokers B --input I --output O --group G
import { compatibilityPartitioner, Consumer, FetchIsolationLevels, ProduceAcks, Producer, type Message, type MessageToProduce } from '@platformatic/kafka';
import { inspect } from 'node:util';
import { emitLine, followLoop, plainLoopOptions } from './plainLoopChild';
import { keep, slim, type Interaction } from './workload';

if (Number(process.versions.node.split('.')[0]) < 22) throw new Error(`the plain @platformatic/kafka loop needs Node 22 or newer (this is ${process.version}; scripts/ensure-node.sh 22 provides one)`);
const { brokers, input, output, group, commitIntervalMs } = plainLoopOptions();
const clientId = 'bench-compare-plain-platformatic';
const consumer = new Consumer({
  clientId,
  bootstrapBrokers: brokers,
  groupId: group,
  autocommit: false,
  maxWaitTime: 500,
  maxBytes: 10 * 1_048_576,
  maxBytesPerPartition: 1_048_576,
  isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
});
const producer = new Producer({ clientId, bootstrapBrokers: brokers, idempotent: true, acks: ProduceAcks.ALL, partitioner: compatibilityPartitioner });
let processed = 0;
followLoop(() => processed, () => Promise.allSettled([consumer.close(true), producer.close(true)]));

emitLine({ event: 'starting' });
consumer.on('consumer:group:join', () => emitLine({ event: 'state', state: 'RUNNING' }));
const stream = await consumer.consume({ topics: [input], mode: 'committed', fallbackMode: 'earliest' });
let lastCommit = Date.now();
/** The next offset and leader epoch of each partition, written but not committed yet. */
const pending = new Map<number, { offset: bigint; leaderEpoch: number }>();
let gathered: Message[] = [];

async function writeGathered(): Promise<void> {
  const batch = gathered;
  gathered = [];
  const messages: MessageToProduce[] = [];
  for (const message of batch) {
    const value = JSON.parse(message.value.toString()) as Interaction;
    if (!keep(value)) continue;
    messages.push({ topic: output, key: message.key, value: Buffer.from(JSON.stringify(slim(value))), timestamp: message.timestamp });
  }
  if (messages.length > 0) await producer.send({ messages });
  processed += batch.length;
  for (const message of batch) pending.set(message.partition, { offset: message.offset + 1n, leaderEpoch: message.leaderEpoch });
  if (Date.now() - lastCommit >= commitIntervalMs) {
    lastCommit = Date.now();
    await consumer.commit({ offsets: [...pending].map(([partition, { offset, leaderEpoch }]) => ({ topic: input, partition, offset, leaderEpoch })) });
  }
}

stream.on('data', (message: Message) => {
  gathered.push(message);
  // The first message of a gathering schedules its write, after the rest of the fetch arrived.
  if (gathered.length > 1) return;
  setImmediate(() => {
    stream.pause();
    writeGathered().then(
      () => stream.resume(),
      (error: unknown) => {
        process.stderr.write(`plain @platformatic/kafka loop: ${inspect(error, { depth: 4 })}\n`);
        process.exit(1);
      },
    );
  });
});
stream.on('error', (error: Error) => {
  process.stderr.write(`plain @platformatic/kafka loop: ${inspect(error, { depth: 4 })}\n`);
  process.exit(1);
});
