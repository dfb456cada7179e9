// What each task incarnation of the counting topology emitted: its output numbers `n` found
// in the topic. A hole in a run is a record emitted and never written; a jump of input offsets
// without one is a range never processed (fixtures/topologies.ts tags the records).

const fmt = (n: number) => n.toLocaleString('en-US');

/** One output record: the writer (an index into Emitted) and its output number. */
export interface Emit {
  writer: number;
  n: number;
}

/** The output numbers each task incarnation has in the topic: a hole is a record emitted and not written. */
export class Emitted {
  private readonly names: string[] = [''];
  private readonly index = new Map<string, number>();
  private readonly numbers: Uint8Array[] = [new Uint8Array(0)];
  private readonly highest: number[] = [-1];

  /** Records output `n` of writer `name`; returns the writer's index (from 1). */
  mark(name: string, n: number): number {
    let writer = this.index.get(name);
    if (writer === undefined) {
      writer = this.names.push(name) - 1;
      this.index.set(name, writer);
      this.numbers.push(new Uint8Array(1_024));
      this.highest.push(-1);
    }
    let numbers = this.numbers[writer]!;
    if (n >= numbers.length) {
      const grown = new Uint8Array(Math.max(n + 1, numbers.length * 2));
      grown.set(numbers);
      this.numbers[writer] = numbers = grown;
    }
    numbers[n] = 1;
    this.highest[writer] = Math.max(this.highest[writer]!, n);
    return writer;
  }

  name(writer: number): string {
    return this.names[writer] ?? '?';
  }

  /** `m1/0_3#2` -> `m1`. */
  instance(writer: number): string {
    return this.name(writer).split('/')[0]!;
  }

  has(writer: number, n: number): boolean {
    return this.numbers[writer]?.[n] === 1;
  }

  last(writer: number): number {
    return this.highest[writer] ?? -1;
  }

  holes(): { emittedMissing: number; emittedMissingRuns: string[] } {
    let emittedMissing = 0;
    const emittedMissingRuns: string[] = [];
    for (let writer = 1; writer < this.names.length; writer++) {
      let from = -1;
      for (let n = 0; n <= this.highest[writer]! + 1; n++) {
        const missing = n <= this.highest[writer]! && !this.has(writer, n);
        if (missing) emittedMissing++;
        if (missing && from < 0) from = n;
        if (!missing && from >= 0) {
          if (emittedMissingRuns.length < 10) emittedMissingRuns.push(`${this.name(writer)} #${from}..#${n - 1}`);
          from = -1;
        }
      }
    }
    return { emittedMissing, emittedMissingRuns };
  }
}

/** Tells a range never processed from one processed and lost on the way, by the writers around it. */
export function diagnoseLoss(range: { from: number; to: number }, before: Emit | undefined, after: Emit | undefined, emitted: Emitted): string {
  const at = (e: Emit, offset: number) => `${emitted.name(e.writer)} wrote ${fmt(offset)} (its #${e.n})`;
  if (before && after && before.writer === after.writer) {
    const between = after.n - before.n - 1;
    if (between === 0) return `${emitted.name(before.writer)} emitted ${fmt(range.from - 1)} and ${fmt(range.to + 1)} one after the other: the application never processed the range`;
    return `${emitted.name(before.writer)} emitted ${between} records between ${fmt(range.from - 1)} and ${fmt(range.to + 1)} that are not in the topic: processed, then lost on the way to the broker or by it`;
  }
  const parts: string[] = [];
  if (before) {
    const next = before.n + 1;
    const then = emitted.has(before.writer, next) ? `its #${next} is in the topic elsewhere` : emitted.last(before.writer) > before.n ? `its #${next}.. are not in the topic (lost on the way)` : 'it emitted nothing more';
    parts.push(`${at(before, range.from - 1)} and ${then}`);
  } else parts.push(range.from === 0 ? 'from the first offset' : 'nothing before');
  if (after) parts.push(`${at(after, range.to + 1)}${after.n === 0 ? ', its first record: it started after the range (committed or sought past it)' : ''}`);
  else parts.push('up to the end');
  return `lost at a handover: ${parts.join('; ')}`;
}
