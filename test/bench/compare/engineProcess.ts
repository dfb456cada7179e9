// A benchmarked engine as a child process: spawned, followed through the JSON lines it prints
// ({"event":"starting"|"state"|"progress"}), measured from /proc and stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpuSeconds, peakRssMiB } from './procStats';

interface EngineLine {
  event: 'starting' | 'state' | 'progress';
  state?: string;
  processed?: number;
}

/** What the harness knows of a running engine process. */
export class EngineProcess {
  readonly pid: number;
  /** Records the engine says it processed (its last progress line). */
  processed = 0;
  state = 'CREATED';
  /** Date.now() when the engine printed `starting` (just before its start()). */
  startedAt: number | undefined;
  /** CPU seconds the process had used when it printed `starting` (start-up excluded). */
  cpuAtStart = 0;
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private readonly listeners = new Set<() => void>();
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    cwd: string,
  ) {
    this.child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${command}`);
    this.pid = this.child.pid;
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > 40) this.stderr.shift();
    });
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
    });
  }

  private onLine(line: string): void {
    let parsed: EngineLine;
    try {
      parsed = JSON.parse(line) as EngineLine;
    } catch {
      return; // not one of ours (a library writing to stdout)
    }
    if (parsed.event === 'starting') {
      this.startedAt = Date.now();
      this.cpuAtStart = cpuSeconds(this.pid);
    } else if (parsed.event === 'state' && parsed.state) {
      this.state = parsed.state;
    } else if (parsed.event === 'progress') {
      this.processed = parsed.processed ?? this.processed;
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once `condition()` holds; rejects if the process exits first or after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) return done(undefined);
        if (this.exit) return done(new Error(`${this.label} exited (${this.exit.code ?? this.exit.signal}) before ${what}:\n${this.stderr.join('\n')}`));
      };
      const timer = setTimeout(() => done(new Error(`${this.label}: no ${what} after ${timeoutMs} ms:\n${this.stderr.join('\n')}`)), timeoutMs);
      const done = (error: Error | undefined) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Rejects as soon as the process exits: race it against the measurement. */
  failed(): Promise<never> {
    return this.until(() => false, 'the end of the run', 24 * 3_600_000) as Promise<never>;
  }

  /** CPU seconds used since `starting`, and the peak RSS so far, read while the process lives. */
  measure(): { cpuSeconds: number; peakRssMiB: number } {
    return { cpuSeconds: cpuSeconds(this.pid) - this.cpuAtStart, peakRssMiB: peakRssMiB(this.pid) };
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exit) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
