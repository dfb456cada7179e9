import { exampleNamed } from '../pipelines/examples';
import { CliError, exampleArgument, examplesHelp, parseCommand, parsePositiveInteger } from './args';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, requireKafkaTarget } from './kafka';
import { ProgressDisplay } from './progress';
import { runExample } from './run';
import { formatSummary } from './summary';

export const DESCRIBE_USAGE = `Usage: tributary describe <example> [--format text|mermaid]

Prints the topology of an example: Kafka Streams' text description (sub-topologies,
sources, processors, stores, sinks), or a Mermaid flowchart.

Examples:
${examplesHelp()}

Options:
  --format text|mermaid   Defaults to text.
  -h, --help              this help`;

export const RUN_USAGE = `Usage: tributary run <example> [--brokers host:port] [--command-config FILE] [--limit N] [--partitions N]

Runs an example over the Online Retail data set (541,909 rows): replays the rows as
customer_interactions events in event-time order, processes them to the end and prints
a summary of its output topics. On the embedded engine unless --brokers or
--command-config is given.

On Kafka, it resets the demo's topics and consumer group (crm_consumer_group), produces
the data to customer_interactions, runs the application with KafkaStreams and reads the
summary from the output topics.

Examples:
${examplesHelp()}

Options:
${CONNECTION_HELP}
  --limit N               only the first N rows of the data set
  --partitions N          partitions of customer_interactions. Defaults to 4.
  -h, --help              this help

${ENVIRONMENT_HELP} They set how to connect; they
do not move a run to Kafka: --brokers or --command-config does.`;

export const DEMO_USAGE = `Usage: tributary demo [--brokers host:port] [--command-config FILE] [--limit N] [--partitions N]

The three CRM pipelines (segmentation, recommendations, fraud detection) over the whole
Online Retail data set in one application, with a progress bar, live consumption rate and
lag, and a summary at the end. The same as 'tributary run crm': on Kafka when --brokers or
--command-config is given (see 'tributary run --help').

Options:
${CONNECTION_HELP}
  --limit N               only the first N rows of the data set
  --partitions N          partitions of customer_interactions. Defaults to 4.
  -h, --help              this help`;

/** `tributary describe <example>`. */
export function describeCommand(args: readonly string[], out: NodeJS.WritableStream): number {
  const { values, positionals } = parseCommand(args, { format: { type: 'string' } }, DESCRIBE_USAGE);
  if (values.help) {
    out.write(`${DESCRIBE_USAGE}\n`);
    return 0;
  }
  const example = exampleArgument(positionals, DESCRIBE_USAGE);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'mermaid') throw new CliError(`--format must be text or mermaid, got '${format}'`, 2);
  const description = example.build().describe();
  out.write(`${format === 'mermaid' ? description.toMermaid() : description.toString()}\n`);
  return 0;
}

const RUN_OPTIONS = {
  ...CONNECTION_OPTIONS,
  limit: { type: 'string' },
  partitions: { type: 'string' },
} as const;

/** `tributary run <example>`. */
export async function runCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseCommand(args, RUN_OPTIONS, RUN_USAGE);
  if (values.help) {
    out.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const example = exampleArgument(positionals, RUN_USAGE);
  return run(example.name, values, RUN_USAGE, out, err);
}

/** `tributary demo`: `run crm`. */
export async function demoCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseCommand(args, RUN_OPTIONS, DEMO_USAGE);
  if (values.help) {
    out.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'\n\n${DEMO_USAGE}`, 2);
  return run('crm', values, DEMO_USAGE, out, err);
}

async function run(
  name: string,
  values: { brokers?: string[]; 'command-config'?: string; limit?: string; partitions?: string },
  usage: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const limit = parsePositiveInteger(values.limit, '--limit');
  const partitions = parsePositiveInteger(values.partitions, '--partitions');
  // Kafka only when asked on the command line: a run there resets topics, so a variable left set must not choose it.
  const onKafka = values.brokers !== undefined || values['command-config'] !== undefined;
  const target = onKafka ? await requireKafkaTarget(values, usage) : undefined;
  const report = await runExample(exampleNamed(name)!, {
    ...(target ? { kafka: target } : {}),
    ...(limit ? { limit } : {}),
    ...(partitions ? { partitions } : {}),
    // Progress goes to stderr (a bar on a terminal), the summary to stdout.
    progress: new ProgressDisplay(err as NodeJS.WriteStream),
  });
  out.write(`${formatSummary(report)}\n`);
  return 0;
}
