// Reference scenarios: conformance (hand-written edge cases and seeded random inputs for ./topologies.ts).
import fc from 'fast-check';
import type { Scenario } from '../kafkaStreams';
import { keyArb, N, nullable, on, r, randomInputs, scenario, smallStepTimestampsArb, timestampsArb, wordArb } from '../scenarioKit';

/**
 * Timestamps relative to stream time with big jumps: mostly small steps, out of order and
 * late records, and now and then a jump of a few windows (10 to 60 ms) or of many (100 to
 * 400 ms), which leaves closed windows behind the window stores' retention.
 */
const bigJumpTimestampsArb = (n: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 0, max: 4 }) },
        { weight: 4, arbitrary: fc.integer({ min: -25, max: -1 }) },
        { weight: 2, arbitrary: fc.integer({ min: 10, max: 60 }) },
        { weight: 1, arbitrary: fc.integer({ min: 100, max: 400 }) },
      ),
      { minLength: n, maxLength: n },
    )
    .map((steps) => {
      let streamTime = 100;
      return steps.map((step) => {
        const t = Math.max(0, streamTime + step);
        streamTime = Math.max(streamTime, t);
        return t;
      });
    });

/** `region:amount` rows; `-` is a region that maps to a null key. */
const amountRowArb = fc.tuple(fc.constantFrom('gold', 'silver', 'glass', '-'), fc.integer({ min: 0, max: 12 })).map(([g, n]) => `${g}:${n}`);
/** Words, some with an `x` (what the join filters look for). */
const xWordArb = fc.constantFrom('ax', 'box', 'cat', 'dog', 'x', 'yak', 'zoo');
const productArb = fc.constantFrom('p1', 'p2', 'p3', 'p4');
const orderRowArb = fc.tuple(fc.constantFrom('p1', 'p2', 'p3', 'p4', '-'), fc.integer({ min: 1, max: 9 })).map(([p, q]) => `${p}:${q}`);

/** Issue 11 item 4's example: Kafka Streams emits only [4,16) of the 12/4 hopping windows. */
const hoppingExample = [r('clicks', 'a', '1', 4), r('clicks', 'a', '2', 7), r('clicks', 'a', '3', 16), r('clicks', 'a', '4', 19)];

/** Stream time jumps over several windows at once, with records left behind and keys interleaved. */
const windowJumps = [
  ['a', 0], ['a', 3], ['b', 5], ['a', 9], ['a', 11], ['b', 13], ['a', 40], ['a', 38], ['b', 41], ['c', 44], ['a', 45], ['a', 30],
  ['b', 120], ['a', 118], ['a', 121], [null, 125], ['c', 126], ['a', 131], ['a', 500], ['b', 499], ['a', 502], ['a', 505],
  ['b', 506], ['a', 511], ['c', 514], ['a', 517], ['a', 530], ['b', 560], ['a', 561], ['a', 900], ['a', 903],
].map(([key, t], i) => r('clicks', key as string | null, i === 7 ? null : String(i), t as number));

