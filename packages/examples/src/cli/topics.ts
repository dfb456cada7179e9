import { StreamsError } from '@tributary/core';
import type { Example } from '../pipelines/examples';
import { CRM_APPLICATION_ID } from '../pipelines/topics';
import { CliError, exampleArgument, examplesHelp, parseCommand, parsePositiveInteger } from './args';
import { table } from './format';
import { CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, requireKafkaTarget } from './kafka';

export const TOPICS_USAGE = `Usage: tributary topics list <example>
       tributary topics create <example> [--brokers host:port] [--command-config FILE]
                                         [--partitions N] [--replication-factor N]

list     the topics an example reads and writes, and the internal topics (repartition
         topics, changelogs) its application creates when it starts. No broker needed.
create   creates the topics the example reads and writes that do not exist yet; as in
         Kafka Streams, the application itself does not create them. Topics that must be
         co-partitioned (a join's inputs) get the same partition count, an existing
         one's when there is one. Existing topics are left as they are.

Examples:
${examplesHelp()}

Options of create:
${CONNECTION_HELP}
  --partitions N          partitions of each topic it creates. Defaults to 1.
  --replication-factor N  replicas of each topic it creates. Defaults to the broker's
                          default.replication.factor.
  -h, --help              this help

${ENVIRONMENT_HELP}`;

/** `tributary topics list|create <example>`. */
export async function topicsCommand(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    out.write(`${TOPICS_USAGE}\n`);
    return action === undefined ? 2 : 0;
  }
  if (action === 'list') return listTopics(rest, out);
  if (action === 'create') return createTopics(rest, out);
  throw new CliError(`unknown action '${action}': list or create\n\n${TOPICS_USAGE}`, 2);
}

function listTopics(args: readonly string[], out: NodeJS.WritableStream): number {
  const { values, positionals } = parseCommand(args, {}, TOPICS_USAGE);
  if (values.help) {
    out.write(`${TOPICS_USAGE}\n`);
    return 0;
  }
  const example = exampleArgument(positionals, TOPICS_USAGE);
  const topology = example.build();
  const column = (label: string, cells: readonly (readonly string[])[]) => cells.map((cell, i) => [i === 0 ? label : '', ...cell]);
  const internal = topology.internalTopics().map((t) => [`${CRM_APPLICATION_ID}-${t.name}`, t.kind]);
  out.write(`Topics of ${example.name} (application id ${CRM_APPLICATION_ID}):\n\n`);
  out.write(
    `${table([
      ...column('reads', topology.sourceTopics().map((t) => [t])),
      ...column('writes', topology.sinkTopics().map((t) => [t])),
      ...column('internal', internal),
    ])}\n\n`,
  );
  out.write(`'tributary topics create ${example.name}' creates the topics it reads and writes; the application creates the internal ones when it starts.\n`);
  return 0;
}

const CREATE_OPTIONS = { ...CONNECTION_OPTIONS, partitions: { type: 'string' }, 'replication-factor': { type: 'string' } } as const;

async function createTopics(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, CREATE_OPTIONS, TOPICS_USAGE);
  if (values.help) {
    out.write(`${TOPICS_USAGE}\n`);
    return 0;
  }
  const example: Example = exampleArgument(positionals, TOPICS_USAGE);
  const partitions = parsePositiveInteger(values.partitions, '--partitions');
  const replicationFactor = parsePositiveInteger(values['replication-factor'], '--replication-factor');
  const target = await requireKafkaTarget(values, TOPICS_USAGE);
  const { createTopologyTopics } = await import('@tributary/kafka');
  let result;
  try {
    result = await createTopologyTopics(example.build(), {
      ...target.connection,
      brokers: target.brokers,
      clientId: target.clientId ?? 'tributary-topics',
      ...(partitions ? { partitions } : {}),
      ...(replicationFactor ? { replicationFactor } : {}),
    });
  } catch (error) {
    // Tributary's errors say what went wrong and hold no secret; a connection failure that may pass gets a hint.
    if (!(error instanceof StreamsError)) throw new CliError(`Kafka failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new CliError(`${error.message}${error.retriable ? '. Is a broker running there?' : ''}`);
  }
  const rows = (label: string, topics: readonly { topic: string; partitions: number }[]) =>
    topics.map((t, i) => [i === 0 ? label : '', t.topic, `${t.partitions} partition${t.partitions === 1 ? '' : 's'}`]);
  out.write(`Topics of ${example.name} on ${target.brokers.join(',')} (${target.security}):\n\n`);
  out.write(`${table([...rows('created', result.created), ...rows('existed', result.existing)])}\n\n`);
  out.write(`${result.created.length} created, ${result.existing.length} already there. The application creates its internal topics when it starts.\n`);
  return 0;
}
