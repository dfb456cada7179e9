// One variant of `pnpm bench:compare` in Tributary, run as a child process of the harness so
// its CPU time and peak RSS are its own. Prints the same JSON lines as the Java app
// (tools/kafka-streams-bench): {"event":"starting"} just before start(), {"event":"state"} on
// every state change, {"event":"progress","processed":N} once a second. Stops on SIGTERM.
// The variant `exactly-once` runs with `processingGuarantee: 'exactly_once'`, `crm` with the CRM
// demo's options (`tributaryOptions`; `--output` is then the prefix of its three outputs); `--client` picks
// the Kafka client (`platformatic` needs Node 22 or newer); `--stream-threads N` above 1 runs
// it on StreamThreads, N worker threads that each build the topology from threadTopology.ts.
//
//   node --conditions=tributary-source --import tsx test/bench/compare/tributaryApp.ts \
//     --variant stateless --brokers B --input I --output O --table T --application-id A \
//     [--commit-interval-ms 1000] [--client kafkajs|platformatic] [--stream-threads 1]
import { parseArgs } from 'node:util';
import { silentLogger } from '@tributary/core';
import { KafkaStreams, StreamThreads, type ClientName } from '@tributary/kafka';
import { isTransactional, tributaryOptions, tributaryTopology, VARIANTS, type Variant } from './topologies';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    brokers: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    table: { type: 'string', default: '' },
    'application-id': { type: 'string' },
    'commit-interval-ms': { type: 'string', default: '1000' },
    client: { type: 'string', default: 'kafkajs' },
    'stream-threads': { type: 'string', default: '1' },
  },
});
const variant = values.variant as Variant;
if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')} (got '${values.variant}')`);
for (const name of ['brokers', 'input', 'output', 'application-id'] as const) if (!values[name]) throw new Error(`missing --${name}`);
const client = values.client as ClientName;
if (client !== 'kafkajs' && client !== 'platformatic') throw new Error(`--client must be kafkajs or platformatic (got '${values.client}')`);

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const topics = { input: values.input!, output: values.output!, table: values.table! };
const options = {
  applicationId: values['application-id']!,
  brokers: values.brokers!,
  logger: silentLogger,
  commitIntervalMs: Number(values['commit-interval-ms']),
  processingGuarantee: isTransactional(variant) ? ('exactly_once' as const) : ('at_least_once' as const),
  client,
  metricsIntervalMs: 0,
  handleSignals: false,
};
const threads = Number(values['stream-threads']);
let app: KafkaStreams | StreamThreads;
if (threads > 1) {
  Object.assign(process.env, { BENCH_VARIANT: variant, BENCH_INPUT: topics.input, BENCH_OUTPUT: topics.output, BENCH_TABLE: topics.table });
  app = new StreamThreads({
    ...options,
    topologyModule: new URL('./threadTopology.ts', import.meta.url),
    numStreamThreads: threads,
    threadImports: [new URL('../../harness/registerTsx.mjs', import.meta.url)],
  });
} else {
  app = new KafkaStreams(tributaryTopology(variant, topics), { ...options, ...tributaryOptions(variant) });
}
app.setStateListener((state) => emit({ event: 'state', state }));
const progress = setInterval(() => emit({ event: 'progress', processed: app.metrics().processed }), 1_000);
process.once('SIGTERM', () => {
  clearInterval(progress);
  void app.close().finally(() => process.exit(0));
});
emit({ event: 'starting' });
await app.start();
