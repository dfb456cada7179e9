// One variant of `pnpm bench:compare` in Tributary, run as a child process of the harness so
// its CPU time and peak RSS are its own. Prints the same JSON lines as the Java app
// (tools/kafka-streams-bench): {"event":"starting"} just before start(), {"event":"state"} on
// every state change, {"event":"progress","processed":N} once a second. Stops on SIGTERM.
//
//   node --conditions=tributary-source --import tsx test/bench/compare/tributaryApp.ts \
//     --variant stateless --brokers B --input I --output O --table T --application-id A [--commit-interval-ms 1000]
import { parseArgs } from 'node:util';
import { silentLogger } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { tributaryTopology, VARIANTS, type Variant } from './topologies';

const { values } = parseArgs({
  options: {
    variant: { type: 'string' },
    brokers: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    table: { type: 'string', default: '' },
    'application-id': { type: 'string' },
    'commit-interval-ms': { type: 'string', default: '1000' },
  },
});
const variant = values.variant as Variant;
if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')} (got '${values.variant}')`);
for (const name of ['brokers', 'input', 'output', 'application-id'] as const) if (!values[name]) throw new Error(`missing --${name}`);

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const app = new KafkaStreams(tributaryTopology(variant, { input: values.input!, output: values.output!, table: values.table! }), {
  applicationId: values['application-id']!,
  brokers: values.brokers!,
  logger: silentLogger,
  commitIntervalMs: Number(values['commit-interval-ms']),
  metricsIntervalMs: 0,
  handleSignals: false,
});
app.setStateListener((state) => emit({ event: 'state', state }));
const progress = setInterval(() => emit({ event: 'progress', processed: app.metrics().processed }), 1_000);
process.once('SIGTERM', () => {
  clearInterval(progress);
  void app.close().finally(() => process.exit(0));
});
emit({ event: 'starting' });
await app.start();
