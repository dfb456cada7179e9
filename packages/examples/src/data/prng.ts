/**
 * Mulberry32, a small and fast 32-bit pseudo-random generator: the same seed
 * gives the same sequence on every platform, which makes synthetic data
 * reproducible. Not for cryptography.
 *
 * @param seed Any number; its low 32 bits are used.
 * @return A function returning the next number in `[0, 1)`.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded draws for the synthetic generator, all built on {@link mulberry32}. */
export class SeededRandom {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A number in `[0, 1)`. */
  float(): number {
    return this.next();
  }

  /** A number in `[min, max)`. */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in `[min, max]`. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.next())] as T;
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1], so the logarithm is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** The items in a random order (Fisher-Yates); the input is not modified. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor((i + 1) * this.next());
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}
