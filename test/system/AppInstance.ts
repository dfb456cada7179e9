// One application instance: fixtures/app.ts in a child process. Follows the JSON lines it
// prints (state, tasks, processed records, errors), samples its resident set size, and
// knows whether it ended because the test stopped it or on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../harness';

const fixture = fileURLToPath(new URL('./fixtures/app.ts', import.meta.url));
const live = new Set<AppInstance>();

/** What fixtures/app.ts reads from its environment (INSTANCE and KAFKA_BROKERS are added). */
export interface AppEnv {
  APP_ID: string;
  TOPOLOGY: 'counting' | 'bad-input';
  INPUT: string;
  OUTPUT: string;
  COUNTS?: string;
  DLQ?: string;
  GUARANTEE?: 'at_least_once' | 'exactly_once';
  COMMIT_INTERVAL_MS?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type AppLine = Record<string, unknown> & { t: number; event: string };

export class AppInstance {
  state = 'CREATED';
  tasks: string[] = [];
  processed = 0;
  /** Every state it went through, in order. */
  readonly states: string[] = [];
  /** `error` and `fatal` lines, and error-level log lines. */
  readonly errors: AppLine[] = [];
  /** The last lines it printed (JSON or not). */
  readonly tail: string[] = [];
  peakRssBytes = 0;
  startedAt = 0;
  exit: Exit | undefined;
  /** The signal the test sent, if it stopped the instance. */
  stoppedWith: NodeJS.Signals | undefined;
  /** It did not exit within the timeout of stop() and was killed with SIGKILL. */
  escalated = false;
  readonly exited: Promise<Exit>;
  private readonly parsed: AppLine[] = [];
  private readonly child: ChildProcess;
  private readonly rssTimer: NodeJS.Timeout;

  constructor(
    readonly name: string,
    brokers: readonly string[],
    env: AppEnv,
  ) {
    this.child = spawn(process.execPath, ['--conditions=tributary-source', '--import', 'tsx', fixture], {
      cwd: repoRoot,
      env: { ...process.env, ...env, INSTANCE: name, KAFKA_BROKERS: brokers.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    // SYSTEM_LOG_DIR=<dir>: every line an instance prints is kept in <dir>/<name>.log, for a
    // post-mortem of a scenario (with SYSTEM_LOG_DEBUG=1 the instances log at debug level too).
    const logDir = process.env.SYSTEM_LOG_DIR;
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
      this.child.stdout!.pipe(file);
      this.child.stderr!.pipe(file);
    }
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.read(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.remember(`stderr: ${line}`));
    this.rssTimer = setInterval(() => this.sampleRss(), 250);
    this.rssTimer.unref();
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        live.delete(this);
        clearInterval(this.rssTimer);
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** SIGKILL every instance still alive (a test that timed out leaves some behind). */
  static async killAll(): Promise<void> {
    await Promise.all([...live].map((instance) => instance.stop('SIGKILL', 5_000)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  get endedInError(): boolean {
    return this.states.includes('ERROR') || this.exit?.code === 3;
  }

  /** Exited although the test did not stop it (ERROR, a fatal error, or a clean exit nobody asked for). */
  get exitedOnItsOwn(): boolean {
    return this.exit !== undefined && this.stoppedWith === undefined;
  }

  /** Told to close (SIGTERM or SIGINT), it did not end as a closed instance does: by that signal, or with code 0. */
  get closedBadly(): boolean {
    if (!this.exit || (this.stoppedWith !== 'SIGTERM' && this.stoppedWith !== 'SIGINT')) return false;
    return this.escalated || !(this.exit.signal === this.stoppedWith || this.exit.code === 0);
  }

  /** Sends `signal` now, without waiting. */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Sends `signal` and resolves when the process is gone; SIGKILL after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<Exit> {
    if (this.exit) return this.exit;
    // One that already reported ERROR is ending on its own: the signal only hurries it.
    if (!this.states.includes('ERROR')) this.stoppedWith ??= signal;
    this.child.kill(signal);
    const timer = setTimeout(() => {
      this.escalated = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Lines with this event, in order. */
  lines(event: string): AppLine[] {
    return this.parsed.filter((l) => l.event === event);
  }

  /** Name, pid, how it ended, its states and its errors (at `when(t)`, if given): for failure messages. */
  describe(when?: (epochMs: number) => string): string {
    const how = this.stoppedWith ? ` (stopped with ${this.stoppedWith}${this.escalated ? ', then SIGKILL: it did not exit in time' : ''})` : ' (on its own)';
    const exit = this.exit ? `exit code=${this.exit.code} signal=${this.exit.signal}${how}` : 'alive';
    const errors = this.errors.map((e) => `    ${when ? `${when(e.t)} ` : ''}${e.event}${e.level ? `/${e.level}` : ''}: ${String(e.name ?? '')} ${String(e.message ?? '')}`.trimEnd());
    // Nothing it reported explains an exit of its own (a crash before it could say anything): show its last lines.
    const tail = this.exitedOnItsOwn && errors.length === 0 ? this.tail.slice(-12).map((line) => `    | ${line.slice(0, 300)}`) : [];
    return [`${this.name} (pid ${this.pid}): ${exit}; states ${this.states.join(' -> ') || '-'}`, ...errors.slice(0, 12), ...tail].join('\n');
  }

  private read(raw: string): void {
    this.remember(raw);
    let line: AppLine;
    try {
      line = JSON.parse(raw) as AppLine;
    } catch {
      return;
    }
    if (typeof line !== 'object' || line === null || typeof line.event !== 'string') return;
    if (this.parsed.length < 20_000) this.parsed.push(line);
    if (Array.isArray(line.tasks)) this.tasks = line.tasks as string[];
    switch (line.event) {
      case 'started':
        this.startedAt = line.t;
        break;
      case 'state':
        this.state = String(line.to);
        this.states.push(this.state);
        break;
      case 'progress':
        this.processed = Number(line.processed);
        this.peakRssBytes = Math.max(this.peakRssBytes, Number(line.rss) || 0);
        break;
      case 'error':
      case 'fatal':
        this.errors.push(line);
        break;
      case 'log':
        if (line.level === 'error') this.errors.push(line);
        break;
    }
  }

  private remember(line: string): void {
    this.tail.push(line.length > 2_000 ? `${line.slice(0, 2_000)}...` : line);
    if (this.tail.length > 200) this.tail.shift();
  }

  /** VmRSS from /proc (Linux); elsewhere the process's own `progress` figures are used. */
  private sampleRss(): void {
    const status = `/proc/${this.child.pid}/status`;
    try {
      if (!existsSync(status)) return;
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
      if (kb) this.peakRssBytes = Math.max(this.peakRssBytes, Number(kb) * 1024);
    } catch {
      // the process just exited
    }
  }
}

// Last resort, when the test process exits: no instance outlives it.
process.once('exit', () => {
  for (const instance of live) instance.kill('SIGKILL');
});
