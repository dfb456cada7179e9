// The inputs of the differential test: hand-written edge cases (out-of-order and late
// records, tombstones, null keys and values, equal timestamps, window boundaries) and
// seeded random inputs of ~200 records per topology.
import fc from 'fast-check';
import { cogroupScenarios } from './cogroup/scenarios';
import { conformanceScenarios } from './conformance/scenarios';
import type { Scenario } from './kafkaStreams';
import { processScenarios } from './process/scenarios';
import { keyArb, N, nullable, on, r, randomInputs, scenario, smallStepTimestampsArb, textArb, wordArb } from './scenarioKit';
import { versionedScenarios } from './versioned/scenarios';

/** Stream time moves by at most 2 ms a record (see 'time-windows-on-close'); records also come out of order and late. */
const smallStepClicks = [
  ['a', 0], ['a', 2], ['b', 3], ['a', 4], ['a', 1], ['a', 5], ['a', 7], ['b', 9], ['a', 10], ['a', 8], ['a', 11], ['a', 13],
  ['b', 14], ['a', 15], ['a', 2], ['a', 16], [null, 17], ['a', 18], ['c', 20], ['a', 19], ['b', 21], ['a', 23], ['a', 25],
  ['a', 26], ['a', 27], ['a', 12], ['a', 28], ['b', 30], ['a', 30], ['a', 31], ['c', 33], ['a', 35], ['a', 24], ['b', 36],
].map(([key, t], i) => r('clicks', key as string | null, i === 20 ? null : String(i), t as number));

