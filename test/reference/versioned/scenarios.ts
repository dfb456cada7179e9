// Reference scenarios: versioned (hand-written edge cases and seeded random inputs for ./topologies.ts).
import fc from 'fast-check';
import type { Scenario } from '../kafkaStreams';
import { keyArb, N, nullable, on, r, randomInputs, scenario, smallStepTimestampsArb, wordArb } from '../scenarioKit';

/** Keys that are never null: a left join with a grace period fails on a null key in Kafka Streams (README). */
const someKeyArb = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const rowArb = nullable(wordArb.map((w) => w.toLowerCase()), 3);
const regionRowArb = nullable(fc.tuple(fc.constantFrom('eu', 'us', 'apac', '-'), fc.integer({ min: 0, max: 20 })).map(([g, n]) => `${g}:${n}`), 3);

/** Updates of one table, out of order and late, with tombstones and null keys. */
const tableUpdates = (topic: string) => on(topic, keyArb, rowArb);

/** Orders and rate updates interleaved; `orderKeys` null or not. */
const ordersAndRates = (orderKeys: fc.Arbitrary<string | null>) => fc.oneof(on('orders', orderKeys, nullable(wordArb)), tableUpdates('rates'));

/** Three seeded random scenarios (two with big jumps of stream time, one in small steps) per topology. */
function randomScenarios(topology: string, seeds: [number, number, number], record: fc.Arbitrary<{ topic: string; key: string | null; value: string | null }>): Scenario[] {
  return [
    scenario(`${topology}: random ${seeds[0]}`, topology, randomInputs(seeds[0], N, record)),
    scenario(`${topology}: random ${seeds[1]}`, topology, randomInputs(seeds[1], N, record)),
    scenario(`${topology}: random ${seeds[2]}, small steps`, topology, randomInputs(seeds[2], N, record, smallStepTimestampsArb)),
  ];
}

/** Rate updates of key `a` out of order, beyond the history retention, tombstones, a null key. */
const rateHistory = [
  r('rates', 'a', 'a10', 10),
  r('rates', 'a', 'a5', 5),
  r('rates', 'a', 'a20', 20),
  r('rates', 'a', 'too-old', 9),
  r('rates', 'a', 'again10', 10),
  r('rates', 'b', null, 3),
  r('rates', 'b', null, 15),
  r('rates', null, 'x', 21),
  r('rates', 'a', null, 18),
  r('rates', 'c', 'c40', 40),
  r('rates', 'a', 'late29', 29),
  r('rates', 'a', 'a30', 30),
  r('rates', 'c', 'c35', 35),
  r('rates', 'c', 'c35b', 35),
  r('rates', 'b', 'b33', 33),
];

