// Reference scenarios: cogroup (hand-written edge cases and seeded random inputs for ./topologies.ts).
import fc from 'fast-check';
import type { Scenario } from '../kafkaStreams';
import { jumpyTimestampsArb, keyArb, N, nullable, on, r, randomInputs, scenario, smallStepTimestampsArb, wordArb } from '../scenarioKit';

/** Values that are also keys, for the inputs grouped by value. */
const keyValueArb = nullable(fc.constantFrom('a', 'b', 'c', 'd', 'e'));

const handWritten: Scenario[] = [
  scenario('cogroup two streams: interleaved, out of order, nulls', 'cogroup-two-streams', [
    r('left', 'a', '1', 10),
    r('right', 'a', '2', 5),
    r('right', 'b', '3', 12),
    r('left', 'a', '4', 3),
    r('left', null, '5', 13),
    r('right', 'a', null, 14),
    r('left', 'b', null, 15),
    r('right', 'b', '6', 1),
    r('left', 'c', '7', 40),
    r('left', 'a', '8', 2),
  ]),

  scenario('cogroup three streams: repartitioned inputs, null keys and values', 'cogroup-three-streams', [
    r('clicks', 'a', 'x', 1),
    r('views', 'k1', 'a', 2),
    r('refs', 'a', 'y', 3),
    r('refs', 'A', 'z', 4),
    r('views', 'k2', null, 5),
    r('clicks', null, 'x', 6),
    r('refs', null, 'w', 7),
    r('views', 'k3', 'A', 1),
    r('clicks', 'A', null, 8),
    r('clicks', 'b', 'q', 0),
    r('views', 'k4', 'b', 30),
    r('refs', 'b', 'v', 2),
  ]),

  scenario('cogroup table ops: filter, join, regroup', 'cogroup-table-ops', [
    r('lookups', 'a', 'l0', 1),
    r('firsts', 'a', 'apple', 2),
    r('lookups', 'a', 'l1', 3),
    r('lengths', 'a', 'dog', 4),
    r('lengths', 'b', 'x', 5),
    r('lookups', 'b', 'l2', 6),
    r('firsts', 'b', 'cat', 1),
    r('firsts', 'a', 'joy', 7),
    r('lengths', 'a', 'ice', 0),
    r('firsts', null, 'apple', 8),
    r('lookups', null, 'l3', 9),
    r('lookups', 'c', 'l4', 10),
    r('firsts', 'b', 'Bob', 11),
  ]),

  scenario('cogroup named: both inputs, windows, late', 'cogroup-named', [
    r('left', 'a', '1', 0),
    r('right', 'a', '2', 9),
    r('left', 'a', '3', 10),
    r('right', 'b', '4', 3),
    r('left', 'a', null, 14),
    r('right', 'a', '5', 16),
    r('left', 'a', '6', 2),
    r('right', 'a', '7', 1),
    r('left', null, '8', 20),
  ]),

  scenario('cogroup time windows: boundaries, grace per input, late', 'cogroup-time-windows', [
    r('a', 'k', '1', 0),
    r('c', 'k', '2', 9),
    r('a', 'k', '3', 10),
    r('a', 'k', '4', 14),
    r('a', 'k', '5', 30),
    // Late for input a (its stream time is 30), in time for input c (its stream time is 9).
    r('c', 'k', '6', 12),
    r('a', 'k', '7', 12),
    r('c', 'k', null, 15),
    r('c', null, '8', 16),
    r('c', 'j', '9', 31),
    r('a', 'j', '10', 46),
    r('c', 'k', '11', 47),
  ]),

  scenario('cogroup sliding windows: both inputs, early records, late', 'cogroup-sliding-windows', [
    r('a', 'a', '1', 0),
    r('by-value', 'x', 'a', 5),
    r('a', 'a', '2', 12),
    r('by-value', 'y', 'a', 3),
    r('a', 'a', null, 13),
    r('a', 'a', '3', 20),
    r('by-value', 'z', 'a', 25),
    r('by-value', 'w', null, 26),
    r('a', 'a', '4', 8),
    r('a', 'b', '5', 40),
    r('by-value', 'v', 'a', 24),
    r('a', 'a', '6', 60),
  ]),

  scenario('cogroup session windows: merges across inputs, bridging, late', 'cogroup-session-windows', [
    r('a', 'k', '1', 0),
    r('c', 'k', '2', 20),
    r('a', 'k', '3', 10),
    r('c', 'k', '4', 15),
    r('a', 'k', '5', 5),
    r('c', 'k', null, 18),
    r('a', 'k', '6', 40),
    r('c', null, '7', 41),
    r('c', 'k', '8', 4),
    r('a', 'j', '9', 44),
    r('c', 'k', '10', 60),
  ]),
];

