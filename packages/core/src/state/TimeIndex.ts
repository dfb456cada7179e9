/**
 * The distinct times a window or session store holds entries at (window starts, session
 * ends), ascending, for expiry and time-ordered scans. Times mostly arrive in order and
 * always leave from the front, so leaving moves a head index and the array is compacted
 * now and then rather than shifted.
 */
export class TimeIndex {
  private times: number[] = [];
  private head = 0;

  /** Adds `time`; the caller knows it is not in the index yet. */
  add(time: number): void {
    const { times } = this;
    if (this.head === times.length || times[times.length - 1]! < time) times.push(time);
    else times.splice(this.firstAtOrAfter(time), 0, time);
  }

  /** Calls `visit` for each time with `from <= time <= to`, ascending. */
  forEachBetween(from: number, to: number, visit: (time: number) => void): void {
    const { times } = this;
    for (let i = this.firstAtOrAfter(from); i < times.length && times[i]! <= to; i++) visit(times[i]!);
  }

  /** Removes the times below `threshold`, earliest first, handing each to `removed`. */
  removeBelow(threshold: number, removed: (time: number) => void): void {
    const { times } = this;
    while (this.head < times.length && times[this.head]! < threshold) removed(times[this.head++]!);
    if (this.head > 1024 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }

  /** Index of the first time `>= time`. */
  private firstAtOrAfter(time: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