const handWritten: Scenario[] = [
  scenario('versioned table source: out of order, too old, tombstones', 'versioned-table-source', rateHistory),
  scenario('versioned table filter/mapValues: out of order, too old, tombstones', 'versioned-table-filter-map', [
    ...rateHistory,
    r('rates', 'c', 'xylophone', 41),
    r('rates', 'c', 'apple', 39),
    r('rates', 'd', 'xenon', 41),
    r('rates', 'd', null, 42),
    r('rates', 'd', null, 43),
  ]),

  scenario('versioned stream join: lookups as of the record time', 'versioned-stream-join', [
    r('rates', 'a', 'r10', 10),
    r('rates', 'a', 'r20', 20),
    r('orders', 'a', 'o15', 15),
    r('orders', 'a', 'o25', 25),
    r('orders', 'a', 'o5', 5),
    r('rates', 'a', 'r12', 12),
    r('orders', 'a', 'o13', 13),
    r('orders', 'a', 'o11', 11),
    r('rates', 'a', null, 22),
    r('orders', 'a', 'o23', 23),
    r('orders', 'a', 'o21', 21),
    r('rates', 'b', 'b50', 50),
    r('orders', 'a', 'o2', 2),
    r('orders', 'a', 'o19', 19),
    r('orders', 'b', 'o49', 49),
    r('orders', 'b', 'o60', 60),
    r('orders', null, 'nokey', 61),
    r('orders', 'b', null, 62),
    r('rates', 'a', 'r35', 35),
    r('orders', 'a', 'o36', 36),
    r('orders', 'a', 'o31', 31),
  ]),

  scenario('versioned stream join with grace: late table updates, eviction order', 'versioned-stream-join-grace', [
    r('rates', 'a', 'r10', 10),
    r('orders', 'a', 'o12', 12),
    r('rates', 'a', 'r11', 11),
    r('orders', 'b', 'o12b', 12),
    r('orders', 'a', 'o12-second', 12),
    r('rates', 'b', 'b9', 9),
    r('orders', 'c', 'o16', 16),
    r('orders', 'a', 'o17', 17),
    r('orders', 'a', 'o3', 3),
    r('orders', 'a', 'o11', 11),
    r('rates', 'a', 'r15', 15),
    r('orders', 'a', null, 40),
    r('orders', null, 'nokey', 40),
    r('orders', 'b', 'o30', 30),
    r('orders', 'a', 'o60', 60),
    r('rates', 'a', 'r58', 58),
    r('orders', 'c', 'o55', 55),
    r('orders', 'b', 'o100', 100),
  ]),

  scenario('versioned stream left join with grace: unmatched, late, retention', 'versioned-stream-left-join-grace', [
    r('orders', 'a', 'o1', 1),
    r('rates', 'a', 'r0', 0),
    r('orders', 'a', 'o5', 5),
    r('orders', 'b', 'o9', 9),
    r('rates', 'b', 'b8', 8),
    r('orders', 'a', 'o10', 10),
    r('rates', 'a', 'r2', 2),
    r('orders', 'a', 'o2', 2),
    r('orders', 'a', 'o20', 20),
    r('rates', 'a', null, 13),
    r('orders', 'a', 'o14', 14),
    r('orders', 'c', null, 15),
    r('orders', 'b', 'o40', 40),
    r('orders', 'a', 'o33', 33),
    r('orders', 'a', 'o31', 31),
  ]),

  scenario('versioned join with grace after a key change', 'versioned-join-grace-rekeyed', [
    r('rates', 'a', 'ra', 1),
    r('orders', 'x1', 'apple', 2),
    r('orders', 'x2', 'cat', 3),
    r('rates', 'c', 'rc', 2),
    r('orders', 'x3', '', 4),
    r('orders', 'x4', null, 5),
    r('orders', 'x5', 'avocado', 9),
    r('rates', 'a', 'ra7', 7),
    r('orders', 'x6', 'almond', 8),
    r('orders', 'x7', 'coconut', 20),
  ]),

  scenario('versioned join with grace on a filtered table', 'versioned-join-grace-filtered', [
    r('rates', 'a', 'apple', 1),
    r('orders', 'a', 'o2', 2),
    r('rates', 'a', 'xerox', 2),
    r('orders', 'a', 'o3', 3),
    r('orders', 'a', 'o7', 7),
    r('rates', 'a', 'avocado', 5),
    r('orders', 'a', 'o6', 6),
    r('orders', 'b', 'o12', 12),
    r('orders', 'a', 'o30', 30),
  ]),

  scenario('versioned join on a mapped table, with and without grace', 'versioned-join-mapped-table', [
    r('rates', 'a', 'low', 1),
    r('orders', 'a', 'o3', 3),
    r('rates', 'a', 'mid', 2),
    r('orders', 'a', 'o2', 2),
    r('rates', 'a', null, 4),
    r('orders', 'a', 'o5', 5),
    r('rates', 'a', 'top', 9),
    r('orders', 'a', 'o8', 8),
    r('orders', 'a', 'o1', 1),
    r('orders', 'b', 'o20', 20),
    r('rates', 'a', 'late', 12),
    r('orders', 'a', 'o13', 13),
  ]),

  scenario('versioned toTable: out of order events, joined with grace', 'versioned-to-table', [
    r('events', 'a', 'e10', 10),
    r('orders', 'a', 'o11', 11),
    r('events', 'a', 'e8', 8),
    r('orders', 'a', 'o9', 9),
    r('events', null, 'nokey', 12),
    r('events', 'a', null, 12),
    r('orders', 'a', 'o12', 12),
    r('orders', 'a', 'o15', 15),
    r('events', 'a', 'e1', 1),
    r('events', 'b', 'b14', 14),
    r('orders', 'b', 'o13', 13),
    r('orders', 'b', 'o20', 20),
  ]),

  scenario('versioned table-table join: out-of-order updates do not join', 'versioned-table-table-join', [
    r('left', 'a', 'L10', 10),
    r('right', 'a', 'R1', 1),
    r('left', 'a', 'L5', 5),
    r('left', 'a', 'L12', 12),
    r('right', 'a', 'R2', 2),
    r('left', 'a', null, 11),
    r('left', 'a', null, 13),
    r('left', 'b', 'Lb', 3),
    r('right', 'b', 'Rb', 4),
    r('left', 'b', 'Lb-old', 2),
    r('left', 'c', 'Lc', 30),
    r('left', 'b', 'Lb-too-old', 4),
    r('right', 'c', 'Rc', 0),
  ]),

  scenario('versioned tables joined: retention on each side', 'versioned-both-table-join', [
    r('left', 'a', 'L10', 10),
    r('right', 'a', 'R10', 10),
    r('right', 'a', 'R8', 8),
    r('left', 'a', 'L9', 9),
    r('left', 'a', 'L4', 4),
    r('right', 'a', 'R4', 4),
    r('left', 'b', null, 11),
    r('right', 'b', 'Rb', 11),
    r('left', 'b', 'Lb', 12),
    r('right', 'b', null, 10),
    r('right', 'b', null, 13),
  ]),

  scenario('versioned table groupBy: out-of-order updates not aggregated', 'versioned-table-groupby', [
    r('users', 'u1', 'eu:1', 10),
    r('users', 'u2', 'eu:2', 11),
    r('users', 'u1', 'us:1', 5),
    r('users', 'u1', 'us:1', 12),
    r('users', 'u2', null, 8),
    r('users', 'u2', null, 13),
    r('users', 'u3', '-:1', 14),
    r('users', 'u3', 'apac:1', 15),
    r('users', 'u1', 'eu:9', 1),
    r('users', 'u4', 'us:3', 40),
    r('users', 'u1', 'apac:2', 20),
  ]),

  scenario('versioned foreign-key join: out-of-order rows on both sides', 'versioned-foreign-key-join', [
    r('products', 'p1', 'Widget', 10),
    r('orders', 'o1', 'p1:1', 11),
    r('products', 'p1', 'Widget-old', 5),
    r('orders', 'o1', 'p2:1', 9),
    r('orders', 'o2', 'p2:1', 12),
    r('products', 'p2', 'Gadget', 13),
    r('products', 'p2', null, 12),
    r('orders', 'o1', 'p2:2', 14),
    r('orders', 'o2', null, 10),
    r('orders', 'o2', null, 15),
    r('products', 'p2', 'Gadget2', 30),
    r('orders', 'o1', 'p1:3', 16),
  ]),
];

