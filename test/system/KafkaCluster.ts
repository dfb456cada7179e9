// A Kafka cluster of its own for one system test file: tools/kafka/start.sh in a temporary
// KAFKA_RUN_DIR on free ports (`--port auto`), so the cluster other sessions use on 9092 is
// never touched. It is always stopped: by stop() in afterAll, and with SIGKILL of its JVMs
// if the test process exits any other way.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureKafkaJars, repoRoot, silentLogCreator, waitFor } from '../harness';

const execFileAsync = promisify(execFile);
const scripts = join(repoRoot, 'tools', 'kafka');
const running = new Set<KafkaCluster>();

export class KafkaCluster implements AsyncDisposable {
  /** Keep the broker logs and data after stop(): set when a test fails and SYSTEM_KEEP_LOGS=1. */
  keepLogs = false;
  private stopped = false;

  private constructor(
    readonly nodes: number,
    readonly brokers: string[],
    private readonly home: string,
  ) {}

  /** Starts `nodes` combined broker+controller nodes; with 3, replication factor 3 and min ISR 2. */
  static async start({ nodes = 1 }: { nodes?: number } = {}): Promise<KafkaCluster> {
    await ensureKafkaJars();
    const home = mkdtempSync(join(tmpdir(), 'tributary-system-'));
    const runDir = join(home, 'run');
    // `--port auto` picks a free block, but another session may take it first: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await script(runDir, 'start.sh', ['--nodes', String(nodes), '--port', 'auto'], 180_000);
        break;
      } catch (error) {
        await script(runDir, 'stop.sh', [], 60_000).catch(() => undefined);
        if (attempt >= 3) {
          rmSync(home, { recursive: true, force: true });
          throw error;
        }
      }
    }
    const brokers = readFileSync(join(runDir, 'brokers'), 'utf8').trim().split(',');
    const cluster = new KafkaCluster(nodes, brokers, home);
    running.add(cluster);
    return cluster;
  }

  get runDir(): string {
    return join(this.home, 'run');
  }

  /** A KafkaJS client of this cluster (the harness's silent logger). */
  kafka(clientId = 'tributary-system-test'): Kafka {
    return new Kafka({
      clientId,
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      logCreator: silentLogCreator,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
  }

  async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka('tributary-system-admin').admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Creates a topic and waits until every partition has a leader that answers ListOffsets. */
  async createTopic(name: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
    await this.withAdmin(async (admin) => {
      await admin.createTopics({
        waitForLeaders: false,
        topics: [{ topic: name, numPartitions: partitions, replicationFactor: -1, configEntries: Object.entries(config).map(([key, value]) => ({ name: key, value })) }],
      });
      await waitFor(
        async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
          const found = topics[0]?.partitions ?? [];
          if (found.length !== partitions || !found.every((p) => p.leader >= 0)) return false;
          return (await admin.fetchTopicOffsets(name)).length === partitions;
        },
        { timeoutMs: 60_000, intervalMs: 100, description: `topic ${name}: leaders for all ${partitions} partitions` },
      );
    });
  }

  /** Log-end offset (high watermark) of each partition, indexed by partition. */
  async endOffsets(topic: string): Promise<number[]> {
    return this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const ends: number[] = [];
      for (const o of offsets) ends[o.partition] = Number(o.high);
      return ends;
    });
  }

  /** The offsets group `groupId` committed on `topic`, indexed by partition (0 where none). */
  async committedOffsets(groupId: string, topic: string, partitions: number): Promise<number[]> {
    return this.withAdmin(async (admin) => {
      const [response] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = new Array<number>(partitions).fill(0);
      for (const p of response?.partitions ?? []) committed[p.partition] = Math.max(0, Number(p.offset));
      return committed;
    });
  }

  /** The leader node of each partition of `topic`, indexed by partition (-1: none). */
  async leaders(topic: string): Promise<number[]> {
    return this.withAdmin(async (admin) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const leaders: number[] = [];
      for (const p of topics[0]?.partitions ?? []) leaders[p.partitionId] = p.leader;
      return leaders;
    });
  }

  /** Waits until every partition of every topic has all nodes in its ISR. */
  async waitUntilInSync(topics: string[], timeoutMs = 120_000): Promise<void> {
    let lagging = '';
    await waitFor(
      () =>
        this.withAdmin(async (admin) => {
          const { topics: found } = await admin.fetchTopicMetadata({ topics });
          const short = found.flatMap((t) => t.partitions.filter((p) => p.isr.length < this.nodes).map((p) => `${t.name}[${p.partitionId}] isr=${p.isr.join(',')}`));
          lagging = short.slice(0, 5).join('; ');
          return short.length === 0;
        }),
      { timeoutMs, intervalMs: 500, description: () => `all replicas in sync (${lagging})` },
    );
  }

  /** SIGKILL node `id` (1-based), or SIGTERM with `graceful`; its data stays. */
  async killNode(id: number, { graceful = false } = {}): Promise<void> {
    await script(this.runDir, 'kill.sh', [String(id), ...(graceful ? ['--graceful'] : [])], 120_000);
  }

  /** Starts node `id` again from its data; resolves once it serves requests. */
  async startNode(id: number): Promise<void> {
    await script(this.runDir, 'start-node.sh', [String(id)], 180_000);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this);
    await script(this.runDir, 'stop.sh', this.keepLogs ? ['--keep', '--timeout', '20'] : ['--timeout', '20'], 120_000).catch((error: Error) => {
      console.error(`stopping the system-test cluster failed: ${error.message}`);
      killNodesNow(this.runDir);
    });
    if (this.keepLogs) console.error(`broker logs kept in ${this.runDir}/node-*/server.log`);
    else rmSync(this.home, { recursive: true, force: true });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Last resort when the process exits: SIGKILL every JVM of this cluster. */
  killNow(): void {
    killNodesNow(this.runDir);
    if (!this.keepLogs) rmSync(this.home, { recursive: true, force: true });
  }
}

async function script(runDir: string, name: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('bash', [join(scripts, name), ...args], {
      timeout: timeoutMs,
      env: { ...process.env, KAFKA_RUN_DIR: runDir },
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`tools/kafka/${name} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function killNodesNow(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const entry of readdirSync(runDir)) {
    const pidFile = join(runDir, entry, 'pid');
    if (!entry.startsWith('node-') || !existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    // A recycled pid is never killed: the JVM's command line names this run directory.
    const cmdline = `/proc/${pid}/cmdline`;
    if (!(pid > 0) || (existsSync('/proc') && !(existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes(runDir)))) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

process.once('exit', () => {
  for (const cluster of running) cluster.killNow();
});
