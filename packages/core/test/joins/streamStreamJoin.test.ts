import { describe, expect, it } from 'vitest';
import { JoinWindows, Serdes, StreamsBuilder, type KStream } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

type Kind = 'join' | 'leftJoin' | 'outerJoin';

/** left and right streams of strings, joined as `l+r` (`null` shown as "null", as Kafka's tests do), written to `out`. */
function setup(kind: Kind, windows: JoinWindows, options: { name?: string; storeName?: string } = {}) {
  const builder = new StreamsBuilder();
  const left = builder.stream<string, string>('left', { valueSerde: Serdes.string() });
  const right = builder.stream<string, string>('right', { valueSerde: Serdes.string() });
  const joiner = (l: string | null, r: string | null) => `${l}+${r}`;
  const joined: KStream<string, string> =
    kind === 'join' ? left.join(right, joiner, windows, options) : kind === 'leftJoin' ? left.leftJoin(right, joiner, windows, options) : left.outerJoin(right, joiner, windows, options);
  joined.to('out', { valueSerde: Serdes.string() });
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
  const l = driver.createInputTopic<string, string>('left');
  const r = driver.createInputTopic<string, string>('right');
  const output = driver.createOutputTopic<string, string>('out', { valueSerde: Serdes.string() });
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, l, r, read };
}

describe('KStream.join(KStream) — inner, windowed', () => {
  it('joins records of the same key within the window, in both directions, timestamped with the later record', () => {
    const { l, r, read } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput('a', 'A1', 1000);
    expect(read()).toEqual([]);
    r.pipeInput('a', 'a1', 1050);
    expect(read()).toEqual([['a', 'A1+a1', 1050]]);
    r.pipeInput('b', 'b1', 1060);
    l.pipeInput('b', 'B1', 1100);
    expect(read()).toEqual([['b', 'B1+b1', 1100]]);
    // Exactly at the window's edge joins (|1000 - 1100| = 100), one past it does not.
    r.pipeInput('a', 'a2', 1100);
    r.pipeInput('a', 'a3', 1101);
    expect(read()).toEqual([['a', 'A1+a2', 1100]]);
  });

  it('emits one result per partner, partners in timestamp order, duplicates kept', () => {
    const { l, r, read } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    r.pipeInput('k', 'x', 1030);
    r.pipeInput('k', 'y', 1010);
    r.pipeInput('k', 'x', 1030);
    l.pipeInput('k', 'A', 1020);
    expect(read()).toEqual([
      ['k', 'A+y', 1020],
      ['k', 'A+x', 1030],
      ['k', 'A+x', 1030],
    ]);
  });

  it('joins an out-of-order record within the window but not one whose partner has expired', () => {
    const { l, r, read } = setup('join', JoinWindows.ofTimeDifferenceAndGrace(100, 50));
    l.pipeInput('k', 'A', 1000);
    r.pipeInput('z', 'z', 1200);
    // Out of order (stream time 1200) but A (1000) is still kept: retention is 200 + 50.
    r.pipeInput('k', 'late', 950);
    expect(read()).toEqual([['k', 'A+late', 1000]]);
    // Each side's buffer expires by the largest timestamp put into it, as Kafka Streams' window stores do:
    // right-side records alone never expire A.
    l.pipeInput('y', 'y', 1249);
    r.pipeInput('k', 'still', 1000);
    expect(read()).toEqual([['k', 'A+still', 1000]]);
    // A expires once 1000 <= 1250 - 250 (retention = window 200 + grace 50): a record inside its window no longer finds it.
    l.pipeInput('y', 'y', 1250);
    r.pipeInput('k', 'too-late', 1000);
    expect(read()).toEqual([]);
  });

  it('asymmetric windows: before() and after() bound the other side relative to the left record', () => {
    const { l, r, read } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(0).before(10).after(50));
    l.pipeInput('k', 'A', 1000);
    r.pipeInput('k', 'early-ok', 990);
    r.pipeInput('k', 'early-no', 989);
    r.pipeInput('k', 'late-ok', 1050);
    r.pipeInput('k', 'late-no', 1051);
    expect(read().map(([, v]) => v)).toEqual(['A+early-ok', 'A+late-ok']);
  });

  it('drops records with a null key or a null value', () => {
    const { driver, l, r, read } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput(null, 'A', 1000);
    l.pipeInput('k', null, 1000);
    r.pipeInput('k', 'x', 1000);
    r.pipeInput(null, 'y', 1000);
    expect(read()).toEqual([]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'null-key': 2, 'null-value': 1 });
  });

  it('names nodes and stores as Kafka Streams does', () => {
    const { topology } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    const text = topology.describe().toString();
    expect(text).toContain('Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])');
    expect(text).toContain('Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-JOINOTHER-0000000005-store])');
    expect(text).toContain('Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-JOINOTHER-0000000005-store])');
    expect(text).toContain('Processor: KSTREAM-JOINOTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store])');
    expect(text).toContain('Processor: KSTREAM-MERGE-0000000006 (stores: [])');
    expect([...topology.stores.keys()]).toEqual(['KSTREAM-JOINTHIS-0000000004-store', 'KSTREAM-JOINOTHER-0000000005-store']);
    expect(topology.internalTopics().map((t) => t.name)).toEqual([
      'KSTREAM-JOINTHIS-0000000004-store-changelog',
      'KSTREAM-JOINOTHER-0000000005-store-changelog',
    ]);
  });

  it('keeps each side in a window store readable through the driver', () => {
    const { driver, l, r } = setup('join', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput('k', 'A', 1000);
    l.pipeInput('k', 'A', 1000);
    r.pipeInput('k', 'x', 1010);
    expect(driver.getWindowStore('KSTREAM-JOINTHIS-0000000004-store').fetch('k', 0, 2000)).toEqual([
      [1000, 'A'],
      [1000, 'A'],
    ]);
    expect(driver.getWindowStore('KSTREAM-JOINOTHER-0000000005-store').fetch('k', 0, 2000)).toEqual([[1010, 'x']]);
  });
});

