import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

/** A record as a producer writes it: keys and values may be null. */
const records = fc.array(
  fc.record({
    key: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'long-key', ''), { nil: null }),
    value: fc.option(fc.integer({ min: -1_000, max: 1_000 }), { nil: null, freq: 8 }),
  }),
  { maxLength: 60 },
);
const partitions = fc.integer({ min: 1, max: 4 });

type Kind = 'count' | 'reduce' | 'aggregate';

function streamTopology(kind: Kind) {
  const builder = new StreamsBuilder();
  const grouped = builder.stream<string, number>('in').groupByKey();
  const table =
    kind === 'count'
      ? grouped.count({ name: 'agg' })
      : kind === 'reduce'
        ? grouped.reduce((sum, v) => sum + v, { name: 'agg' })
        : grouped.aggregate(
            () => [] as number[],
            (_key, v, seen) => [...seen, v],
            { name: 'agg' },
          );
  (table.toStream() as { to(topic: string): void }).to('updates');
  return builder.build();
}

/** The same computation as a plain loop: Kafka Streams skips null keys and null values. */
function expected(kind: Kind, input: { key: string | null; value: number | null }[]) {
  const state = new Map<string, unknown>();
  const updates: [string, unknown][] = [];
  for (const { key, value } of input) {
    if (key === null || value === null) continue;
    const previous = state.get(key);
    const next =
      kind === 'count'
        ? ((previous as number | undefined) ?? 0) + 1
        : kind === 'reduce'
          ? previous === undefined
            ? value
            : (previous as number) + value
          : [...((previous as number[] | undefined) ?? []), value];
    state.set(key, next);
    updates.push([key, next]);
  }
  return { state, updates };
}

describe('KGroupedStream aggregations (property)', () => {
  for (const kind of ['count', 'reduce', 'aggregate'] as const) {
    it(`${kind}() emits and stores what a plain loop computes, on any number of partitions`, () => {
      fc.assert(
        fc.property(records, partitions, (input, partitionCount) => {
          using driver = new TopologyTestDriver(streamTopology(kind), { partitions: { in: partitionCount }, logger: silentLogger });
          const topic = driver.createInputTopic<string, number>('in');
          for (const { key, value } of input) topic.pipeInput(key, value);
          const { state, updates } = expected(kind, input);
          expect(driver.createOutputTopic('updates').readKeyValuesToList()).toEqual(updates);
          expect(driver.getKeyValueStore('agg').all()).toEqual([...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
          const dropped = input.filter((r) => r.key === null || r.value === null).length;
          expect(driver.metrics().droppedRecords).toBe(dropped);
        }),
        { numRuns: 150 },
      );
    });
  }
});

interface Row {
  group: string;
  amount: number;
}

/** Table updates: rows come, change, move between groups and leave (null). */
const tableUpdates = fc.array(
  fc.record({
    key: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6'),
    value: fc.option(fc.record({ group: fc.constantFrom('eu', 'us', 'asia'), amount: fc.integer({ min: 0, max: 100 }) }), { nil: null, freq: 4 }),
  }),
  { maxLength: 60 },
);

function tableTopology() {
  const builder = new StreamsBuilder();
  const grouped = builder.table<string, Row>('rows').groupBy((_key, row) => [row.group, row.amount] as const);
  grouped.count({ name: 'count' });
  grouped.reduce(
    (sum, amount) => sum + amount,
    (sum, amount) => sum - amount,
    { name: 'sum' },
  );
  grouped.aggregate(
    () => ({ rows: 0, total: 0, max: 0 }),
    (_group, amount, agg) => ({ rows: agg.rows + 1, total: agg.total + amount, max: Math.max(agg.max, amount) }),
    // A subtractor cannot undo a max: keep it, so only rows and total are compared.
    (_group, amount, agg) => ({ rows: agg.rows - 1, total: agg.total - amount, max: agg.max }),
    { name: 'aggregate' },
  );
  return builder.build();
}

describe('KGroupedTable aggregations with adder and subtractor (property)', () => {
  it('equal a plain recomputation from the final table, with deletes and rows moving between groups, on any number of partitions', () => {
    fc.assert(
      fc.property(tableUpdates, partitions, (updates, partitionCount) => {
        using driver = new TopologyTestDriver(tableTopology(), { partitions: { rows: partitionCount }, logger: silentLogger });
        const topic = driver.createInputTopic<string, Row>('rows');
        for (const { key, value } of updates) topic.pipeInput(key, value);

        const finalTable = new Map<string, Row>();
        for (const { key, value } of updates) {
          if (value === null) finalTable.delete(key);
          else finalTable.set(key, value);
        }
        const expectedByGroup = new Map<string, { rows: number; total: number }>();
        for (const row of finalTable.values()) {
          const current = expectedByGroup.get(row.group) ?? { rows: 0, total: 0 };
          expectedByGroup.set(row.group, { rows: current.rows + 1, total: current.total + row.amount });
        }
        // Groups every row left keep an emptied aggregate (Kafka Streams does not delete them).
        const count = driver.getKeyValueStore<string, number>('count');
        const sum = driver.getKeyValueStore<string, number>('sum');
        const aggregate = driver.getKeyValueStore<string, { rows: number; total: number }>('aggregate');
        for (const group of ['eu', 'us', 'asia']) {
          const want = expectedByGroup.get(group) ?? { rows: 0, total: 0 };
          expect(count.get(group) ?? 0).toBe(want.rows);
          expect(sum.get(group) ?? 0).toBe(want.total);
          const got = aggregate.get(group);
          expect(got ? { rows: got.rows, total: got.total } : { rows: 0, total: 0 }).toEqual(want);
        }
        expect(driver.getKeyValueStore('rows-STATE-STORE-0000000000').all()).toEqual([...finalTable.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
      }),
      { numRuns: 150 },
    );
  });
});

describe('KTable.filter and mapValues before a groupBy aggregation (property)', () => {
  it('subtract a row that stops matching and add it back when it matches again', () => {
    fc.assert(
      fc.property(tableUpdates, partitions, fc.integer({ min: 0, max: 100 }), (updates, partitionCount, threshold) => {
        const builder = new StreamsBuilder();
        builder
          .table<string, Row>('rows')
          .filter((_key, row) => row.amount >= threshold)
          .mapValues((row) => ({ region: row.group.toUpperCase(), cents: row.amount * 100 }))
          .groupBy((_key, row) => [row.region, row.cents] as const)
          .reduce(
            (sum, cents) => sum + cents,
            (sum, cents) => sum - cents,
            { name: 'cents' },
          );
        using driver = new TopologyTestDriver(builder.build(), { partitions: { rows: partitionCount }, logger: silentLogger });
        const topic = driver.createInputTopic<string, Row>('rows');
        for (const { key, value } of updates) topic.pipeInput(key, value);

        const finalTable = new Map<string, Row>();
        for (const { key, value } of updates) {
          if (value === null) finalTable.delete(key);
          else finalTable.set(key, value);
        }
        const want = new Map<string, number>();
        for (const row of finalTable.values()) {
          if (row.amount < threshold) continue;
          const region = row.group.toUpperCase();
          want.set(region, (want.get(region) ?? 0) + row.amount * 100);
        }
        const cents = driver.getKeyValueStore<string, number>('cents');
        for (const region of ['EU', 'US', 'ASIA']) expect(cents.get(region) ?? 0).toBe(want.get(region) ?? 0);
      }),
      { numRuns: 150 },
    );
  });
});