const handWritten: Scenario[] = [
  scenario("filter after reduce: issue 11's example", 'filter-after-reduce', [
    r('purchases', 'c1', 'silver:2', 0),
    r('purchases', 'c1', 'gold:9', 1),
    r('purchases', 'c1', 'gold:3', 2),
  ]),
  scenario('filter after reduce: keys that never pass, pass and stop, nulls', 'filter-after-reduce', [
    r('purchases', 'c2', 'glass:1', 1),
    r('purchases', 'c2', 'silver:4', 2),
    r('purchases', 'c1', 'gold:12', 3),
    r('purchases', 'c1', 'gold:8', 2),
    r('purchases', 'c1', '-:1', 4),
    r('purchases', 'c1', null, 5),
    r('purchases', null, 'gold:10', 6),
    r('purchases', 'c3', 'glass:9', 0),
    r('purchases', 'c3', 'gold:9', 7),
    r('purchases', 'c2', 'gold:0', 8),
  ]),

  scenario('filter after count: tombstones from the initial count', 'filter-after-count', [
    r('clicks', 'a', 'x', 1),
    r('clicks', 'a', 'y', 2),
    r('clicks', 'b', 'x', 3),
    r('clicks', 'a', null, 4),
    r('clicks', 'a', 'z', 0),
    r('clicks', null, 'x', 5),
    r('clicks', 'a', 'w', 6),
    r('clicks', 'a', 'v', 7),
    r('clicks', 'b', 'x', 8),
  ]),

  scenario('toStream filter after reduce: every update, nulls dropped upstream', 'to-stream-filter-after-reduce', [
    r('payments', 'a', 'x:5', 1),
    r('payments', 'a', 'x:7', 2),
    r('payments', 'b', 'y:11', 3),
    r('payments', 'b', null, 4),
    r('payments', null, 'z:20', 5),
    r('payments', 'c', 'nothing', 6),
    r('payments', 'a', 'x:1', 0),
  ]),

  scenario('filter after table joins: an outer join row that fails before and after is dropped', 'filter-after-table-joins', [
    r('left', 'a', 'yak', 1),
    r('right', 'a', 'zoo', 2),
    r('right', 'a', 'box', 3),
    r('left', 'a', 'cat', 4),
    r('right', 'a', null, 5),
    r('left', 'a', null, 6),
    r('right', 'b', 'x', 7),
    r('right', 'b', 'dog', 8),
    r('left', 'b', 'ax', 2),
    r('left', 'c', null, 9),
    r('right', 'c', null, 10),
    r('left', null, 'x', 11),
  ]),

  scenario('mapValues then join: updates on both sides, tombstones, short names', 'mapvalues-then-join', [
    r('customers', 'c1', 'ann', 1),
    r('tiers', 'c1', 'gold', 2),
    r('orders', 'c1', 'o1', 3),
    r('customers', 'c1', 'annabel', 4),
    r('tiers', 'c1', 'x', 5),
    r('orders', 'c1', 'o2', 6),
    r('customers', 'c2', 'bobby', 2),
    r('orders', 'c2', 'o3', 7),
    r('tiers', 'c1', null, 8),
    r('customers', 'c1', null, 9),
    r('orders', 'c1', 'o4', 10),
    r('orders', null, 'o5', 11),
  ]),

  scenario('three table joins: each side updated and deleted', 'three-table-joins', [
    r('a', 'k', 'A1', 1),
    r('b', 'k', 'B1', 2),
    r('c', 'k', 'C1', 3),
    r('a', 'k', 'A2', 4),
    r('b', 'k', null, 5),
    r('c', 'k', 'C2', 6),
    r('b', 'k', 'B2', 2),
    r('a', 'k', null, 7),
    r('c', 'j', 'C3', 8),
    r('b', 'j', 'B3', 9),
    r('c', 'k', null, 10),
  ]),

  scenario('join then aggregate: rows move between groups, deletes subtract', 'join-then-aggregate', [
    r('orders', 'o1', 'p:5', 1),
    r('customers', 'o1', 'eu', 2),
    r('orders', 'o2', 'p:3', 3),
    r('customers', 'o2', 'us', 4),
    r('customers', 'o1', 'us', 5),
    r('orders', 'o1', 'p:7', 6),
    r('customers', 'o2', null, 7),
    r('orders', 'o3', 'q:1', 8),
    r('customers', 'o3', '-', 9),
    r('orders', 'o1', null, 10),
  ]),

  scenario('windowed filter suppress: windows that pass and stop passing, late records', 'windowed-filter-suppress', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 3),
    r('clicks', 'b', '3', 4),
    r('clicks', 'a', '4', 9),
    r('clicks', 'a', '5', 12),
    r('clicks', 'b', '6', 14),
    r('clicks', 'a', '7', 2),
    r('clicks', 'a', '8', 15),
    r('clicks', 'c', '9', 16),
    r('clicks', 'a', '10', 30),
    r('clicks', 'a', '11', 60),
  ]),

  scenario("session filter suppress: issue 11's case, a filtered session does not close others", 'session-filter-suppress', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 2),
    r('clicks', 'b', '3', 20),
  ]),
  scenario('session filter suppress: merges, tombstones, late', 'session-filter-suppress', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 4),
    r('clicks', 'b', '3', 5),
    r('clicks', 'a', '4', 9),
    r('clicks', 'b', '5', 20),
    r('clicks', 'a', '6', 1),
    r('clicks', 'c', '7', 21),
    r('clicks', 'c', '8', 23),
    r('clicks', 'b', '9', 24),
    r('clicks', 'a', '10', 40),
    r('clicks', 'a', '11', 41),
  ]),

  scenario("global table joins: issue 11's null selected keys, updates, null keys", 'global-table-joins', [
    r('products', 'p1', 'Widget', 1),
    r('orders', 'o1', 'p1:2', 2),
    r('orders', 'o2', '-:1', 3),
    r('orders', null, 'p1:1', 4),
    r('regions', 'o1', 'p2', 5),
    r('orders', 'o1', 'p1:3', 6),
    r('products', 'p2', 'Gadget', 7),
    r('orders', 'o1', 'p3:1', 8),
    r('orders', 'o3', null, 9),
    r('products', 'p1', null, 10),
    r('orders', 'o1', 'p1:4', 11),
    r('regions', null, 'p1', 12),
  ]),

  scenario('global table between sub-topologies: re-keyed, null keys', 'global-table-between', [
    r('products', 'p1', 'Widget', 1),
    r('orders', 'o1', 'p1:2', 2),
    r('orders', 'o2', 'p2:1', 3),
    r('orders', 'o3', '-:1', 4),
    r('products', 'p2', 'Gadget', 5),
    r('orders', 'o4', 'p2:7', 6),
    r('orders', null, 'p1:1', 7),
  ]),

  scenario("hopping on close: issue 11's example", 'hopping-on-close', hoppingExample),
  scenario('hopping on close: big jumps of stream time', 'hopping-on-close', windowJumps),
  scenario('sliding on close: big jumps of stream time', 'sliding-on-close', windowJumps),
  scenario("sliding on close: issue 11's hopping input", 'sliding-on-close', hoppingExample),

  scenario('filter named tables: named sources and filters drop what never passes', 'filter-named-tables', [
    r('rows', 'k1', 'banana', 1),
    r('rows', 'k1', 'apple', 2),
    r('rows', 'k1', 'cherry', 3),
    r('rows', 'k1', 'fig', 4),
    r('rows', 'k2', 'kiwi', 5),
    r('rows', 'k2', null, 6),
    r('rows', 'k3', null, 7),
    r('events', 'e1', 'dog', 1),
    r('events', 'e1', 'do', 2),
    r('events', 'e1', 'cat', 3),
    r('events', 'e1', 'duck', 4),
    r('events', 'e2', 'x', 5),
    r('events', 'e2', null, 6),
    r('events', null, 'dove', 7),
  ]),

  scenario('filter after windowed count: new windows carry the initial count', 'filter-after-windowed-count', [
    r('clicks', 'a', '1', 0),
    r('clicks', 'a', '2', 3),
    r('clicks', 'a', '3', 7),
    r('clicks', 'a', '4', 12),
    r('clicks', 'b', '5', 13),
    r('clicks', 'a', '6', 5),
    r('clicks', 'a', '7', 14),
    r('clicks', 'a', '8', 30),
    r('clicks', 'a', '9', 2),
  ]),
];