describe('KStream.leftJoin(KStream) — unmatched results wait for the window to close', () => {
  it('emits A+null only once stream time passes the window end plus grace, and never when a partner arrives in time', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceAndGrace(100, 20));
    l.pipeInput('a', 'A', 1000);
    l.pipeInput('b', 'B', 1000);
    expect(read()).toEqual([]);
    r.pipeInput('b', 'b', 1090);
    expect(read()).toEqual([['b', 'B+b', 1090]]);
    // Window of A ends at 1100, grace until 1120: at stream time 1120 it is still open.
    r.pipeInput('z', 'z', 1120);
    expect(read()).toEqual([]);
    // Stream time 1121 closes it: A+null comes out with A's own timestamp. B had a partner: nothing.
    l.pipeInput('c', 'C', 1121);
    expect(read()).toEqual([['a', 'A+null', 1000]]);
  });

  it('each waiting record closes at its own window end plus grace', () => {
    const { l, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceAndGrace(100, 20));
    l.pipeInput('a', 'A', 1000);
    l.pipeInput('b', 'B', 1015);
    l.pipeInput('c', 'C', 1121);
    // A closed at 1120; B is open until 1135.
    expect(read()).toEqual([['a', 'A+null', 1000]]);
    l.pipeInput('d', 'D', 1135);
    expect(read()).toEqual([]);
    l.pipeInput('e', 'E', 1136);
    expect(read()).toEqual([['b', 'B+null', 1015]]);
  });

  it('joins a partner that arrives out of order within the grace period, without a spurious A+null', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceAndGrace(100, 50));
    l.pipeInput('a', 'A', 1000);
    l.pipeInput('z', 'Z', 1140);
    r.pipeInput('a', 'a', 1080);
    expect(read()).toEqual([['a', 'A+a', 1080]]);
    l.pipeInput('y', 'Y', 1500);
    expect(read()).toEqual([['z', 'Z+null', 1140]]);
  });

  it('emits the unmatched result of a record at once when its window has already passed', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    r.pipeInput('z', 'z', 2000);
    l.pipeInput('a', 'late', 1000);
    expect(read()).toEqual([['a', 'late+null', 1000]]);
  });

  it('Kafka Streams testOrdering: the expired unmatched record comes before the new join result', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput('0', 'A0', 0);
    l.pipeInput('1', 'A1', 100);
    expect(read()).toEqual([]);
    r.pipeInput('1', 'a1', 110);
    expect(read()).toEqual([
      ['0', 'A0+null', 0],
      ['1', 'A1+a1', 110],
    ]);
  });

  it('Kafka Streams testGracePeriod: records after the window end do not join; a later record flushes the unmatched ones', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceAndGrace(100, 10));
    l.pipeInput('0', 'A0', 0);
    l.pipeInput('1', 'A1', 0);
    for (const key of ['0', '1', '2', '3']) r.pipeInput(key, `a${key}`, 101);
    expect(read()).toEqual([]);
    r.pipeInput('0', 'dummy', 1201);
    expect(read()).toEqual([
      ['0', 'A0+null', 0],
      ['1', 'A1+null', 0],
    ]);
  });

  it('Kafka Streams testLeftJoinedRecordsWithZeroAfterAreEmitted (first steps)', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100).after(0));
    for (let i = 0; i < 4; i++) l.pipeInput(String(i), `A${i}`, 1000 + i);
    expect(read()).toEqual([
      ['0', 'A0+null', 1000],
      ['1', 'A1+null', 1001],
      ['2', 'A2+null', 1002],
    ]);
    for (let i = 0; i < 4; i++) r.pipeInput(String(i), `a${i}`, 999);
    expect(read()).toEqual([
      ['0', 'A0+a0', 1000],
      ['1', 'A1+a1', 1001],
      ['2', 'A2+a2', 1002],
      ['3', 'A3+a3', 1003],
    ]);
  });

  it('emits a null-key left record at once, unmatched; drops a null-key right record', () => {
    const { l, r, read } = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput(null, 'A', 1000);
    r.pipeInput(null, 'x', 1000);
    expect(read()).toEqual([[null, 'A+null', 1000]]);
  });

  it('adds the shared outer join store, named as Kafka Streams names it', () => {
    const unnamed = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    expect([...unnamed.topology.stores.keys()]).toEqual([
      'KSTREAM-JOINTHIS-0000000004-store',
      'KSTREAM-OUTEROTHER-0000000005-store',
      'KSTREAM-OUTERSHARED-0000000004-store',
    ]);
    const named = setup('leftJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100), { name: 'pay' });
    expect([...named.topology.stores.keys()]).toEqual(['pay-this-join-store', 'pay-outer-other-join-store', 'pay-left-shared-join-store']);
    const text = named.topology.describe().toString();
    for (const node of ['pay-this-windowed', 'pay-other-windowed', 'pay-this-join', 'pay-outer-other-join', 'pay-merge']) expect(text).toContain(` ${node} `);
  });
});

