// Apache Kafka's own command-line tools (run from the jars in tools/kafka/lib/<version>)
// and control of the local broker nodes started by tools/kafka/start.sh. Tests use the
// tools as an independent referee: e.g. our lag figures must agree with
// kafka-consumer-groups --describe. The tools are those of KAFKA_VERSION, else of the
// default release in tools/kafka/pom.xml; either talks to 3.x and 4.x brokers.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brokers } from './kafka';

const execFileAsync = promisify(execFile);

/** Repository root (this file lives in test/harness/). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const kafkaDir = join(repoRoot, 'tools', 'kafka');

let jarsReady: Promise<string> | undefined;

/**
 * Makes sure tools/kafka/lib/<version> holds the Kafka jars (fetched by Maven on first use)
 * and resolves to that directory.
 */
export function ensureKafkaJars(): Promise<string> {
  jarsReady ??= execFileAsync('bash', [join(kafkaDir, 'fetch-jars.sh')], { timeout: 600_000 }).then(
    ({ stdout }) => stdout.trim().split('\n').pop()!,
    (error: Error & { stderr?: string }) => {
      jarsReady = undefined;
      throw new Error(`Could not fetch the Kafka jars: ${error.stderr || error.message}`);
    },
  );
  return jarsReady;
}

export interface KafkaToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a main class from the Kafka jars, e.g.
 * `kafkaTool('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', b, '--list'])`.
 * Rejects when the JVM exits non-zero or the tool prints an `Error:` line (several tools
 * report errors that way and still exit 0).
 */
export async function kafkaTool(mainClass: string, args: string[], timeoutMs = 60_000): Promise<KafkaToolResult> {
  const libDir = await ensureKafkaJars();
  const javaArgs = [
    '-Xmx256m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1', // short-lived JVM: skip C2, start faster
    // Quiet logging: Kafka 3.x tools read the log4j 1 file, 4.x tools the log4j2 one.
    `-Dlog4j.configuration=file:${join(kafkaDir, 'config', 'tools-log4j.properties')}`,
    `-Dlog4j2.configurationFile=${join(kafkaDir, 'config', 'tools-log4j2.properties')}`,
    '-cp',
    `${libDir}/*`,
    mainClass,
    ...args,
  ];
  let result: KafkaToolResult;
  try {
    result = await execFileAsync('java', javaArgs, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string; code?: string | number };
    if (e.code === 'ENOENT') throw new Error('`java` was not found on PATH; Kafka tools need Java 11+ (17 recommended).');
    throw new Error(`${mainClass} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const errorLine = /^Error: .*$/m.exec(`${result.stdout}\n${result.stderr}`);
  if (errorLine) throw new Error(`${mainClass} ${args.join(' ')}: ${errorLine[0]}`);
  return result;
}

/** One row of `kafka-consumer-groups --describe --group ID`. Offsets are null where the tool prints `-`. */
export interface ConsumerGroupRow {
  group: string;
  topic: string;
  partition: number;
  /** Committed offset; null when the group has none for this partition. */
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

const offsetOrNull = (cell: string | undefined): number | null =>
  cell === undefined || cell === '-' || cell === '' ? null : Number(cell);
const textOrNull = (cell: string | undefined): string | null =>
  cell === undefined || cell === '-' || cell === '' ? null : cell;

/** Parses the table printed by `ConsumerGroupCommand --describe` (exported for unit tests). */
export function parseConsumerGroupDescribe(stdout: string): ConsumerGroupRow[] {
  const lines = stdout.split('\n').map((line) => line.trimEnd());
  const headerAt = lines.findIndex((line) => /^GROUP\s+TOPIC\s+PARTITION\s/.test(line));
  if (headerAt < 0) return [];
  const header = lines[headerAt]!.trim().split(/\s+/);
  const rows: ConsumerGroupRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.trim() === '') continue;
    const cells = line.trim().split(/\s+/);
    // CLIENT-ID is last and may contain spaces: glue any surplus cells back onto it.
    if (cells.length > header.length) cells.splice(header.length - 1, Infinity, cells.slice(header.length - 1).join(' '));
    const cell = (name: string): string | undefined => {
      const index = header.indexOf(name);
      return index < 0 ? undefined : cells[index];
    };
    rows.push({
      group: cell('GROUP') ?? '',
      topic: cell('TOPIC') ?? '',
      partition: Number(cell('PARTITION')),
      currentOffset: offsetOrNull(cell('CURRENT-OFFSET')),
      logEndOffset: offsetOrNull(cell('LOG-END-OFFSET')),
      lag: offsetOrNull(cell('LAG')),
      consumerId: textOrNull(cell('CONSUMER-ID')),
      host: textOrNull(cell('HOST')),
      clientId: textOrNull(cell('CLIENT-ID')),
    });
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * What Apache Kafka's `kafka-consumer-groups.sh --describe --group ID` reports (run via
 * `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`), one row per partition,
 * sorted by topic and partition. Throws "Consumer group 'ID' does not exist" if it does not.
 */
export async function describeConsumerGroup(groupId: string): Promise<ConsumerGroupRow[]> {
  let stdout: string;
  try {
    ({ stdout } = await kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
      '--bootstrap-server',
      brokers().join(','),
      '--describe',
      '--group',
      groupId,
    ]));
  } catch (error) {
    // 3.x tools say "does not exist", 4.x tools "GroupIdNotFoundException: Group ID not found".
    const message = (error as Error).message;
    if (/GroupIdNotFoundException/.test(message) && !/does not exist/.test(message)) {
      throw new Error(`Consumer group '${groupId}' does not exist (${message.split('\n')[0]})`, { cause: error });
    }
    throw error;
  }
  return parseConsumerGroupDescribe(stdout);
}

async function runKafkaScript(script: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('bash', [join(kafkaDir, script), ...args], { timeout: timeoutMs });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`tools/kafka/${script} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/**
 * Fault injection: stops broker node `nodeId` (1-based) of the cluster started by
 * tools/kafka/start.sh, keeping its data. SIGKILL by default (a crash); `graceful` sends
 * SIGTERM (controlled shutdown). Resolves once the process is gone.
 */
export async function killBrokerNode(nodeId: number, { graceful = false } = {}): Promise<void> {
  await runKafkaScript('kill.sh', [String(nodeId), ...(graceful ? ['--graceful'] : [])], 120_000);
}

/** Starts node `nodeId` again from its existing data; resolves once it serves requests again. */
export async function startBrokerNode(nodeId: number): Promise<void> {
  await runKafkaScript('start-node.sh', [String(nodeId)], 180_000);
}
