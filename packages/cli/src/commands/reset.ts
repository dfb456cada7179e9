import { CliError, noPositionals, parseCommand } from '../args';
import { formatCount, table } from '../format';
import { connectAdmin, CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, kafkaClient, requireKafkaTarget } from '../kafka';
import { ApplicationReset, type ResetPlan, type ResetTarget } from '../reset/ApplicationReset';
import { parseIsoDuration } from '../reset/isoDuration';

export const RESET_USAGE = `Usage: tributary reset --application-id ID --input-topics a,b
                      [--to-earliest | --to-datetime ISO | --by-duration PT1H]
                      [--state-dir DIR] [--dry-run] [--brokers host:port] [--command-config FILE]

Resets an application so that its next start reprocesses its input, as Kafka's
kafka-streams-application-reset tool does:
  1. the consumer group ID (the application id) must have no active member: stop every
     instance first;
  2. the group's offsets on the input topics go to their earliest offsets (or to the
     first record at or after a time);
  3. the application's internal topics, <ID>-...-repartition and <ID>-...-changelog, are
     deleted; the application creates them again when it starts;
  4. with --state-dir, the local state <DIR>/<ID> (Kafka Streams' layout) is removed.
--dry-run prints the plan and changes nothing.

Options:
  --application-id ID     the application id (= consumer group). Required
  --input-topics LIST     the input topics, comma-separated or repeated. Required
  --to-earliest           each input partition's earliest offset. The default
  --to-datetime ISO       the first offset at or after this time, e.g. 2024-05-01T12:00:00Z
                          (without a zone: local time)
  --by-duration DURATION  the first offset at or after now minus an ISO-8601 duration,
                          e.g. PT1H, P1DT12H
  --state-dir DIR         the application's state directory, to remove <DIR>/<ID>
  --dry-run               print what would change; change nothing
${CONNECTION_HELP}
  -h, --help              this help

${ENVIRONMENT_HELP}`;

const RESET_OPTIONS = {
  ...CONNECTION_OPTIONS,
  'application-id': { type: 'string' },
  'input-topics': { type: 'string', multiple: true },
  'to-earliest': { type: 'boolean' },
  'to-datetime': { type: 'string' },
  'by-duration': { type: 'string' },
  'state-dir': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

/** `tributary reset`: reprocess an application's input from the start or from a time. */
export async function resetCommand(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, RESET_OPTIONS, RESET_USAGE);
  if (values.help) {
    out.write(`${RESET_USAGE}\n`);
    return 0;
  }
  noPositionals(positionals, RESET_USAGE);
  const applicationId = values['application-id'];
  if (!applicationId) throw new CliError(`--application-id is required\n\n${RESET_USAGE}`, 2);
  const inputTopics = [...new Set((values['input-topics'] ?? []).flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean))];
  if (inputTopics.length === 0) throw new CliError(`--input-topics is required: the topics the application reads\n\n${RESET_USAGE}`, 2);
  const target = resetTarget(values);
  const connection = await requireKafkaTarget(values, RESET_USAGE);

  const kafka = kafkaClient(connection, 'tributary-reset');
  const admin = await connectAdmin(kafka, connection);
  try {
    const reset = new ApplicationReset(kafka, admin, applicationId);
    const plan = await reset.plan(inputTopics, target, values['state-dir']);
    const dryRun = values['dry-run'] ?? false;
    out.write(`${describePlan(plan, dryRun)}\n`);
    if (dryRun) return 0;
    await reset.apply(plan);
    out.write(`Done: application ${applicationId} reset. Its next start reprocesses the input topics from the offsets above.\n`);
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** `--to-earliest` (the default), `--to-datetime` or `--by-duration`: at most one. */
function resetTarget(values: { 'to-earliest'?: boolean; 'to-datetime'?: string; 'by-duration'?: string }): ResetTarget {
  const given = (['to-earliest', 'to-datetime', 'by-duration'] as const).filter((o) => values[o] !== undefined && values[o] !== false);
  if (given.length > 1) throw new CliError(`${given.map((o) => `--${o}`).join(' and ')}: give one of them\n\n${RESET_USAGE}`, 2);
  const datetime = values['to-datetime'];
  if (datetime !== undefined) {
    const timestamp = Date.parse(datetime);
    if (!/^\d{4}-\d{2}-\d{2}/.test(datetime) || Number.isNaN(timestamp)) throw new CliError(`--to-datetime must be an ISO-8601 time such as 2024-05-01T12:00:00Z, got '${datetime}'`, 2);
    return { kind: 'timestamp', timestamp, label: new Date(timestamp).toISOString() };
  }
  const duration = values['by-duration'];
  if (duration !== undefined) {
    const ms = parseIsoDuration(duration);
    if (ms === undefined) throw new CliError(`--by-duration must be an ISO-8601 duration such as PT1H, PT30M or P1DT12H, got '${duration}'`, 2);
    const timestamp = Date.now() - ms;
    return { kind: 'timestamp', timestamp, label: `${new Date(timestamp).toISOString()} (now - ${duration})` };
  }
  return { kind: 'earliest' };
}

function describePlan(plan: ResetPlan, dryRun: boolean): string {
  const to = plan.target.kind === 'earliest' ? 'the earliest offsets' : `the first offsets at or after ${plan.target.label}`;
  const lines = [
    `${dryRun ? 'Dry run: would reset' : 'Resetting'} application ${plan.applicationId}${dryRun ? ' (nothing is changed)' : ''}:`,
    '',
    `Input offsets of consumer group ${plan.applicationId}, to ${to}:`,
    table([
      ['topic', 'partition', 'committed', 'reset to'],
      ...plan.offsets.map((o) => [o.topic, String(o.partition), o.committed === null ? '-' : formatCount(o.committed), formatCount(o.reset)]),
    ]),
    '',
    plan.internalTopics.length > 0 ? `Internal topics to delete (${plan.internalTopics.length}):` : 'Internal topics to delete: none found.',
    ...plan.internalTopics.map((t) => `  ${t}`),
    '',
    plan.stateDir ? `Local state: ${plan.stateDir.path} ${plan.stateDir.exists ? '(to remove)' : '(not there: nothing to remove)'}` : 'Local state: no --state-dir given; nothing removed.',
  ];
  return lines.join('\n');
}
