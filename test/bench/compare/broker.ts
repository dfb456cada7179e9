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

  /** Creates `topic` and waits until every partition has a leader. */
  async createTopic(topic: string, partitions: number): Promise<void> {
    await this.admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: partitions }] });
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
   * Deletes what one run left on the broker: `topic` (its output), the internal topics of
   * application `group` (changelogs), and the group itself. Keeps the broker's disk small over
   * many runs; failures are ignored (a group that never committed does not exist).
   */
  async deleteTopics(topic: string | undefined, group: string): Promise<void> {
    const internal = (await this.admin.listTopics()).filter((t) => t.startsWith(`${group}-`));
    const topics = [...(topic ? [topic] : []), ...internal];
    if (topics.length > 0) await this.admin.deleteTopics({ topics }).catch(() => {});
    await this.admin.deleteGroups([group]).catch(() => {});
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
