// Usage: node tools/kafka/api-versions.mjs [--bootstrap-server H:P | --sasl-ssl RUN_DIR/sasl-ssl.json] [--no-live]
// The broker's API versions next to KafkaJS's, and what KafkaJS sends doing what Tributary does
// (evidence for packages/kafka/README.md, "Broker versions and what KafkaJS cannot do on Kafka 4.x").
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// KafkaJS as Tributary's runtime resolves it, so the versions are the ones it really uses.
const require = createRequire(join(root, 'packages', 'kafka', 'package.json'));
const { Kafka, logLevel } = require('kafkajs');
const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');
const kafkajsVersion = require('kafkajs/package.json').version;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const saslFile = option('--sasl-ssl');
const sasl = saslFile ? JSON.parse(readFileSync(saslFile, 'utf8')) : undefined;
const bootstrap = option('--bootstrap-server', sasl ? undefined : process.env.KAFKA_BROKERS)
  ?? (sasl ? sasl.brokers.join(',') : readFileSync(join(here, 'run', 'brokers'), 'utf8').trim());
const live = !args.includes('--no-live');

// The broker's view. Kafka's own tool names every API, including those KafkaJS has no name for.
function brokerApiVersions() {
  // The default release's tools (4.x class names); they query 3.x brokers too.
  const lib = execFileSync('bash', [join(here, 'fetch-jars.sh')], { encoding: 'utf8' }).trim().split('\n').pop();
  const java = ['-Dlog4j2.configurationFile=' + join(here, 'config', 'tools-log4j2.properties'), '-cp', `${lib}/*`, 'org.apache.kafka.tools.BrokerApiVersionsCommand', '--bootstrap-server', bootstrap];
  if (sasl) java.push('--command-config', sasl.clientProperties);
  const out = execFileSync('java', java, { encoding: 'utf8' });
  const apis = new Map();
  // Only the first broker's block: every node of a tools/kafka cluster runs the same release.
  for (const line of out.split('\n').slice(1)) {
    if (line.startsWith(')')) break;
    const m = /^\s*(\w+)\((\d+)\): (?:(\d+)(?: to (\d+))? \[usable|(UNSUPPORTED))/.exec(line);
    if (!m) continue;
    apis.set(Number(m[2]), { name: m[1], min: m[5] ? null : Number(m[3]), max: m[5] ? null : Number(m[4] ?? m[3]) });
  }
  return { header: out.split('\n')[0], apis };
}

function kafkajsRequests() {
  const byKey = new Map();
  for (const [name, definition] of Object.entries(requests)) {
    const versions = definition.versions.map(Number);
    if (versions.length > 0) byKey.set(apiKeys[name], { name, min: Math.min(...versions), max: Math.max(...versions) });
  }
  return byKey;
}

// A run through what Tributary does with KafkaJS; records every request the broker answered.
async function liveRun() {
  const sent = new Map();
  const record = ({ payload }) => {
    if (!sent.has(payload.apiKey)) sent.set(payload.apiKey, new Set());
    sent.get(payload.apiKey).add(payload.apiVersion);
  };
  const kafka = new Kafka({
    clientId: 'api-versions',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    ...(sasl && { ssl: { ca: [readFileSync(sasl.caPem)] }, sasl: { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password } }),
  });
  const id = `api-versions-${randomUUID()}`;
  const topic = id;
  const groupId = id;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  const txProducer = kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
  for (const client of [admin, producer, consumer, txProducer]) client.on(client.events.REQUEST, record);
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => { seen += 1; } });
    const deadline = Date.now() + 30_000;
    while (seen < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000)); // a heartbeat and an offset commit
    await consumer.disconnect();

    await txProducer.connect();
    const tx = await txProducer.transaction();
    await tx.send({ topic, messages: [{ key: 'c', value: '3' }] });
    await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '2' }] }] });
    await tx.commit();

    await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.fetchTopicOffsets(topic);
    await admin.describeGroups([groupId]);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.deleteGroups([groupId]);
    await admin.deleteTopics({ topics: [topic] });
    return { sent, seen };
  } finally {
    await Promise.allSettled([txProducer.disconnect(), producer.disconnect(), consumer.disconnect(), admin.disconnect()]);
  }
}

const range = (v) => (v == null ? '-' : v.min == null ? 'UNSUPPORTED' : v.min === v.max ? `${v.min}` : `${v.min}-${v.max}`);

const { header, apis: broker } = brokerApiVersions();
const kafkajs = kafkajsRequests();
const run = live ? await liveRun() : undefined;

console.log(`broker ${header.replace(/ ->.*/, '')} (BrokerApiVersionsCommand); KafkaJS ${kafkajsVersion}${sasl ? '; SASL_SSL, SCRAM-SHA-512' : ''}`);
console.log('key  api                                    broker       KafkaJS  negotiates  sent  note');
const failures = [];
const neverSent = [];
for (const key of [...new Set([...broker.keys(), ...kafkajs.keys()])].sort((a, b) => a - b)) {
  const b = broker.get(key);
  const k = kafkajs.get(key);
  const offered = b && b.max != null;
  // KafkaJS's rule (protocol/requests lookup): min(its highest, broker's highest); it never checks the broker's lowest.
  const negotiated = k && offered ? Math.min(k.max, b.max) : undefined;
  let note = '';
  if (k && !offered) note = 'broker does not offer it';
  else if (k && negotiated < b.min) { note = "FAILS: below the broker's lowest version"; failures.push(b.name); }
  else if (!k && offered) { note = 'KafkaJS never sends it'; neverSent.push(`${b.name}(${key})`); }
  const sentVersions = run?.sent.get(key);
  console.log(
    `${String(key).padEnd(4)} ${(b?.name ?? k.name).padEnd(38)} ${range(b).padEnd(12)} ${range(k).padEnd(8)} ${String(negotiated ?? '-').padEnd(11)} ${(sentVersions ? [...sentVersions].join(',') : '-').padEnd(5)} ${note}`,
  );
}
const offeredCount = [...broker.values()].filter((v) => v.max != null).length;
console.log(`\nbroker offers ${offeredCount} APIs; KafkaJS implements ${kafkajs.size}; the broker offers ${neverSent.length} that KafkaJS never sends`);
console.log(`KafkaJS versions below the broker's lowest: ${failures.length ? failures.join(', ') : 'none'}`);
if (run) {
  const name = (key) => broker.get(key)?.name ?? kafkajs.get(key)?.name ?? String(key);
  const names = (keys) => {
    const sent = keys.filter((key) => run.sent.has(key)).map((key) => `${name(key)} v${[...run.sent.get(key)].join(',')}`);
    const not = keys.filter((key) => !run.sent.has(key)).map(name);
    return sent.join(', ') + (not.length ? `; not sent: ${not.join(', ')}` : '');
  };
  console.log(`live run (${run.seen} records consumed): ${run.sent.size} APIs sent`);
  console.log(`  group protocol: ${names([11, 14, 12, 13, 68, 69, 88, 89, 76])}`);
  console.log(`  transactions:   ${names([22, 24, 25, 28, 26])} (KIP-447 group metadata needs TxnOffsetCommit v3+)`);
}
