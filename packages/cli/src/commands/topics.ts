import { StreamsError, type Topology } from '@tributary/core';
import { planPartitions } from '@tributary/core/runtime';
import { CliError, parseCommand, parsePositiveInteger, singlePositional } from '../args';
import { table } from '../format';
import { connectAdmin, CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, kafkaClient, requireKafkaTarget } from '../kafka';
import { loadTopologyModule } from '../module/loadTopologyModule';

export const TOPICS_USAGE = `Usage: tributary topics [list] <module> [--application-id ID] [--partitions N]
                                       [--brokers host:port] [--command-config FILE]
       tributary topics create <module> [--brokers host:port] [--command-config FILE]
                                         [--partitions N] [--replication-factor N]

list     the topics a module's topology reads and writes, and the internal topics
         (repartition topics, changelogs) its application creates when it starts, with
         their partition counts: planned from the source topics' partitions on the
         broker with --brokers, else from --partitions. Needs no broker.
create   creates the topics the topology reads and writes that do not exist yet; as in
         Kafka Streams, the application itself does not create them. Topics that must be
         co-partitioned (a join's inputs) get the same partition count, an existing
         one's when there is one. Existing topics are left as they are.

Options of list:
  --application-id ID     the prefix of the internal topics. Defaults to the module's
                          options.applicationId, else its file name
  --partitions N          partitions assumed for each source topic without --brokers.
                          Defaults to 1

Options of create:
${CONNECTION_HELP}
  --partitions N          partitions of each topic it creates. Defaults to 1.
  --replication-factor N  replicas of each topic it creates. Defaults to the broker's
                          default.replication.factor.
  -h, --help              this help

${ENVIRONMENT_HELP}`;

/** `tributary topics [list|create] <module>`. */
export async function topicsCommand(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    out.write(`${TOPICS_USAGE}\n`);
    return action === undefined ? 2 : 0;
  }
  if (action === 'create') return createTopics(rest, out);
  return listTopics(action === 'list' ? rest : args, out);
}

const LIST_OPTIONS = { ...CONNECTION_OPTIONS, 'application-id': { type: 'string' }, partitions: { type: 'string' } } as const;

async function listTopics(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, LIST_OPTIONS, TOPICS_USAGE);
  if (values.help) {
    out.write(`${TOPICS_USAGE}\n`);
    return 0;
  }
  const specifier = singlePositional(positionals, 'module', TOPICS_USAGE);
  const assumed = parsePositiveInteger(values.partitions, '--partitions');
  const onKafka = values.brokers !== undefined || values['command-config'] !== undefined;
  if (onKafka && assumed !== undefined) throw new CliError('--partitions is for a listing without a broker; with --brokers the source topics\' own counts are used', 2);
  const module = await loadTopologyModule(specifier);
  const { topology } = module;
  const applicationId = values['application-id'] ?? module.options.applicationId ?? module.defaultApplicationId;
  const existing = onKafka ? await sourcePartitions(topology, values) : undefined;
  const sourceCount = (topic: string) => (existing ? existing.get(topic) : (assumed ?? 1));
  const missing = topology.sourceTopics().filter((t) => sourceCount(t) === undefined);
  const plan = missing.length === 0 ? planPartitions(topology, sourceCount) : undefined;
  const partitions = (n: number | undefined) => (n === undefined ? '?' : `${n} partition${n === 1 ? '' : 's'}`);
  const column = (label: string, cells: readonly (readonly string[])[]) => cells.map((cell, i) => [i === 0 ? label : '', ...cell]);
  out.write(`Topics of ${specifier} (application id ${applicationId}):\n\n`);
  out.write(
    `${table([
      ...column('reads', topology.sourceTopics().map((t) => [t, existing ? (existing.has(t) ? partitions(existing.get(t)) : 'missing') : partitions(assumed ?? 1)])),
      ...column('writes', topology.sinkTopics().map((t) => [t])),
      ...column('creates', topology.internalTopics().map((t) => [`${applicationId}-${t.name}`, t.kind, partitions(plan?.internalTopics.get(t.name))])),
    ])}\n\n`,
  );
  if (!existing) out.write(`Partition counts assume ${assumed ?? 1} partition${(assumed ?? 1) === 1 ? '' : 's'} per source topic (--partitions, or --brokers for the real ones).\n`);
  if (missing.length > 0) out.write(`Source topic${missing.length === 1 ? '' : 's'} missing on the broker: ${missing.join(', ')}; 'tributary topics create ${specifier}' creates the topics it reads and writes.\n`);
  out.write(`The application creates the internal topics when it starts.\n`);
  return 0;
}

/** The partition counts of the topology's source topics that exist on the broker. */
async function sourcePartitions(topology: Topology, values: { brokers?: string[]; 'command-config'?: string }): Promise<Map<string, number>> {
  const target = await requireKafkaTarget(values, TOPICS_USAGE);
  const admin = await connectAdmin(kafkaClient(target, 'tributary-topics'), target);
  try {
    const names = new Set(await admin.listTopics());
    const wanted = topology.sourceTopics().filter((t) => names.has(t));
    if (wanted.length === 0) return new Map();
    const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}

const CREATE_OPTIONS = { ...CONNECTION_OPTIONS, partitions: { type: 'string' }, 'replication-factor': { type: 'string' } } as const;

async function createTopics(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, CREATE_OPTIONS, TOPICS_USAGE);
  if (values.help) {
    out.write(`${TOPICS_USAGE}\n`);
    return 0;
  }
  const specifier = singlePositional(positionals, 'module', TOPICS_USAGE);
  const partitions = parsePositiveInteger(values.partitions, '--partitions');
  const replicationFactor = parsePositiveInteger(values['replication-factor'], '--replication-factor');
  const target = await requireKafkaTarget(values, TOPICS_USAGE);
  const { topology } = await loadTopologyModule(specifier);
  const { createTopologyTopics } = await import('@tributary/kafka');
  let result;
  try {
    result = await createTopologyTopics(topology, {
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
  out.write(`Topics of ${specifier} on ${target.brokers.join(',')} (${target.security}):\n\n`);
  out.write(`${table([...rows('created', result.created), ...rows('existed', result.existing)])}\n\n`);
  out.write(`${result.created.length} created, ${result.existing.length} already there. The application creates its internal topics when it starts.\n`);
  return 0;
}
