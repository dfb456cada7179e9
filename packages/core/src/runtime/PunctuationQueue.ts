import type { Cancellable } from './ProcessorNodeContext';

interface Schedule {
  next: number;
  readonly interval: number;
  readonly punctuator: (timestamp: number) => void;
  cancelled: boolean;
}

/**
 * Punctuators of one kind (stream time or wall clock) for one task. A schedule fires at most
 * once per `mayPunctuate` call however far time jumped, then realigns to its interval, as
 * Kafka Streams' `PunctuationQueue` does.
 */
export class PunctuationQueue {
  private readonly schedules: Schedule[] = [];

  /**
   * Adds a punctuator, first due at `firstAt` (defaults to `now + interval`). Kafka Streams
   * aligns stream-time punctuation to 0 (`firstAt = 0`: it fires with the first record) and
   * wall-clock punctuation to now.
   */
  schedule(now: number, interval: number, punctuator: (timestamp: number) => void, firstAt?: number): Cancellable {
    if (!(interval >= 1)) throw new RangeError(`a punctuation interval must be at least 1 ms, got ${interval}`);
    const start = Number.isFinite(now) ? now : 0;
    const schedule: Schedule = { next: firstAt ?? start + interval, interval, punctuator, cancelled: false };
    this.schedules.push(schedule);
    return {
      cancel: () => {
        schedule.cancelled = true;
      },
    };
  }

  /** Fires every schedule that is due at `now`; returns whether any fired. */
  mayPunctuate(now: number): boolean {
    let fired = false;
    for (const schedule of [...this.schedules]) {
      if (schedule.cancelled || now < schedule.next) continue;
      const due = schedule.next;
      schedule.next = now - ((now - due) % schedule.interval) + schedule.interval;
      schedule.punctuator(now);
      fired = true;
    }
    if (this.schedules.some((s) => s.cancelled)) {
      const live = this.schedules.filter((s) => !s.cancelled);
      this.schedules.length = 0;
      this.schedules.push(...live);
    }
    return fired;
  }

  get size(): number {
    return this.schedules.length;
  }
}
