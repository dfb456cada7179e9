import type { Admin } from 'kafkajs';
import { CliError, noPositionals, parseCommand, parseDurationOption } from '../args';
import { formatCount, formatDuration, table } from '../format';
import { connectAdmin, CONNECTION_HELP, CONNECTION_OPTIONS, ENVIRONMENT_HELP, kafkaClient, requireKafkaTarget } from '../kafka';
import { CommitRate, type RateEstimate } from '../lag/CommitRate';
import { onStopSignal } from '../run/stopSignals';

export const LAG_USAGE = `Usage: tributary lag --application-id ID [--brokers host:port[,host:port]] [--command-config FILE]
                    [--interval 1s] [--watch | --duration 70s]

Per partition of every topic the consumer group ID has committed offsets for:
  committed   the group's committed offset
  log-end     the partition's log-end offset (high watermark)
  lag         log-end offset - committed offset
  rate        consumption rate: (committed offset at the latest commit seen - at the
              earliest) / seconds between the two. An application commits every
              commit interval (Kafka Streams: 30 s), and its committed offset stands
              still in between, so the rate is measured between commits, whatever
              --interval is: "waiting for commits" until two distinct ones are seen.
              A partition whose committed offset is at its log-end and stays there
              is idle: 0.

It looks at the offsets every --interval. Without --watch it prints the table once every
partition has a rate (or is idle), or after --duration; with --watch it prints it after
every look until Ctrl-C.

Options:
  --application-id ID     the application id (= consumer group), e.g. crm_consumer_group
${CONNECTION_HELP}
  --interval DURATION     how often to read the offsets. Defaults to 1s.
  --duration DURATION     without --watch, how long to wait for commits at most. Defaults
                          to 70s: two of Kafka Streams' default 30 s commit intervals
  --watch                 print the table after every look, until Ctrl-C
  -h, --help              this help

${ENVIRONMENT_HELP}`;

interface PartitionOffsets {
  topic: string;
  partition: number;
  committed: number | null;
  logEnd: number;
}

/** A partition as the command follows it: its latest offsets, its rate, whether it has been idle. */
interface FollowedPartition extends PartitionOffsets {
  readonly rate: CommitRate;
  /** Looks in a row that found the committed offset at the log-end, unchanged. */
  idleLooks: number;
}

const LAG_OPTIONS = {
  'application-id': { type: 'string' },
  ...CONNECTION_OPTIONS,
  interval: { type: 'string' },
  duration: { type: 'string' },
  watch: { type: 'boolean' },
} as const;