/** Three seeded random scenarios per topology (seeds from `base`), the first with the default timestamps. */
function randomScenarios(topology: string, base: number, record: fc.Arbitrary<{ topic: string; key: string | null; value: string | null }>, timestamps = timestampsArb): Scenario[] {
  return [
    scenario(`${topology}: random ${base}`, topology, randomInputs(base, N, record, timestampsArb)),
    scenario(`${topology}: random ${base + 1}`, topology, randomInputs(base + 1, N, record, timestamps)),
    scenario(`${topology}: random ${base + 2}`, topology, randomInputs(base + 2, N, record, timestamps)),
  ];
}

const random: Scenario[] = [
  ...randomScenarios('filter-after-reduce', 1101, on('purchases', keyArb, nullable(amountRowArb))),
  ...randomScenarios('filter-after-count', 1111, on('clicks', keyArb, nullable(wordArb))),
  ...randomScenarios('to-stream-filter-after-reduce', 1121, on('payments', keyArb, nullable(amountRowArb))),
  ...randomScenarios('filter-after-table-joins', 1131, fc.oneof(on('left', keyArb, nullable(xWordArb, 3)), on('right', keyArb, nullable(xWordArb, 3)))),
  ...randomScenarios(
    'mapvalues-then-join',
    1141,
    fc.oneof(
      on('customers', keyArb, nullable(fc.constantFrom('ann', 'bob', 'carla', 'dmitri', 'eve'), 3)),
      on('tiers', keyArb, nullable(fc.constantFrom('gold', 'silver', 'x'), 3)),
      on('orders', keyArb, nullable(wordArb)),
    ),
  ),
  ...randomScenarios(
    'three-table-joins',
    1151,
    fc.oneof(on('a', keyArb, nullable(wordArb, 3)), on('b', keyArb, nullable(wordArb, 3)), on('c', keyArb, nullable(wordArb, 3))),
  ),
  ...randomScenarios(
    'join-then-aggregate',
    1161,
    fc.oneof(
      on('orders', keyArb, nullable(fc.integer({ min: 0, max: 9 }).map((n) => `o:${n}`), 3)),
      on('customers', keyArb, nullable(fc.constantFrom('eu', 'us', 'apac', '-'), 3)),
    ),
  ),
  ...randomScenarios('windowed-filter-suppress', 1171, on('clicks', keyArb, nullable(wordArb)), bigJumpTimestampsArb),
  ...randomScenarios('session-filter-suppress', 1181, on('clicks', keyArb, nullable(wordArb)), bigJumpTimestampsArb),
  ...randomScenarios(
    'global-table-joins',
    1191,
    fc.oneof(
      { weight: 3, arbitrary: on('orders', keyArb, nullable(orderRowArb)) },
      { weight: 1, arbitrary: on('products', nullable(productArb), nullable(wordArb, 3)) },
      { weight: 1, arbitrary: on('regions', keyArb, nullable(productArb, 3)) },
    ),
  ),
  ...randomScenarios(
    'global-table-between',
    1201,
    fc.oneof({ weight: 3, arbitrary: on('orders', keyArb, nullable(orderRowArb)) }, { weight: 1, arbitrary: on('products', nullable(productArb), nullable(wordArb, 3)) }),
  ),
  ...randomScenarios('hopping-on-close', 1211, on('clicks', keyArb, nullable(wordArb)), bigJumpTimestampsArb),
  scenario('hopping-on-close: random small steps 1214', 'hopping-on-close', randomInputs(1214, N, on('clicks', keyArb, nullable(wordArb)), smallStepTimestampsArb)),
  ...randomScenarios('sliding-on-close', 1221, on('clicks', keyArb, nullable(wordArb)), bigJumpTimestampsArb),
  scenario('sliding-on-close: random small steps 1224', 'sliding-on-close', randomInputs(1224, N, on('clicks', keyArb, nullable(wordArb)), smallStepTimestampsArb)),
  ...randomScenarios(
    'filter-named-tables',
    1231,
    fc.oneof(on('rows', keyArb, nullable(fc.constantFrom('apple', 'avocado', 'fig', 'kiwi', 'banana'), 3)), on('events', keyArb, nullable(fc.constantFrom('do', 'dog', 'duck', 'cat', 'x'), 3))),
  ),
  ...randomScenarios('filter-after-windowed-count', 1241, on('clicks', keyArb, nullable(wordArb)), bigJumpTimestampsArb),
];

export const conformanceScenarios: Scenario[] = [...handWritten, ...random];
