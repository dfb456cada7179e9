// The Kafka round trip of the packed-install check, run when KAFKA_BROKERS is set: KafkaStreams
// from the installed @tributary/kafka, on the installed kafkajs (the lowest of the peer range),
// counts per key through a repartition topic; an independent consumer reads the output.
import { randomUUID } from 'node:crypto';
import { silentLogger } from '@tributary/core';
import { createTopologyTopics, KafkaStreams } from '@tributary/kafka';
import { wordCounts } from './wordCounts.js';
import { wordsThroughKafka } from './wordsThroughKafka.js';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set');
const run = randomUUID().slice(0, 8);
const input = `packed-install-${run}-words`;
const output = `packed-install-${run}-counts`;

const topology = wordCounts(input, output);
await createTopologyTopics(topology, { brokers, partitions: 2 });
const app = new KafkaStreams(topology, { applicationId: `packed-install-${run}`, brokers, logger: silentLogger, handleSignals: false, commitIntervalMs: 100 });
try {
  await app.start();
  const counts = await wordsThroughKafka(brokers, input, output, `packed-install-${run}-reader`);
  console.log(`Kafka round trip passed on ${brokers}: ${JSON.stringify([...counts])}`);
} finally {
  await app.close();
}
