import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, type KTable } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

type Kind = 'join' | 'leftJoin' | 'outerJoin';

function setup(kind: Kind, options: { name?: string } = {}) {
  const builder = new StreamsBuilder();
  const a = builder.table<string, string>('a', { valueSerde: Serdes.string() });
  const b = builder.table<string, string>('b', { valueSerde: Serdes.string() });
  const joiner = (l: string | null, r: string | null) => `${l}+${r}`;
  const joined: KTable<string, string> =
    kind === 'join' ? a.join(b, joiner, options) : kind === 'leftJoin' ? a.leftJoin(b, joiner, options) : a.outerJoin(b, joiner, options);
  joined.toStream().to('out', { valueSerde: Serdes.string() });
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
  const left = driver.createInputTopic<string, string>('a');
  const right = driver.createInputTopic<string, string>('b');
  const output = driver.createOutputTopic<string, string | null>('out', { valueSerde: Serdes.string() });
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, left, right, read };
}

describe('KTable.join(KTable) — inner', () => {
  it('emits while both sides have a row, with the larger timestamp; either side updating re-joins', () => {
    const { left, right, read } = setup('join');
    left.pipeInput('k1', 'A1', 5);
    expect(read()).toEqual([]);
    right.pipeInput('k1', 'B1', 10);
    expect(read()).toEqual([['k1', 'A1+B1', 10]]);
    left.pipeInput('k1', 'A2', 7);
    expect(read()).toEqual([['k1', 'A2+B1', 10]]);
    right.pipeInput('k2', 'B2', 3);
    expect(read()).toEqual([]);
  });

  it('a tombstone on either side deletes the result downstream (a null value)', () => {
    const { left, right, read } = setup('join');
    left.pipeInput('k1', 'A1', 1);
    right.pipeInput('k1', 'B1', 2);
    left.pipeInput('k1', null, 20);
    expect(read()).toEqual([
      ['k1', 'A1+B1', 2],
      ['k1', null, 20],
    ]);
    // The left row is gone: deleting the right row changes nothing downstream.
    right.pipeInput('k1', null, 21);
    expect(read()).toEqual([]);
    left.pipeInput('k3', 'A3', 30);
    right.pipeInput('k3', 'B3', 31);
    right.pipeInput('k3', null, 32);
    expect(read()).toEqual([
      ['k3', 'A3+B3', 31],
      ['k3', null, 32],
    ]);
  });

  it('forwards a tombstone for a key it never had when the other side has a row, as Kafka Streams does', () => {
    const { left, right, read } = setup('join');
    right.pipeInput('k2', 'B2', 1);
    left.pipeInput('k2', null, 2);
    expect(read()).toEqual([['k2', null, 2]]);
  });

  it('materializes the result under { name }, and names nodes as Kafka Streams does', () => {
    const named = setup('join', { name: 'joined' });
    named.left.pipeInput('k', 'A', 1);
    named.right.pipeInput('k', 'B', 2);
    expect(named.driver.getKeyValueStore('joined').getWithTimestamp('k')).toMatchObject({ value: 'A+B', timestamp: 2 });
    const text = named.topology.describe().toString();
    expect(text).toContain('Processor: joined-join-this (stores: [b-STATE-STORE-0000000003])');
    expect(text).toContain('Processor: joined-join-other (stores: [a-STATE-STORE-0000000000])');
    expect(text).toContain('Processor: joined (stores: [joined])');

    const unnamed = setup('join').topology.describe().toString();
    expect(unnamed).toContain('Processor: KTABLE-JOINTHIS-0000000007 (stores: [b-STATE-STORE-0000000003])');
    expect(unnamed).toContain('Processor: KTABLE-JOINOTHER-0000000008 (stores: [a-STATE-STORE-0000000000])');
    expect(unnamed).toContain('Processor: KTABLE-MERGE-0000000006 (stores: [])');
  });
});

