// The stream-thread round trip of the packed-install check, run when KAFKA_BROKERS is set:
// StreamThreads from the installed @tributary/kafka starts two worker threads, each loading the
// package's thread program and this project's compiled topology module (wordCounts.js); an
// independent consumer reads the counts.
import { randomUUID } from 'node:crypto';
import { silentLogger } from '@tributary/core';
import { createTopologyTopics, StreamThreads } from '@tributary/kafka';
import { wordCounts } from './wordCounts.js';
import { wordsThroughKafka } from './wordsThroughKafka.js';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set');
const run = randomUUID().slice(0, 8);
// The threads build their topology from these (wordCounts.js's default export).
const input = (process.env.WORDS_INPUT = `packed-threads-${run}-words`);
const output = (process.env.WORDS_OUTPUT = `packed-threads-${run}-counts`);

await createTopologyTopics(wordCounts(input, output), { brokers, partitions: 4 });
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
  const counts = await wordsThroughKafka(brokers, input, output, `packed-threads-${run}-reader`);
  console.log(`StreamThreads round trip passed on ${brokers} with ${threads.map((t) => t.threadName).join(', ')}: ${JSON.stringify([...counts])}`);
} finally {
  await app.close();
}