/** `tributary lag`: the seed's two formulas, lag and consumption rate, on a live consumer group. */
export async function lagCommand(args: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parseCommand(args, LAG_OPTIONS, LAG_USAGE);
  if (values.help) {
    out.write(`${LAG_USAGE}\n`);
    return 0;
  }
  noPositionals(positionals, LAG_USAGE);
  const groupId = values['application-id'];
  if (!groupId) throw new CliError(`--application-id is required\n\n${LAG_USAGE}`, 2);
  const intervalMs = parseDurationOption(values.interval, '--interval') ?? 1000;
  const durationMs = parseDurationOption(values.duration, '--duration') ?? 70_000;
  if (values.watch && values.duration !== undefined) throw new CliError(`--duration is for a single table; --watch runs until Ctrl-C\n\n${LAG_USAGE}`, 2);
  const target = await requireKafkaTarget(values, LAG_USAGE);
  const { brokers } = target;

  const admin = await connectAdmin(kafkaClient(target, 'tributary-lag'), target);
  let stop = false;
  const removeSignals = onStopSignal(() => (stop = true));
  try {
    const followed = new Map<string, FollowedPartition>();
    const startedAt = performance.now();
    let description = await describeGroup(admin, groupId);
    for (let looks = 0; ; looks++) {
      const now = performance.now();
      const offsets = await committedOffsets(admin, groupId);
      if (looks === 0 && offsets.length === 0) {
        throw new CliError(`consumer group '${groupId}' has no committed offsets on ${brokers.join(',')} (state: ${description?.state ?? 'unknown'}); is the application id right?`);
      }
      for (const p of offsets) {
        const key = `${p.topic}:${p.partition}`;
        const entry = followed.get(key) ?? { ...p, rate: new CommitRate(), idleLooks: 0 };
        const unchanged = entry.committed === p.committed;
        entry.idleLooks = p.committed !== null && p.committed === p.logEnd && (unchanged || looks === 0) ? entry.idleLooks + 1 : 0;
        Object.assign(entry, p);
        entry.rate.observe(now, p.committed);
        followed.set(key, entry);
      }
      const rows = [...followed.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
      const elapsed = now - startedAt;
      const settled = rows.filter((r) => r.rate.rate(now).kind === 'measured' || r.idleLooks >= 2).length;
      const done = stop || (!values.watch && (settled === rows.length || elapsed >= durationMs));
      if (values.watch || done) {
        if (values.watch) description = await describeGroup(admin, groupId);
        const clear = values.watch && looks > 0 ? ((out as NodeJS.WriteStream).isTTY ? '\x1b[H\x1b[2J' : '\n') : '';
        out.write(`${clear}${lagTable(groupId, brokers, description, rows, now, elapsed)}\n`);
      } else {
        err.write(`waiting for commits: ${settled} of ${rows.length} partitions have a rate (${formatDuration(elapsed)})\n`);
      }
      if (done) return 0;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (stop) return 0;
    }
  } finally {
    removeSignals();
    await admin.disconnect();
  }
}

type GroupDescription = Awaited<ReturnType<Admin['describeGroups']>>['groups'][number] | undefined;

async function describeGroup(admin: Admin, groupId: string): Promise<GroupDescription> {
  return (await admin.describeGroups([groupId])).groups[0];
}

/** The table: a header line with the group's state, then a row per partition and the totals. */
function lagTable(groupId: string, brokers: readonly string[], description: GroupDescription, rows: readonly FollowedPartition[], now: number, elapsedMs: number): string {
  const members = description?.members.length ?? 0;
  const rateCell = (r: FollowedPartition): string => {
    const estimate: RateEstimate = r.rate.rate(now);
    if (estimate.kind === 'measured') return estimate.perSecond.toFixed(1);
    return r.idleLooks >= 2 ? '0.0' : 'waiting for commits';
  };
  const measured = rows.map((r) => r.rate.rate(now)).filter((e) => e.kind === 'measured');
  const totalRate = measured.reduce((n, e) => n + (e.kind === 'measured' ? e.perSecond : 0), 0);
  const waiting = rows.filter((r) => rateCell(r) === 'waiting for commits').length;
  const lines = [
    `Consumer group ${groupId} on ${brokers.join(',')}: ${description?.state ?? 'unknown'}, ${members} member${members === 1 ? '' : 's'}; watched for ${formatDuration(elapsedMs)}`,
    '',
    table(
      [
        ['topic', 'partition', 'committed', 'log-end', 'lag', 'rate/s'],
        ...rows.map((r) => [r.topic, String(r.partition), r.committed === null ? '-' : formatCount(r.committed), formatCount(r.logEnd), formatCount(r.logEnd - (r.committed ?? 0)), rateCell(r)]),
        ['total', '', '', '', formatCount(rows.reduce((n, r) => n + r.logEnd - (r.committed ?? 0), 0)), `${totalRate.toFixed(1)}${waiting > 0 ? ` (${waiting} waiting)` : ''}`],
      ],
      '',
    ),
  ];
  return lines.join('\n');
}

/** Committed and log-end offsets of every partition of the topics the group has committed to. */
async function committedOffsets(admin: Admin, groupId: string): Promise<PartitionOffsets[]> {
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