const handWritten: Scenario[] = [
  scenario('stateless: edge cases', 'stateless', [
    r('input', 'a', 'hello world', 1),
    r('input', 'b', '', 2),
    r('input', null, 'no key', 3),
    r('input', 'c', null, 4),
    r('input', 'd', ' x  y ', 4),
    r('input', 'e', 'abc', 0),
    r('input', 'f', 'abcd', 5),
    r('input', null, null, 6),
  ]),

  scenario('wordcount: edge cases', 'wordcount', [
    r('lines', 'l1', 'The quick brown fox', 10),
    r('lines', 'l2', 'the lazy dog', 5),
    r('lines', 'l3', null, 6),
    r('lines', null, 'fox fox', 7),
    r('lines', 'l4', '', 7),
    r('lines', 'l5', 'Dog-dog!! THE', 7),
    r('lines', 'l6', 'quick', 1),
  ]),

  scenario('reduce/aggregate: out of order, nulls', 'reduce-aggregate', [
    r('events', 'ka', 'x', 10),
    r('events', 'kb', 'yy', 5),
    r('events', 'ka', 'zzz', 3),
    r('events', 'ka', null, 12),
    r('events', null, 'q', 13),
    r('events', '', 'e', 4),
    r('events', 'kb', 'w', 5),
    r('events', 'ka', 'vv', 11),
    r('events', 'kc', null, 2),
    r('events', 'kc', 'first', 1),
  ]),

  scenario('table regroup: moves, deletes, null groups', 'table-regroup', [
    r('users', 'u1', 'eu:5', 1),
    r('users', 'u2', 'eu:7', 2),
    r('users', 'u3', 'us:1', 3),
    r('users', 'u1', 'us:5', 4),
    r('users', 'u2', 'eu:8', 3),
    r('users', 'u3', null, 6),
    r('users', 'u4', '-:9', 7),
    r('users', 'u4', 'eu:1', 8),
    r('users', 'u5', null, 9),
    r('users', null, 'eu:100', 10),
    r('users', 'u1', 'us:5', 10),
    r('users', 'u1', '-:5', 11),
    r('users', 'u2', null, 2),
  ]),

  scenario('table ops: filter, mapValues, toTable with tombstones', 'table-ops', [
    r('rows', 'k1', 'apple', 1),
    r('rows', 'k2', 'banana', 2),
    r('rows', 'k1', 'cherry', 3),
    r('rows', 'k1', 'avocado', 2),
    r('rows', 'k2', null, 4),
    r('rows', 'k3', null, 5),
    r('rows', null, 'apricot', 6),
    r('rows', 'k1', null, 7),
    r('events', 'e1', 'x', 1),
    r('events', 'e1', null, 2),
    r('events', null, 'y', 3),
    r('events', 'e2', 'z', 0),
    r('events', 'e2', 'w', 4),
  ]),

  scenario('time windows: boundaries, grace, late', 'time-windows', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 9),
    r('clicks', 'a', '3', 10),
    r('clicks', 'b', '4', 3),
    r('clicks', 'a', '5', 7),
    r('clicks', 'a', '6', 14),
    r('clicks', 'a', '7', 2),
    r('clicks', 'a', '8', 15),
    r('clicks', 'a', '9', 3),
    r('clicks', null, 'x', 16),
    r('clicks', 'b', null, 16),
    r('clicks', 'b', '10', 16),
    r('clicks', 'a', '11', 30),
    r('clicks', 'a', '12', 21),
    r('clicks', 'c', '13', 44),
    r('clicks', 'a', '14', 45),
  ]),

  scenario('time windows on close: small steps, out of order, late', 'time-windows-on-close', smallStepClicks),
  scenario('sliding windows on close: small steps, out of order, late', 'sliding-windows-on-close', smallStepClicks),

  scenario('fan-out and merge', 'fan-out-merge', [r('in', 'a', '1', 1), r('in', null, '2', 2), r('in', 'c', null, 0)]),

  scenario('sliding windows: out of order, late, null values', 'sliding-windows', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 5),
    r('clicks', 'a', '3', 12),
    r('clicks', 'a', '4', 3),
    r('clicks', 'a', '5', 20),
    r('clicks', 'a', '6', 25),
    r('clicks', 'b', '1', 8),
    r('clicks', 'a', null, 26),
    r('clicks', 'a', '7', 10),
    r('clicks', 'a', '8', 26),
    r('clicks', 'a', '9', 16),
    r('clicks', null, 'x', 27),
    r('clicks', 'a', '10', 50),
  ]),

  scenario('session windows: merges, bridging, late', 'session-windows', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 20),
    r('clicks', 'a', '3', 10),
    r('clicks', 'a', '4', 15),
    r('clicks', 'a', '5', 5),
    r('clicks', 'a', '6', 18),
    r('clicks', 'b', null, 3),
    r('clicks', 'a', '7', 40),
    r('clicks', null, 'x', 41),
    r('clicks', 'a', '8', 21),
    r('clicks', 'a', '9', 26),
    r('clicks', 'b', '10', 44),
    r('clicks', 'a', '11', 60),
  ]),

  scenario('stream-stream joins: windows, grace, late, nulls', 'stream-stream-joins', [
    r('left', 'a', 'L1', 10),
    r('right', 'a', 'R1', 12),
    r('right', 'b', 'R2', 10),
    r('left', 'a', 'L2', 20),
    r('left', 'a', 'L3', 16),
    r('left', 'c', 'L4', 21),
    r('right', 'a', 'R3', 25),
    r('right', null, 'Rn', 26),
    r('left', 'a', null, 26),
    r('left', 'd', 'L5', 26),
    r('left', 'd', 'L6', 26),
    r('right', 'd', 'R4', 26),
    r('right', 'a', 'R5', 5),
    r('left', 'b', 'L7', 15),
    r('left', 'e', 'L8', 40),
    r('right', 'f', 'R6', 60),
  ]),

  scenario('stream-table joins: table updates, tombstones, nulls', 'stream-table-joins', [
    r('orders', 'c1', 'o1', 1),
    r('customers', 'c1', 'Ann', 2),
    r('orders', 'c1', 'o2', 3),
    r('customers', 'c1', null, 4),
    r('orders', 'c1', 'o3', 5),
    r('orders', null, 'o4', 6),
    r('orders', 'c2', null, 7),
    r('customers', 'c2', 'Bob', 0),
    r('orders', 'c2', 'o5', 1),
    r('customers', null, 'Nobody', 8),
    r('customers', 'c2', 'Bobby', 9),
    r('orders', 'c2', 'o6', 9),
  ]),

  scenario('table-table joins: updates, tombstones, older timestamps', 'table-table-joins', [
    r('left', 'a', 'L1', 1),
    r('right', 'a', 'R1', 2),
    r('left', 'b', 'L2', 3),
    r('right', 'c', 'R2', 4),
    r('left', 'a', 'L1b', 5),
    r('right', 'a', null, 6),
    r('left', 'b', null, 7),
    r('left', 'x', null, 8),
    r('right', 'b', 'R3', 3),
    r('left', 'c', 'L3', 9),
    r('right', null, 'Rn', 10),
    r('left', 'c', null, 1),
    r('right', 'c', null, 11),
  ]),

  scenario('foreign-key joins: key changes, deletes, null keys', 'foreign-key-joins', [
    r('products', 'p1', 'Widget', 1),
    r('orders', 'o1', 'p1:2', 2),
    r('orders', 'o2', 'p2:1', 3),
    r('products', 'p2', 'Gadget', 4),
    r('orders', 'o1', 'p2:5', 5),
    r('products', 'p1', 'Widget2', 6),
    r('orders', 'o3', '-:1', 7),
    r('products', 'p2', null, 8),
    r('orders', 'o2', null, 9),
    r('orders', 'o4', 'p1:1', 2),
    r('orders', 'o3', 'p1:1', 10),
    r('orders', 'o5', null, 11),
    r('products', 'p2', 'Gadget2', 12),
    r('orders', 'o4', 'p9:1', 13),
    r('orders', 'o4', 'p1:3', 14),
    r('orders', 'o1', '-:5', 15),
    r('orders', 'o2', 'p5:1', 16),
    r('orders', 'o2', 'p5:2', 17),
    r('orders', 'o3', 'p1:2', 18),
    r('orders', 'o3', 'p2:2', 19),
  ]),
];

