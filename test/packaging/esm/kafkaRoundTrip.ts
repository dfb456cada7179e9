// The Kafka round trip of the packed-install check, run when KAFKA_BROKERS is set: KafkaStreams
// from the installed @tributary/kafka, on the installed kafkajs (the lowest of the peer range),
// counts per key through a repartition topic; an independent consumer reads the output.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Serdes, silentLogger, StreamsBuilder } from '@tributary/core';
import { createTopologyTopics, KafkaStreams } from '@tributary/kafka';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set');
const run = randomUUID().slice(0, 8);
const input = `packed-install-${run}-words`;
const output = `packed-install-${run}-counts`;

const builder = new StreamsBuilder();
builder
  .stream(input, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
  .groupBy((_key, word) => word, { keySerde: Serdes.string(), valueSerde: Serdes.string() })
  .count({ name: 'word-counts' })
  .toStream()
  .to(output, { keySerde: Serdes.string(), valueSerde: Serdes.number() });
const topology = builder.build();

const kafka = new Kafka({ clientId: 'packed-install', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: `packed-install-${run}-reader` });
await createTopologyTopics(topology, { brokers, partitions: 2 });
const app = new KafkaStreams(topology, { applicationId: `packed-install-${run}`, brokers, logger: silentLogger, handleSignals: false, commitIntervalMs: 100 });
try {
  await app.start();
  await producer.connect();
  await producer.send({ topic: input, messages: ['a', 'b', 'a'].map((word, i) => ({ key: `line-${i}`, value: word })) });

  const counts = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [output], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        // Serdes.number() is Kafka's DoubleSerde: eight bytes, big-endian.
        counts.set(String(message.key), message.value?.readDoubleBE(0) ?? Number.NaN);
        if (counts.get('a') === 2 && counts.get('b') === 1) resolve();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no counts a=2, b=1 on ${output} within 60 s; read: ${JSON.stringify([...counts])}`)), 60_000);
  });
  await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  console.log(`Kafka round trip passed on ${brokers}: ${JSON.stringify([...counts])}`);
} finally {
  await app.close();
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}