const random: Scenario[] = [
  ...randomScenarios('versioned-table-source', [901, 902, 903], tableUpdates('rates')),
  ...randomScenarios('versioned-table-filter-map', [911, 912, 913], tableUpdates('rates')),
  ...randomScenarios('versioned-stream-join', [921, 922, 923], ordersAndRates(keyArb)),
  ...randomScenarios('versioned-stream-join-grace', [931, 932, 933], ordersAndRates(keyArb)),
  ...randomScenarios('versioned-stream-left-join-grace', [941, 942, 943], ordersAndRates(someKeyArb)),
  ...randomScenarios('versioned-join-grace-rekeyed', [951, 952, 953], ordersAndRates(keyArb)),
  ...randomScenarios('versioned-join-grace-filtered', [961, 962, 963], ordersAndRates(someKeyArb)),
  ...randomScenarios('versioned-join-mapped-table', [1011, 1012, 1013], ordersAndRates(someKeyArb)),
  ...randomScenarios('versioned-both-table-join', [1021, 1022, 1023], fc.oneof(tableUpdates('left'), tableUpdates('right'))),
  ...randomScenarios('versioned-to-table', [971, 972, 973], fc.oneof(on('events', keyArb, rowArb), on('orders', keyArb, nullable(wordArb)))),
  ...randomScenarios('versioned-table-table-join', [981, 982, 983], fc.oneof(tableUpdates('left'), tableUpdates('right'))),
  ...randomScenarios('versioned-table-groupby', [991, 992, 993], on('users', nullable(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6')), regionRowArb)),
  ...randomScenarios(
    'versioned-foreign-key-join',
    [1001, 1002, 1003],
    fc.oneof(
      on(
        'orders',
        nullable(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5')),
        nullable(fc.tuple(fc.constantFrom('p1', 'p2', 'p3', '-'), fc.integer({ min: 1, max: 9 })).map(([p, q]) => `${p}:${q}`), 3),
      ),
      on('products', nullable(fc.constantFrom('p1', 'p2', 'p3')), rowArb),
    ),
  ),
];

export const versionedScenarios: Scenario[] = [...handWritten, ...random];
