// The instances of one application: started, stopped and killed by a test, each a child
// process (AppInstance). Remembers every instance it ever started, so a test can tell at
// the end which one ended in ERROR or exited on its own; `await using` kills what is left.
import { AppInstance, type AppEnv } from './AppInstance';

export class Fleet implements AsyncDisposable {
  /** Every instance started, in order. */
  readonly members: AppInstance[] = [];

  constructor(
    private readonly brokers: readonly string[],
    private readonly env: AppEnv,
    private readonly prefix = 'm',
  ) {}

  /** Starts one more instance, named `<prefix><n>`. */
  start(): AppInstance {
    const instance = new AppInstance(`${this.prefix}${this.members.length + 1}`, this.brokers, this.env);
    this.members.push(instance);
    return instance;
  }

  alive(): AppInstance[] {
    return this.members.filter((m) => m.alive);
  }

  /** Instances that ended in ERROR, or exited although nobody stopped them. */
  failed(): AppInstance[] {
    return this.members.filter((m) => m.endedInError || m.exitedOnItsOwn);
  }

  describeFailures(): string {
    return this.failed().map((m) => m.describe()).join('\n');
  }

  /** One paragraph per instance that ended in ERROR, exited on its own, or did not close when told to (times as `when(t)`). */
  problems(when?: (epochMs: number) => string): string[] {
    return this.members
      .filter((m) => m.endedInError || m.exitedOnItsOwn || m.closedBadly)
      .map((m) => `${m.endedInError ? 'ended in ERROR' : m.exitedOnItsOwn ? 'exited on its own' : 'did not close cleanly when told to'}: ${m.describe(when)}`);
  }

  peakRssBytes(): number {
    return Math.max(0, ...this.members.map((m) => m.peakRssBytes));
  }

  /**
   * Waits until the live instances are RUNNING and own `taskCount` tasks between them, each
   * task once. Fails at once, with the details, if an instance ends in ERROR or exits.
   */
  async waitUntilBalanced(taskCount: number, timeoutMs = 90_000): Promise<void> {
    await this.waitUntil(
      () => {
        const alive = this.alive();
        const owned = alive.flatMap((m) => m.tasks);
        return alive.length > 0 && alive.every((m) => m.state === 'RUNNING' && m.startedAt > 0) && owned.length === taskCount && new Set(owned).size === taskCount;
      },
      { timeoutMs, description: () => `${taskCount} tasks shared by RUNNING instances (${this.status()})` },
    );
  }

  /** Polls `predicate` every 100 ms; throws when an instance fails (unless `failFast` is false) or at the timeout. */
  async waitUntil(
    predicate: () => boolean | Promise<boolean>,
    { timeoutMs, description, failFast = true }: { timeoutMs: number; description: () => string; failFast?: boolean },
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (failFast && this.failed().length > 0) throw new Error(`an instance failed while waiting for ${description()}:\n${this.describeFailures()}`);
      if (await predicate()) return;
      if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One line per live instance: name, state, tasks, processed. */
  status(): string {
    return this.alive()
      .map((m) => `${m.name} ${m.state} [${m.tasks.join(',')}] ${m.processed}`)
      .join('; ');
  }

  /** Stops every live instance with `signal` (SIGKILL after `timeoutMs`). */
  async stopAll(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 45_000): Promise<void> {
    await Promise.all(this.alive().map((m) => m.stop(signal, timeoutMs)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll('SIGKILL', 5_000);
  }
}
