import { describe, expect, it } from 'vitest';
import { Serdes, SessionWindows, StreamsBuilder, Suppressed, WindowedSerdes } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Customer {
  name: string;
  region: string;
  spend: number;
}

const ann = (region: string, spend: number): Customer => ({ name: 'Ann', region, spend });
const bob = (region: string, spend: number): Customer => ({ name: 'Bob', region, spend });

describe('KTable.filter / filterNot', () => {
  it('turns a row that stops matching into a delete downstream', () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, Customer>('customers')
      .filter((_id, c) => c.spend >= 100)
      .toStream()
      .to('vips');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 150));
    input.pipeInput('c1', ann('eu', 50)); // no longer a VIP: delete
    input.pipeInput('c2', bob('eu', 10)); // never a VIP: Kafka Streams forwards (null, null) when old values are off
    input.pipeInput('c1', ann('eu', 500));
    expect(driver.createOutputTopic<string, Customer | null>('vips').readKeyValuesToList()).toEqual([
      ['c1', ann('eu', 150)],
      ['c1', null],
      ['c2', null],
      ['c1', ann('eu', 500)],
    ]);
  });

  it('materializes the filtered table when named', () => {
    const builder = new StreamsBuilder();
    builder.table<string, Customer>('customers').filterNot((_id, c) => c.region === 'us', { name: 'non-us' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 1));
    input.pipeInput('c2', bob('us', 1));
    input.pipeInput('c1', ann('us', 1));
    expect(driver.getKeyValueStore('non-us').all()).toEqual([]);
    input.pipeInput('c2', bob('eu', 1));
    expect(driver.getKeyValueStore('non-us').all()).toEqual([['c2', bob('eu', 1)]]);
  });

  // Kafka Streams' KTableFilter asks its parent for old values when it is built; a parent that
  // has them at hand (an aggregation, a join, a named table) sends them, and the filter then
  // drops a change from "absent" to "absent" instead of forwarding a tombstone.
  describe('after a table that sends old values', () => {
    const strings = { keySerde: Serdes.string(), valueSerde: Serdes.string() };
    const amount = (row: string) => Number(row.split('|')[1]);

    it("drops a row that neither passed nor passes, after a reduce (issue 11's example)", () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('purchases', strings)
        .groupByKey()
        .reduce((_latest, v) => v)
        .filter((_customer, v) => amount(v) >= 8)
        .toStream()
        .to('big', strings);
      using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
      const input = driver.createInputTopic<string, string>('purchases', strings);
      input.pipeInput('c1', 'silver|2', 0);
      input.pipeInput('c1', 'gold|9', 1);
      input.pipeInput('c1', 'gold|3', 2);
      const out = driver.createOutputTopic<string, string | null>('big', strings).readRecordsToList();
      expect(out.map((r) => [r.key, r.value, r.timestamp])).toEqual([
        ['c1', 'gold|9', 1],
        ['c1', null, 2],
      ]);
    });

    it('forwards a tombstone when a count leaves the initial count the filter kept (the first old value is the initializer)', () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('clicks', strings)
        .groupByKey()
        .count()
        .filterNot((_k, c) => c % 2 === 1)
        .toStream()
        .to('even', { valueSerde: Serdes.json<number>() });
      using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
      const input = driver.createInputTopic<string, string>('clicks', strings);
      input.pipeInput('a', 'x', 1); // 0 -> 1: the initial 0 was kept, 1 is not
      input.pipeInput('a', 'x', 2); // 1 -> 2
      input.pipeInput('a', 'x', 3); // 2 -> 3
      expect(driver.createOutputTopic<string, number | null>('even').readKeyValuesToList()).toEqual([
        ['a', null],
        ['a', 2],
        ['a', null],
      ]);
    });

    it('drops an outer join row that fails before and after the update', () => {
      const builder = new StreamsBuilder();
      const left = builder.table<string, string>('left', strings);
      const right = builder.table<string, string>('right', strings);
      left
        .outerJoin(right, (l, r) => `${l}+${r}`)
        .filter((_k, v) => v.includes('x'))
        .toStream()
        .to('with-x', strings);
      using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
      driver.createInputTopic<string, string>('left', strings).pipeInput('a', 'yak', 1); // yak+null: fails
      driver.createInputTopic<string, string>('right', strings).pipeInput('a', 'zoo', 2); // yak+zoo: fails again
      driver.createInputTopic<string, string>('right', strings).pipeInput('a', 'box', 3); // yak+box: passes
      expect(driver.createOutputTopic<string, string | null>('with-x', strings).readKeyValuesToList()).toEqual([['a', 'yak+box']]);
    });

    it('drops it after a named (materialized) source table too, and forwards it after an unnamed one', () => {
      const builder = new StreamsBuilder();
      builder
        .table<string, Customer>('named', { name: 'named-customers' })
        .filter((_id, c) => c.spend >= 100)
        .toStream()
        .to('named-vips');
      builder
        .table<string, Customer>('unnamed')
        .filter((_id, c) => c.spend >= 100)
        .toStream()
        .to('unnamed-vips');
      using driver = new TopologyTestDriver(builder.build());
      driver.createInputTopic<string, Customer>('named').pipeInput('c2', bob('eu', 10));
      driver.createInputTopic<string, Customer>('unnamed').pipeInput('c2', bob('eu', 10));
      expect(driver.createOutputTopic<string, Customer | null>('named-vips').readKeyValuesToList()).toEqual([]);
      expect(driver.createOutputTopic<string, Customer | null>('unnamed-vips').readKeyValuesToList()).toEqual([['c2', null]]);
    });

    it('keeps a filtered-out session from moving a downstream suppression\'s stream time', () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('clicks', strings)
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 3))
        .count()
        .filter((_k, c) => c >= 2)
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('busy', { keySerde: WindowedSerdes.sessionWindowed(Serdes.string()), valueSerde: Serdes.json<number>() });
      using driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
      const input = driver.createInputTopic<string, string>('clicks', strings);
      input.pipeInput('a', 'x', 0);
      input.pipeInput('a', 'x', 2); // session a [0, 2] with 2 clicks: buffered until stream time 10
      input.pipeInput('b', 'x', 20); // b's single click is filtered out: nothing reaches the suppression
      const busy = driver.createOutputTopic('busy', { keySerde: WindowedSerdes.sessionWindowed(Serdes.string()), valueSerde: Serdes.json<number>() });
      expect(busy.readKeyValuesToList()).toEqual([]);
    });
  });
});