const random: Scenario[] = [
  ...[201, 202, 203].map((seed) =>
    scenario(
      `cogroup two streams: random ${seed}`,
      'cogroup-two-streams',
      randomInputs(seed, N, fc.oneof(on('left', keyArb, nullable(wordArb)), on('right', keyArb, nullable(wordArb)))),
    ),
  ),
  ...[211, 212, 213].map((seed) =>
    scenario(
      `cogroup three streams: random ${seed}`,
      'cogroup-three-streams',
      randomInputs(
        seed,
        N,
        fc.oneof(
          on('clicks', nullable(fc.constantFrom('a', 'b', 'A', 'B', 'c')), nullable(wordArb)),
          on('views', keyArb, keyValueArb.map((v) => (v === 'c' ? 'C' : v))),
          on('refs', keyArb, nullable(wordArb)),
        ),
      ),
    ),
  ),
  ...[221, 222, 223].map((seed) =>
    scenario(
      `cogroup table ops: random ${seed}`,
      'cogroup-table-ops',
      randomInputs(
        seed,
        N,
        fc.oneof(
          { weight: 3, arbitrary: on('firsts', keyArb, nullable(wordArb)) },
          { weight: 3, arbitrary: on('lengths', keyArb, nullable(wordArb)) },
          { weight: 2, arbitrary: on('lookups', keyArb, nullable(wordArb)) },
        ),
      ),
    ),
  ),
  ...[231, 232].map((seed) =>
    scenario(
      `cogroup named: random ${seed}`,
      'cogroup-named',
      randomInputs(seed, N, fc.oneof(on('left', keyArb, nullable(wordArb)), on('right', keyArb, nullable(wordArb)))),
    ),
  ),
  ...[241, 242, 243].map((seed) =>
    scenario(
      `cogroup time windows: random ${seed}`,
      'cogroup-time-windows',
      randomInputs(seed, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('c', keyArb, nullable(wordArb)))),
    ),
  ),
  scenario(
    'cogroup time windows: random small steps',
    'cogroup-time-windows',
    randomInputs(244, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('c', keyArb, nullable(wordArb))), smallStepTimestampsArb),
  ),
  ...[251, 252, 253].map((seed) =>
    scenario(
      `cogroup sliding windows: random ${seed}`,
      'cogroup-sliding-windows',
      randomInputs(seed, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('by-value', keyArb, keyValueArb))),
    ),
  ),
  ...[261, 262, 263].map((seed) =>
    scenario(
      `cogroup session windows: random ${seed}`,
      'cogroup-session-windows',
      randomInputs(seed, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('c', keyArb, nullable(wordArb)))),
    ),
  ),
  // Stream time jumps far ahead now and then: whole ranges of windows and sessions close at once.
  scenario(
    'cogroup time windows: random jumps',
    'cogroup-time-windows',
    randomInputs(245, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('c', keyArb, nullable(wordArb))), jumpyTimestampsArb),
  ),
  scenario(
    'cogroup sliding windows: random jumps',
    'cogroup-sliding-windows',
    randomInputs(254, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('by-value', keyArb, keyValueArb)), jumpyTimestampsArb),
  ),
  scenario(
    'cogroup session windows: random jumps',
    'cogroup-session-windows',
    randomInputs(264, N, fc.oneof(on('a', keyArb, nullable(wordArb)), on('c', keyArb, nullable(wordArb))), jumpyTimestampsArb),
  ),
];

export const cogroupScenarios: Scenario[] = [...handWritten, ...random];
