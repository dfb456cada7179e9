import type { StreamsEvent } from '@tributary/core';
import type { KafkaStreams } from '@tributary/kafka';
import { loadAverage, type Phase } from './measure';

type Restore = Extract<StreamsEvent, { type: 'restore' }>;

interface Mark {
  readonly at: number;
  readonly cpu: NodeJS.CpuUsage;
}

const mark = (): Mark => ({ at: performance.now(), cpu: process.cpuUsage() });

/**
 * Follows one application from `start()` through its `restore` and `state` events: when
 * restoration began (its first `restore` event), when every one of `partitions` store
 * partitions reported done (`restored === total`, `remainingMs === 0`), how many changelog
 * offsets that was and whether they came from checkpoints, and when the application became
 * RUNNING. Create it before `start()`, which is the origin of its times.
 */
export class RestoreWatch {
  private readonly startedAt = mark();
  private first: Mark | undefined;
  private finished: Mark | undefined;
  private runningAt: number | undefined;
  private readonly last = new Map<number, Restore>();

  constructor(
    app: KafkaStreams,
    private readonly partitions: number,
  ) {
    app.events.subscribe((event) => {
      if (event.type === 'state' && event.to === 'RUNNING') this.runningAt ??= performance.now();
      if (event.type !== 'restore') return;
      this.first ??= mark();
      this.last.set(event.partition, event);
      const complete = [...this.last.values()].filter((r) => r.restored === r.total && r.remainingMs === 0);
      if (!this.finished && complete.length === this.partitions) this.finished = mark();
    });
  }

  /** Whether every partition's store reported done. */
  get isDone(): boolean {
    return this.finished !== undefined;
  }

  /** Changelog offsets restored, over every partition. */
  get restored(): number {
    return [...this.last.values()].reduce((n, r) => n + r.restored, 0);
  }

  /** Whether every partition restored from a checkpoint. */
  get fromCheckpoints(): boolean {
    return [...this.last.values()].every((r) => r.fromCheckpoint === true);
  }

  /** From the first `restore` event to the last partition done. */
  get restorePhase(): Phase {
    if (!this.first || !this.finished) throw new Error('restoration has not finished');
    return between(this.first, this.finished);
  }

  /** Seconds from `start()` to the last partition done. */
  get secondsToRestored(): number {
    if (!this.finished) throw new Error('restoration has not finished');
    return (this.finished.at - this.startedAt.at) / 1000;
  }

  /** Seconds from `start()` to the first RUNNING; `undefined` while not RUNNING yet. */
  get secondsToRunning(): number | undefined {
    return this.runningAt === undefined ? undefined : (this.runningAt - this.startedAt.at) / 1000;
  }

  /** Seconds from `start()` to `at` (a `performance.now()` reading). */
  secondsTo(at: number): number {
    return (at - this.startedAt.at) / 1000;
  }
}

function between(from: Mark, to: Mark): Phase {
  const cpuMicros = to.cpu.user + to.cpu.system - (from.cpu.user + from.cpu.system);
  return { wallSeconds: (to.at - from.at) / 1000, cpuSeconds: cpuMicros / 1e6, load: loadAverage() };
}
