import type { Admin } from 'kafkajs';
import { CliError, parseCommand, parseDurationOption } from './args';
import { formatCount, table } from './format';
import { connectAdmin, CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, kafkaClient, requireKafkaTarget } from './kafka';

export const LAG_USAGE = `Usage: tributary lag --application-id ID [--brokers host:port[,host:port]] [--command-config FILE] [--interval 5s]

Per partition of every topic the consumer group ID has committed offsets for:
  committed   the group's committed offset
  log-end     the partition's log-end offset (high watermark)
  lag         log-end offset - committed offset
  rate        consumption rate: (committed now - committed before) / seconds,
              measured over --interval

Options:
  --application-id ID     the application id (= consumer group), e.g. crm_consumer_group
${CONNECTION_HELP}
  --interval DURATION     how long to measure the rate over. Defaults to 5s.
  -h, --help              this help

${ENVIRONMENT_HELP}`;

interface PartitionOffsets {
  topic: string;
  partition: number;
  committed: number | null;
  logEnd: number;
}

/** `tributary lag`: the seed's two formulas, lag and consumption rate, on a live consumer group. */
export async function lagCommand(args: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, { 'application-id': { type: 'string' }, ...CONNECTION_OPTIONS, interval: { type: 'string' } }, LAG_USAGE);
  if (values.help) {
    out.write(`${LAG_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'\n\n${LAG_USAGE}`, 2);
  const groupId = values['application-id'];
  if (!groupId) throw new CliError(`--application-id is required\n\n${LAG_USAGE}`, 2);
  const intervalMs = parseDurationOption(values.interval, '--interval') ?? 5000;
  const target = await requireKafkaTarget(values, LAG_USAGE);
  const { brokers } = target;

  const admin = await connectAdmin(kafkaClient(target, 'tributary-lag'), target);
  try {
    const [description] = (await admin.describeGroups([groupId])).groups;
    const before = await offsets(admin, groupId);
    if (before.length === 0) {
      throw new CliError(`consumer group '${groupId}' has no committed offsets on ${brokers.join(',')} (state: ${description?.state ?? 'unknown'}); is the application id right?`);
    }
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const after = await offsets(admin, groupId);
    const seconds = (performance.now() - startedAt) / 1000;
    const earlier = new Map(before.map((p) => [`${p.topic}:${p.partition}`, p.committed]));

    const rows = after.map((p) => {
      const lag = p.logEnd - (p.committed ?? 0);
      const previous = earlier.get(`${p.topic}:${p.partition}`) ?? null;
      const rate = p.committed !== null && previous !== null ? (p.committed - previous) / seconds : 0;
      return { ...p, lag, rate };
    });
    const members = description?.members.length ?? 0;
    out.write(`Consumer group ${groupId} on ${brokers.join(',')}: ${description?.state ?? 'unknown'}, ${members} member${members === 1 ? '' : 's'}; rate measured over ${seconds.toFixed(1)}s\n\n`);
    out.write(
      `${table(
        [
          ['topic', 'partition', 'committed', 'log-end', 'lag', 'rate/s'],
          ...rows.map((r) => [r.topic, String(r.partition), r.committed === null ? '-' : formatCount(r.committed), formatCount(r.logEnd), formatCount(r.lag), r.rate.toFixed(1)]),
          ['total', '', '', '', formatCount(rows.reduce((n, r) => n + r.lag, 0)), rows.reduce((n, r) => n + r.rate, 0).toFixed(1)],
        ],
        '',
      )}\n`,
    );
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** Committed and log-end offsets of every partition of the topics the group has committed to. */
async function offsets(admin: Admin, groupId: string): Promise<PartitionOffsets[]> {
  // Every topic, not the default of none: OffsetFetch with an empty topic list answers nothing.
  const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
  const committed = topics.length === 0 ? [] : await admin.fetchOffsets({ groupId, topics });
  const result: PartitionOffsets[] = [];
  for (const { topic, partitions } of committed) {
    if (partitions.every((p) => Number(p.offset) < 0)) continue; // nothing committed on this topic
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
    for (const p of partitions) {
      const offset = Number(p.offset);
      result.push({ topic, partition: p.partition, committed: offset >= 0 ? offset : null, logEnd: ends.get(p.partition) ?? 0 });
    }
  }
  return result.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}
