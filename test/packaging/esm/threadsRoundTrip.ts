// The stream-thread round trip of the packed-install check, run when KAFKA_BROKERS is set:
// StreamThreads from the installed @tributary/kafka starts two worker threads, each loading the
// package's thread program and this project's compiled topology module (wordCounts.js); an
// independent consumer reads the counts.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { silentLogger } from '@tributary/core';
import { createTopologyTopics, StreamThreads } from '@tributary/kafka';
import wordCounts from './wordCounts.js';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set');
const run = randomUUID().slice(0, 8);
process.env.WORDS_INPUT = `packed-threads-${run}-words`;
process.env.WORDS_OUTPUT = `packed-threads-${run}-counts`;
const output = process.env.WORDS_OUTPUT;

const kafka = new Kafka({ clientId: 'packed-install', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const consumer = kafka.consumer({ groupId: `packed-threads-${run}-reader` });
await createTopologyTopics(wordCounts(), { brokers, partitions: 4 });
const app = new StreamThreads({
  applicationId: `packed-threads-${run}`,
  brokers,
  topologyModule: new URL('./wordCounts.js', import.meta.url),
  numStreamThreads: 2,
  logger: silentLogger,
  handleSignals: false,
  commitIntervalMs: 100,
});
try {
  await app.start();
  const threads = await app.metadataForLocalThreads();
  if (threads.length !== 2) throw new Error(`expected 2 stream threads, got ${JSON.stringify(threads)}`);
  await producer.connect();
  await producer.send({ topic: process.env.WORDS_INPUT, messages: ['a', 'b', 'a'].map((word, i) => ({ key: `line-${i}`, value: word })) });

  const counts = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [output], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
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
  console.log(`StreamThreads round trip passed on ${brokers} with ${threads.map((t) => t.threadName).join(', ')}: ${JSON.stringify([...counts])}`);
} finally {
  await app.close();
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}
