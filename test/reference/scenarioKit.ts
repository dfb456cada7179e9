// The makings of reference scenarios: records, a scenario for a topology, and seeded random
// inputs (fast-check) that come out the same on every run.
import fc from 'fast-check';
import type { InputRecord, Scenario, WallClockAdvance } from './kafkaStreams';
import { topologies } from './topologies';

export const r = (topic: string, key: string | null, value: string | null, timestamp: number): InputRecord => ({ topic, key, value, timestamp });

/** Moves the wall clock of both drivers forward by `ms` at this point of a scenario. */
export const advanceWallClock = (ms: number): WallClockAdvance => ({ advanceWallClockMs: ms });

export function scenario(name: string, topology: string, inputs: (InputRecord | WallClockAdvance)[]): Scenario {
  const definition = topologies[topology];
  if (!definition) throw new Error(`no topology '${topology}'`);
  return { name, topology, inputs, outputs: Object.keys(definition.outputs) };
}

/**
 * Timestamps relative to stream time (the largest so far): mostly a small step forward or the
 * same time, now and then out of order (up to 25 ms behind, so sometimes beyond the grace
 * periods: late), rarely a jump far ahead.
 */
export const timestampsArb = (n: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 4 }) },
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 4, arbitrary: fc.integer({ min: -25, max: -1 }) },
        { weight: 1, arbitrary: fc.integer({ min: 10, max: 40 }) },
      ),
      { minLength: n, maxLength: n },
    )
    .map(relativeToStreamTime);

/** Like timestampsArb, but stream time moves forward by at most 2 ms a record (see 'time-windows-on-close'). */
export const smallStepTimestampsArb = (n: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 2 }) },
        { weight: 4, arbitrary: fc.integer({ min: -25, max: -1 }) },
      ),
      { minLength: n, maxLength: n },
    )
    .map(relativeToStreamTime);

function relativeToStreamTime(steps: number[]): number[] {
  let streamTime = 100;
  return steps.map((step) => {
    const t = Math.max(0, streamTime + step);
    streamTime = Math.max(streamTime, t);
    return t;
  });
}

/** Like timestampsArb, but now and then stream time jumps far ahead (100 to 1000 ms), closing every window at once. */
export const jumpyTimestampsArb = (n: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 4 }) },
        { weight: 4, arbitrary: fc.integer({ min: -25, max: -1 }) },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 1000 }) },
      ),
      { minLength: n, maxLength: n },
    )
    .map(relativeToStreamTime);

export const nullable = <T>(arb: fc.Arbitrary<T>, nullWeight = 1, weight = 12) =>
  fc.oneof({ weight: nullWeight, arbitrary: fc.constant(null) }, { weight, arbitrary: arb });

export const keyArb = nullable(fc.constantFrom('a', 'b', 'c', 'd', 'e'));
export const wordArb = fc.constantFrom('apple', 'Bob', 'cat', 'dog', 'x', 'ice', 'joy');
export const textArb = fc.array(wordArb, { minLength: 0, maxLength: 4 }).map((w) => w.join(' '));

/** One sample of `arb`, the same on every run. */
export const sample = <T>(arb: fc.Arbitrary<T>, seed: number): T => fc.sample(arb, { seed, numRuns: 1 })[0]!;

export function randomInputs(
  seed: number,
  n: number,
  record: fc.Arbitrary<Omit<InputRecord, 'timestamp'>>,
  timestamps: (n: number) => fc.Arbitrary<number[]> = timestampsArb,
): InputRecord[] {
  return sample(
    fc.tuple(fc.array(record, { minLength: n, maxLength: n }), timestamps(n)).map(([records, timestamps]) =>
      records.map((rec, i) => ({ ...rec, timestamp: timestamps[i]! })),
    ),
    seed,
  );
}

export const on = (topic: string, key: fc.Arbitrary<string | null>, value: fc.Arbitrary<string | null>) =>
  fc.record({ topic: fc.constant(topic), key, value });

/** Records per random scenario. */
export const N = 200;