describe('KStream.outerJoin(KStream)', () => {
  it('emits unmatched records of both sides after the window closes, right before left at equal timestamps (Kafka testGracePeriod)', () => {
    const { l, r, read } = setup('outerJoin', JoinWindows.ofTimeDifferenceAndGrace(100, 10));
    l.pipeInput('0', 'A0', 0);
    r.pipeInput('1', '11', 0);
    expect(read()).toEqual([]);
    l.pipeInput('1', 'A1', 101);
    r.pipeInput('0', '10', 101);
    expect(read()).toEqual([]);
    r.pipeInput('0', '100', 112);
    expect(read()).toEqual([
      ['1', 'null+11', 0],
      ['0', 'A0+null', 0],
    ]);
  });

  it('asymmetric windows close each side at its own time (Kafka testEmitAllNonJoinedResultsForAsymmetricWindow)', () => {
    const { l, r, read } = setup('outerJoin', JoinWindows.ofTimeDifferenceWithNoGrace(5).after(20));
    l.pipeInput('0', 'A0', 29);
    l.pipeInput('1', 'A1', 30);
    r.pipeInput('2', '12', 31);
    r.pipeInput('3', '13', 36);
    expect(read()).toEqual([]);
    r.pipeInput('4', '14', 37);
    expect(read()).toEqual([['2', 'null+12', 31]]);
    r.pipeInput('5', '15', 50);
    expect(read()).toEqual([
      ['0', 'A0+null', 29],
      ['3', 'null+13', 36],
      ['4', 'null+14', 37],
    ]);
  });

  it('joins matched records at once and never emits them unmatched (Kafka runOuterJoin)', () => {
    const { l, r, read } = setup('outerJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput('0', 'A0', 0);
    l.pipeInput('1', 'A1', 0);
    r.pipeInput('0', '10', 0);
    r.pipeInput('1', '11', 0);
    expect(read()).toEqual([
      ['0', 'A0+10', 0],
      ['1', 'A1+11', 0],
    ]);
    for (const key of ['0', '1', '2']) l.pipeInput(key, `B${key}`, 0);
    expect(read()).toEqual([
      ['0', 'B0+10', 0],
      ['1', 'B1+11', 0],
    ]);
    for (const key of ['0', '1', '2', '3']) r.pipeInput(key, `2${key}`, 0);
    expect(read()).toEqual([
      ['0', 'A0+20', 0],
      ['0', 'B0+20', 0],
      ['1', 'A1+21', 0],
      ['1', 'B1+21', 0],
      ['2', 'B2+22', 0],
    ]);
    for (const key of ['0', '1', '2', '3']) l.pipeInput(key, `C${key}`, 0);
    expect(read()).toEqual([
      ['0', 'C0+10', 0],
      ['0', 'C0+20', 0],
      ['1', 'C1+11', 0],
      ['1', 'C1+21', 0],
      ['2', 'C2+22', 0],
      ['3', 'C3+23', 0],
    ]);
    // Every record found a partner: expiring the window emits nothing.
    l.pipeInput('0', 'dummy', 400);
    expect(read()).toEqual([]);
  });

  it('emits null-key records of either side at once', () => {
    const { l, r, read } = setup('outerJoin', JoinWindows.ofTimeDifferenceWithNoGrace(100));
    l.pipeInput(null, 'A', 5);
    r.pipeInput(null, 'x', 6);
    expect(read()).toEqual([
      [null, 'A+null', 5],
      [null, 'null+x', 6],
    ]);
  });
});

describe('stream-stream join inputs', () => {
  it('rejects a missing JoinWindows and a non-function joiner at build time', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, string>('a');
    const b = builder.stream<string, string>('b');
    expect(() => (a.join as (...args: unknown[]) => unknown)(b, (x: string) => x)).toThrow(/needs JoinWindows/);
    expect(() => (a.join as (...args: unknown[]) => unknown)(b, 'nope', JoinWindows.ofTimeDifferenceWithNoGrace(1))).toThrow(/joiner must be a function/);
    expect(() => JoinWindows.ofTimeDifferenceWithNoGrace(10).before(-11)).toThrow(/must not be negative/);
    expect(JoinWindows.ofTimeDifferenceAndGrace('5m', '30s')).toMatchObject({ beforeMs: 300_000, afterMs: 300_000, graceMs: 30_000 });
  });
});
