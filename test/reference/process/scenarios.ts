// Reference scenarios: process (hand-written edge cases and seeded random inputs for ./topologies.ts).
import fc from 'fast-check';
import type { InputRecord, Scenario, WallClockAdvance } from '../kafkaStreams';
import { advanceWallClock, jumpyTimestampsArb, keyArb, N, nullable, on, r, randomInputs, sample, scenario, textArb, wordArb } from '../scenarioKit';

const productArb = fc.constantFrom('p1', 'p2', 'p3', 'p4');

/**
 * `records` with the wall clock moved between them: mostly not at all, sometimes a little,
 * now and then past several punctuation intervals at once.
 */
function withWallClock(seed: number, records: InputRecord[]): (InputRecord | WallClockAdvance)[] {
  const advances = sample(
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(0) },
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }) },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 400 }) },
      ),
      { minLength: records.length, maxLength: records.length },
    ),
    seed,
  );
  return records.flatMap((record, i) => (advances[i]! > 0 ? [record, advanceWallClock(advances[i]!)] : [record]));
}

const handWritten: Scenario[] = [
  scenario('process stores and punctuators: first record, gaps, out of order, nulls', 'process-stores-punctuators', [
    r('events', 'a', 'x', 5),
    r('events', 'b', 'y', 9),
    r('events', 'a', null, 10),
    r('events', null, 'z', 12),
    r('events', 'b', 'w', 3),
    r('events', 'c', 'v', 44),
    r('events', 'a', 'u', 45),
    r('events', 'c', 't', 50),
    r('events', 'b', 's', 120),
    r('events', 'a', 'q', 121),
  ]),

  scenario('process values: tags, flushes, counts without repartition', 'process-values', [
    r('events', 'a', 'x', 1),
    r('events', 'a', 'y', 5),
    r('events', 'b', 'z', 8),
    r('events', null, 'n', 9),
    r('events', 'a', null, 19),
    r('events', 'b', 'w', 20),
    r('events', 'a', 'v', 2),
    r('events', 'c', 'u', 41),
    r('events', 'c', 'u', 95),
  ]),

  scenario('process rekey: words by initial, repartitioned counts', 'process-rekey', [
    r('lines', 'l1', 'apple avocado bob', 1),
    r('lines', 'l2', null, 2),
    r('lines', null, 'cat Cat', 3),
    r('lines', 'l3', '', 4),
    r('lines', 'l4', 'apple', 0),
  ]),

  scenario('process wall clock: before, between and after records', 'process-wall-clock', [
    advanceWallClock(50),
    r('events', 'a', 'x', 1),
    r('pings', 'p', '1', 2),
    advanceWallClock(60),
    r('events', 'b', 'y', 3),
    r('events', 'a', null, 4),
    advanceWallClock(40),
    r('pings', 'q', '2', 5),
    advanceWallClock(1000),
    r('events', null, 'z', 6),
    advanceWallClock(0),
    advanceWallClock(99),
    r('pings', 'p', null, 7),
    advanceWallClock(1),
  ]),

  scenario('global store lookup: updates, deletes, missing keys', 'global-store-lookup', [
    r('orders', 'o1', 'p1', 1),
    r('price-updates', 'p1', 'ten', 2),
    r('orders', 'o2', 'p1', 3),
    r('price-updates', 'p2', 'five', 0),
    r('orders', 'o3', 'p2', 4),
    r('price-updates', 'p1', null, 5),
    r('orders', 'o4', 'p1', 6),
    r('price-updates', null, 'nothing', 7),
    r('orders', 'o5', null, 8),
    r('orders', null, 'p2', 9),
  ]),

  scenario('global store named: history per key, deletes', 'global-store-named', [
    r('amounts', 'a', '1', 1),
    r('rate-updates', 'a', 'x', 2),
    r('rate-updates', 'a', 'y', 3),
    r('amounts', 'a', '2', 4),
    r('rate-updates', 'a', null, 5),
    r('amounts', 'a', null, 6),
    r('amounts', null, '3', 7),
    r('rate-updates', 'b', 'z', 8),
    r('amounts', 'b', '4', 9),
  ]),

  scenario('process merged: stream time from both inputs', 'process-merged', [
    r('left', 'a', 'apple', 3),
    r('right', 'b', 'x', 14),
    r('left', 'a', 'dog', 15),
    r('right', 'b', 'joy', 16),
    r('left', null, 'cat', 29),
    r('right', 'c', null, 31),
    r('left', 'a', 'Bob', 2),
    r('right', 'a', 'apple', 80),
  ]),

  scenario('process then join: with and without repartition', 'process-then-join', [
    r('orders', 'a', 'b', 1),
    r('customers', 'a', 'Ann', 2),
    r('customers', 'b', 'Bob', 3),
    r('orders', 'a', 'b', 4),
    r('orders', 'b', 'c', 5),
    r('orders', null, 'a', 6),
    r('orders', 'c', null, 7),
    r('customers', 'a', null, 8),
    r('orders', 'a', 'a', 9),
  ]),

  scenario('process window store: windows, retention, late writes', 'process-window-store', [
    r('events', 'a', 'x', 1),
    r('events', 'a', 'y', 12),
    r('events', 'a', 'z', 15),
    r('events', 'a', 'w', 35),
    r('events', 'b', 'v', 36),
    r('events', 'a', 'u', 3),
    r('events', 'a', null, 40),
    r('events', 'a', 't', 44),
    r('events', 'a', 's', 90),
  ]),
];

