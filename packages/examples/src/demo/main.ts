import { CliError, CONNECTION_HELP, CONNECTION_OPTIONS, parseCommand, parsePositiveInteger, ProgressDisplay, requireKafkaTarget } from '@tributary/cli';
import { EXAMPLES, exampleNamed, type Example } from '../pipelines/examples';
import { runExample } from './runExample';
import { formatSummary, type RunReport } from './summary';

/** The examples for the help text. */
function examplesHelp(): string {
  const width = Math.max(...EXAMPLES.map((e) => e.name.length));
  return EXAMPLES.map((e) => `  ${e.name.padEnd(width)}  ${e.summary}`).join('\n');
}

export const DEMO_USAGE = `Usage: tributary-demo [<example> | --example NAME] [--brokers host:port] [--command-config FILE]
                      [--limit N] [--partitions N] [--state-dir DIR] [--stream-threads N]
                      [--dashboard [--dashboard-port N]] [--compare-embedded]

Tributary's CRM demo: the three pipelines (segmentation, recommendations, fraud detection)
over the whole Online Retail data set (541,909 rows) in one application ('crm'), or one
example alone, with a progress bar, live consumption rate and lag, and a summary at the
end. It replays the rows as customer_interactions events in event-time order and processes
them to the end, on the embedded engine unless --brokers or --command-config is given.

On Kafka, it resets the demo's topics and consumer group (crm_consumer_group), produces
the data to customer_interactions while the application starts, runs the application with
KafkaStreams (or StreamThreads, with --stream-threads), and reads the summary from the output topics, with the records the application
wrote to Kafka (per topic and per input record).

Examples (also modules for 'tributary run', in @tributary/examples' dist/modules/):
${examplesHelp()}

Options:
  --example NAME          the example to run. Defaults to crm
${CONNECTION_HELP}
  --limit N               only the first N rows of the data set
  --partitions N          partitions of customer_interactions. Defaults to 4.
  --state-dir DIR         keep the stores on disk in LMDB under DIR instead of in memory
                          (on Kafka with checkpoints, as KafkaStreams' stateDir). Much
                          slower than memory for now: LMDB writes are not batched yet
  --stream-threads N      on Kafka: run the application on N stream threads (worker threads
                          of this process, each a member of the group with its own tasks,
                          as Kafka Streams' num.stream.threads). Defaults to 1
  --dashboard             serve the live dashboard (topology, rate and lag per partition,
                          tasks, dead letters, stores) while the demo runs, and keep it up
                          after the summary until Ctrl-C
  --dashboard-port N      its port on 127.0.0.1. Defaults to 8080
  --compare-embedded      on Kafka: then run the example over the same rows on the embedded
                          engine too, and print both times and their ratio
  -h, --help              this help

Environment: the TRIBUTARY_* variables of 'tributary help run'. They set how to connect;
they do not move a run to Kafka: --brokers or --command-config does.`;

const DEMO_OPTIONS = {
  ...CONNECTION_OPTIONS,
  example: { type: 'string' },
  limit: { type: 'string' },
  partitions: { type: 'string' },
  'state-dir': { type: 'string' },
  dashboard: { type: 'boolean' },
  'dashboard-port': { type: 'string' },
  'compare-embedded': { type: 'boolean' },
  'stream-threads': { type: 'string' },
} as const;

/** Runs the demo with `argv` (without node and the script); returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    return await demo(argv, out, err);
  } catch (error) {
    if (error instanceof CliError) {
      err.write(`tributary-demo: ${error.message}\n`);
      return error.exitCode;
    }
    err.write(`tributary-demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function demo(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(argv, DEMO_OPTIONS, DEMO_USAGE);
  if (values.help) {
    out.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const example = exampleArgument(values.example, positionals);
  const limit = parsePositiveInteger(values.limit, '--limit');
  const partitions = parsePositiveInteger(values.partitions, '--partitions');
  const dashboardPort = parsePositiveInteger(values['dashboard-port'], '--dashboard-port');
  if (dashboardPort !== undefined && !values.dashboard) throw new CliError(`--dashboard-port needs --dashboard\n\n${DEMO_USAGE}`, 2);
  // Kafka only when asked on the command line: a run there resets topics, so a variable left set must not choose it.
  const onKafka = values.brokers !== undefined || values['command-config'] !== undefined;
  if (values['compare-embedded'] && !onKafka) throw new CliError(`--compare-embedded needs --brokers or --command-config\n\n${DEMO_USAGE}`, 2);
  if (values['compare-embedded'] && values.dashboard) throw new CliError(`--compare-embedded and --dashboard cannot be combined\n\n${DEMO_USAGE}`, 2);
  const streamThreads = parsePositiveInteger(values['stream-threads'], '--stream-threads');
  if (streamThreads !== undefined && !onKafka) throw new CliError(`--stream-threads needs --brokers or --command-config (the embedded engine runs on one thread)\n\n${DEMO_USAGE}`, 2);
  if ((streamThreads ?? 1) > 1 && values.dashboard) throw new CliError(`--stream-threads and --dashboard cannot be combined (stream threads serve no dashboard)\n\n${DEMO_USAGE}`, 2);
  const target = onKafka ? await requireKafkaTarget(values, DEMO_USAGE) : undefined;
  let shown = false;
  // Progress goes to stderr (a bar on a terminal), the summary to stdout.
  const progress = new ProgressDisplay(err as NodeJS.WriteStream);
  const common = {
    ...(limit ? { limit } : {}),
    ...(partitions ? { partitions } : {}),
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
    progress,
  };
  const report = await runExample(example, {
    ...common,
    ...(target ? { kafka: target } : {}),
    ...(streamThreads ? { streamThreads } : {}),
    ...(values.dashboard
      ? {
          dashboard: {
            port: dashboardPort ?? 8080,
            keepOpen: async (url: string, finished: RunReport) => {
              out.write(`${formatSummary(finished)}\n`);
              shown = true;
              err.write(`The dashboard stays up at ${url} with the final figures; Ctrl-C stops the demo.\n`);
              await interrupted();
            },
          },
        }
      : {}),
  });
  if (values['compare-embedded']) {
    progress.log('The same rows on the embedded engine, for comparison...');
    const embedded = await runExample(example, common);
    report.embeddedRun = { totalMs: embedded.totalMs, processingMs: embedded.processingMs };
  }
  if (!shown) out.write(`${formatSummary(report)}\n`);
  return 0;
}

/** Resolves at the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The example named by `--example` or the positional argument (not both); `crm` when neither. */
function exampleArgument(option: string | undefined, positionals: readonly string[]): Example {
  if (positionals.length > 1 || (option !== undefined && positionals.length > 0)) {
    throw new CliError(`unexpected argument '${positionals.at(-1)}'\n\n${DEMO_USAGE}`, 2);
  }
  const name = option ?? positionals[0] ?? 'crm';
  const example = exampleNamed(name);
  if (!example) throw new CliError(`unknown example '${name}'. Known examples: ${EXAMPLES.map((e) => e.name).join(', ')}`, 2);
  return example;
}