describe('KTable.leftJoin(KTable)', () => {
  it('every left row has a result, with null while the right side has none', () => {
    const { left, right, read } = setup('leftJoin');
    left.pipeInput('k1', 'A1', 5);
    right.pipeInput('k1', 'B1', 10);
    right.pipeInput('k1', null, 12);
    right.pipeInput('k9', 'B9', 13);
    left.pipeInput('k1', null, 14);
    left.pipeInput('k5', null, 15);
    expect(read()).toEqual([
      ['k1', 'A1+null', 5],
      ['k1', 'A1+B1', 10],
      ['k1', 'A1+null', 12],
      ['k1', null, 14],
    ]);
  });
});

describe('KTable.outerJoin(KTable)', () => {
  it('a row on either side has a result; the result is deleted when both are gone', () => {
    const { left, right, read } = setup('outerJoin');
    left.pipeInput('k1', 'A1', 5);
    right.pipeInput('k2', 'B2', 6);
    right.pipeInput('k1', 'B1', 7);
    left.pipeInput('k1', null, 8);
    right.pipeInput('k1', null, 9);
    right.pipeInput('k7', null, 10);
    expect(read()).toEqual([
      ['k1', 'A1+null', 5],
      ['k2', 'null+B2', 6],
      ['k1', 'A1+B1', 7],
      ['k1', 'null+B1', 8],
      ['k1', null, 9],
    ]);
  });
});

describe('table-table joins downstream', () => {
  it('sends old values when downstream needs them: a regrouped count moves a row between groups', () => {
    const builder = new StreamsBuilder();
    const customers = builder.table<string, string>('customers', { valueSerde: Serdes.string() });
    const segments = builder.table<string, string>('segments', { valueSerde: Serdes.string() });
    customers
      .join(segments, (_name, segment) => segment)
      .groupBy((id, segment) => [segment, id])
      .count({ name: 'per-segment' })
      .toStream()
      .to('counts', { valueSerde: Serdes.json<number>() });
    const driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
    const customer = driver.createInputTopic<string, string>('customers');
    const segment = driver.createInputTopic<string, string>('segments');
    customer.pipeInput('c1', 'Ann', 1);
    customer.pipeInput('c2', 'Bob', 1);
    segment.pipeInput('c1', 'gold', 2);
    segment.pipeInput('c2', 'gold', 3);
    segment.pipeInput('c1', 'silver', 4);
    customer.pipeInput('c2', null, 5);
    expect(driver.createOutputTopic<string, number>('counts').readKeyValuesToList()).toEqual([
      ['gold', 1],
      ['gold', 2],
      ['gold', 1],
      ['silver', 1],
      ['gold', 0],
    ]);
  });

  it('chains joins through an unmaterialized join result (looked up via its value getter)', () => {
    const builder = new StreamsBuilder();
    const a = builder.table<string, string>('a', { valueSerde: Serdes.string() });
    const b = builder.table<string, string>('b', { valueSerde: Serdes.string() });
    const c = builder.table<string, string>('c', { valueSerde: Serdes.string() });
    a.join(b, (x, y) => `${x}${y}`)
      .leftJoin(c, (xy, z) => `${xy}|${z}`)
      .toStream()
      .to('out', { valueSerde: Serdes.string() });
    const driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
    driver.createInputTopic<string, string>('c').pipeInput('k', 'z1', 1);
    driver.createInputTopic<string, string>('a').pipeInput('k', 'x', 2);
    driver.createInputTopic<string, string>('b').pipeInput('k', 'y', 3);
    driver.createInputTopic<string, string>('c').pipeInput('k', 'z2', 4);
    const out = driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() }).readRecordsToList();
    expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['k', 'xy|z1', 3],
      ['k', 'xy|z2', 4],
    ]);
  });

  it('rejects joining tables of different builders', () => {
    const a = new StreamsBuilder().table<string, string>('a');
    const b = new StreamsBuilder().table<string, string>('b');
    expect(() => a.join(b, (x, y) => x + y)).toThrow(/same StreamsBuilder/);
  });
});
