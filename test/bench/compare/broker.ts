// The broker of `pnpm bench:compare` and what the harness asks it: KAFKA_BROKERS if set, else
// its own one-node broker started with tools/kafka in a run directory of its own (so a broker
// someone else started is left alone), stopped when the benchmark ends.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
const kafkaDir = join(repoRoot, 'tools', 'kafka');

/** A broker for the benchmark; `stop()` stops it if the benchmark started it. */
export interface BenchBroker {
  brokers: string;
  stop(): void;
}

export function ensureBroker(): BenchBroker {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, stop: () => {} };
  const runDir = join(tmpdir(), `tributary-bench-compare-kafka-${process.pid}`);
  const env = { ...process.env, KAFKA_RUN_DIR: runDir };
  console.log(`Starting a broker (tools/kafka/start.sh, run directory ${runDir})...`);
  execFileSync('bash', [join(kafkaDir, 'start.sh'), '--port', 'auto'], { stdio: 'inherit', env });
  return {
    brokers: readFileSync(join(runDir, 'brokers'), 'utf8').trim(),
    stop: () => execFileSync('bash', [join(kafkaDir, 'stop.sh')], { stdio: 'inherit', env }),
  };
}

/** The Kafka release whose tools (kafka-consumer-perf-test) the harness runs: tools/kafka/pom.xml's. */
export function kafkaToolsLib(): string {
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(join(kafkaDir, 'pom.xml'), 'utf8'))?.[1];
  if (!version) throw new Error('tools/kafka/pom.xml names no kafka.version');
  return join(kafkaDir, 'lib', version);
}

/** The admin operations the harness needs, on one KafkaJS admin connection. */
export class BenchAdmin {
  readonly kafka: Kafka;
  private readonly admin: Admin;

  constructor(brokers: string) {
    this.kafka = new Kafka({ clientId: 'bench-compare', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  /** Creates `topic` with the topic settings `config` and waits until every partition has a leader. */
  async createTopic(topic: string, partitions: number, config: Readonly<Record<string, string>> = {}): Promise<void> {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await this.admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: partitions, configEntries }] });
    for (;;) {
      try {
        if ((await this.admin.fetchTopicOffsets(topic)).length === partitions) return;
      } catch {
        // not ready yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Records written to `topic` so far: the sum of its partitions' log-end offsets. */
  async endOffsetSum(topic: string): Promise<number> {
    return (await this.admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  }

  /** The sum of `group`'s committed offsets on `topic` (0 for a partition without one). */
  async committedSum(group: string, topic: string): Promise<number> {
    const [offsets] = await this.admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  }

  /**
   * Deletes what one run left on the broker: `topic` (its output, or outputs), the internal topics of
   * application `group` (changelogs), and the group itself. Keeps the broker's disk small over
   * many runs; failures are ignored (a group that never committed does not exist).
   */
  async deleteTopics(topic: string | readonly string[] | undefined, group: string): Promise<void> {
    const internal = (await this.admin.listTopics()).filter((t) => t.startsWith(`${group}-`));
    const topics = [...(topic === undefined ? [] : typeof topic === 'string' ? [topic] : topic), ...internal];
    if (topics.length > 0) await this.admin.deleteTopics({ topics }).catch(() => {});
    await this.admin.deleteGroups([group]).catch(() => {});
  }

  /**
   * Resolves with Date.now() at the moment application `group` had drained `input`: committed
   * all `records` of it, and each of its repartition topics (`<group>-...-repartition`) up to its
   * end. Then every record the input leads to has been processed and its outputs written, since
   * an application commits a record only once what it produced was acknowledged; for a topology
   * whose output count is not known beforehand (`crm`). The moment is that of the first of two
   * checks in a row that find the application drained with the same end offsets: a record
   * processed between the reads of one check changes an end offset by the next. Includes up to
   * one commit interval per repartition hop. Rejects after `timeoutMs`.
   */
  async waitUntilDrained(group: string, input: string, records: number, what: string, timeoutMs = 600_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let first: { at: number; ends: string } | undefined;
    for (;;) {
      // The group's coordinator may still be loading or moving (NOT_COORDINATOR): not drained yet.
      const ends = await this.drainedEnds(group, input, records).catch((error: { retriable?: boolean }) => {
        if (error?.retriable) return undefined;
        throw error;
      });
      if (ends !== undefined && first?.ends === ends) return first.at;
      first = ends === undefined ? undefined : { at: Date.now(), ends };
      if (Date.now() > deadline) throw new Error(`${what}: not drained after ${timeoutMs} ms (${await this.committedSum(group, input)} of ${records} input records committed)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The end offsets of `group`'s repartition topics if it has drained `input` (see {@link waitUntilDrained}), else undefined. */
  private async drainedEnds(group: string, input: string, records: number): Promise<string | undefined> {
    if ((await this.committedSum(group, input)) < records) return undefined;
    const repartition = (await this.admin.listTopics()).filter((t) => t.startsWith(`${group}-`) && t.endsWith('-repartition')).sort();
    const ends: string[] = [];
    for (const topic of repartition) {
      const end = await this.endOffsetSum(topic);
      if ((await this.committedSum(group, topic)) < end) return undefined;
      ends.push(`${topic}=${end}`);
    }
    return ends.join(',');
  }

  /**
   * Resolves with Date.now() once `read()` reaches `target`, polled every 50 ms; rejects after
   * `timeoutMs` with how far it got.
   */
  async waitUntil(read: () => Promise<number>, target: number, what: string, timeoutMs = 600_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await read();
      if (n >= target) return Date.now();
      if (Date.now() > deadline) throw new Error(`${what}: ${n} of ${target} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
