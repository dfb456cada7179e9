// What a scenario did and when (kills, restarts, broker faults), relative to its start:
// printed with the results, so a stall or a loss can be matched with the fault before it.
export class Timeline {
  readonly startedAt = Date.now();
  private readonly events: { at: number; what: string }[] = [];

  mark(what: string): void {
    this.events.push({ at: Date.now(), what });
  }

  /** Seconds since the start, e.g. `+12.3s`. */
  offset(epochMs: number): string {
    return `+${((epochMs - this.startedAt) / 1_000).toFixed(1)}s`;
  }

  get count(): number {
    return this.events.length;
  }

  toString(): string {
    return this.events.map((e) => `${this.offset(e.at)} ${e.what}`).join('\n');
  }
}