const random: Scenario[] = [
  scenario('stateless: random', 'stateless', randomInputs(101, N, on('input', keyArb, nullable(textArb)))),
  scenario('wordcount: random', 'wordcount', randomInputs(102, N, on('lines', keyArb, nullable(textArb)))),
  scenario('reduce/aggregate: random', 'reduce-aggregate', randomInputs(103, N, on('events', keyArb, nullable(wordArb)))),
  scenario(
    'table regroup: random',
    'table-regroup',
    randomInputs(
      104,
      N,
      on(
        'users',
        nullable(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8')),
        nullable(fc.tuple(fc.constantFrom('eu', 'us', 'apac', '-'), fc.integer({ min: 0, max: 20 })).map(([g, n]) => `${g}:${n}`), 3),
      ),
    ),
  ),
  scenario(
    'table ops: random',
    'table-ops',
    randomInputs(114, N, fc.oneof(on('rows', keyArb, nullable(wordArb.map((w) => w.toLowerCase()), 3)), on('events', keyArb, nullable(wordArb, 3)))),
  ),
  scenario('time windows: random', 'time-windows', randomInputs(105, N, on('clicks', keyArb, nullable(wordArb)))),
  scenario(
    'time windows on close: random',
    'time-windows-on-close',
    randomInputs(112, N, on('clicks', keyArb, nullable(wordArb)), smallStepTimestampsArb),
  ),
  scenario(
    'sliding windows on close: random',
    'sliding-windows-on-close',
    randomInputs(113, N, on('clicks', keyArb, nullable(wordArb)), smallStepTimestampsArb),
  ),
  scenario('sliding windows: random', 'sliding-windows', randomInputs(106, N, on('clicks', keyArb, nullable(wordArb)))),
  scenario('session windows: random', 'session-windows', randomInputs(107, N, on('clicks', keyArb, nullable(wordArb)))),
  scenario(
    'stream-stream joins: random',
    'stream-stream-joins',
    randomInputs(108, N, fc.oneof(on('left', keyArb, nullable(wordArb)), on('right', keyArb, nullable(wordArb)))),
  ),
  scenario(
    'stream-table joins: random',
    'stream-table-joins',
    randomInputs(109, N, fc.oneof(on('orders', keyArb, nullable(wordArb)), on('customers', keyArb, nullable(wordArb, 3)))),
  ),
  scenario(
    'table-table joins: random',
    'table-table-joins',
    randomInputs(110, N, fc.oneof(on('left', keyArb, nullable(wordArb, 3)), on('right', keyArb, nullable(wordArb, 3)))),
  ),
  scenario(
    'foreign-key joins: random',
    'foreign-key-joins',
    randomInputs(
      111,
      N,
      fc.oneof(
        on(
          'orders',
          nullable(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6')),
          nullable(fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4', '-'), fc.integer({ min: 1, max: 9 })).map(([p, q]) => `${p}:${q}`), 3),
        ),
        on('products', nullable(fc.constantFrom('p1', 'p2', 'p3', 'p4')), nullable(wordArb, 3)),
      ),
    ),
  ),
];

export const scenarios: Scenario[] = [...handWritten, ...random, ...conformanceScenarios, ...cogroupScenarios, ...processScenarios, ...versionedScenarios];