const events = on('events', keyArb, nullable(wordArb));

const random: Scenario[] = [
  ...[301, 302, 303].map((seed) => scenario(`process stores and punctuators: random ${seed}`, 'process-stores-punctuators', randomInputs(seed, N, events))),
  scenario('process stores and punctuators: random jumps', 'process-stores-punctuators', randomInputs(304, N, events, jumpyTimestampsArb)),
  ...[311, 312, 313].map((seed) => scenario(`process values: random ${seed}`, 'process-values', randomInputs(seed, N, events))),
  scenario('process values: random jumps', 'process-values', randomInputs(314, N, events, jumpyTimestampsArb)),
  ...[321, 322].map((seed) => scenario(`process rekey: random ${seed}`, 'process-rekey', randomInputs(seed, N, on('lines', keyArb, nullable(textArb))))),
  ...[331, 332, 333].map((seed) =>
    scenario(
      `process wall clock: random ${seed}`,
      'process-wall-clock',
      withWallClock(seed + 1000, randomInputs(seed, N, fc.oneof(events, on('pings', keyArb, nullable(wordArb))))),
    ),
  ),
  ...[341, 342, 343].map((seed) =>
    scenario(
      `global store lookup: random ${seed}`,
      'global-store-lookup',
      randomInputs(seed, N, fc.oneof(on('orders', keyArb, nullable(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'))), on('price-updates', nullable(productArb), nullable(wordArb, 3)))),
    ),
  ),
  ...[351, 352].map((seed) =>
    scenario(
      `global store named: random ${seed}`,
      'global-store-named',
      randomInputs(seed, N, fc.oneof(on('amounts', keyArb, nullable(wordArb)), on('rate-updates', keyArb, nullable(wordArb, 4)))),
    ),
  ),
  ...[361, 362].map((seed) =>
    scenario(`process merged: random ${seed}`, 'process-merged', randomInputs(seed, N, fc.oneof(on('left', keyArb, nullable(wordArb)), on('right', keyArb, nullable(wordArb))))),
  ),
  scenario(
    'process merged: random jumps',
    'process-merged',
    randomInputs(363, N, fc.oneof(on('left', keyArb, nullable(wordArb)), on('right', keyArb, nullable(wordArb))), jumpyTimestampsArb),
  ),
  ...[371, 372].map((seed) =>
    scenario(
      `process then join: random ${seed}`,
      'process-then-join',
      randomInputs(seed, N, fc.oneof(on('orders', keyArb, keyArb), on('customers', keyArb, nullable(wordArb, 3)))),
    ),
  ),
  ...[381, 382].map((seed) => scenario(`process window store: random ${seed}`, 'process-window-store', randomInputs(seed, N, events))),
  scenario('process window store: random jumps', 'process-window-store', randomInputs(383, N, events, jumpyTimestampsArb)),
];

export const processScenarios: Scenario[] = [...handWritten, ...random];
