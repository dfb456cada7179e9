import { describe, expect, it } from 'vitest';
import { StreamsBuilder, TopologyError } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Order {
  item: string;
  amount: number;
}

function topology(options: { name?: string } = {}) {
  const builder = new StreamsBuilder();
  builder
    .stream<string, Order>('orders')
    .filter((_customer, order) => order.amount > 100, options)
    .to('big-orders');
  return builder.build();
}

describe('KStream.filter', () => {
  it('keeps the records the predicate accepts, in order, with key, timestamp and headers', () => {
    using driver = new TopologyTestDriver(topology());
    const input = driver.createInputTopic<string, Order>('orders');
    const output = driver.createOutputTopic<string, Order>('big-orders');
    input.pipeInput('alice', { item: 'pen', amount: 5 }, 1_000);
    input.pipeInput('bob', { item: 'desk', amount: 300 }, 2_000, { source: 'web' });
    input.pipeInput('alice', { item: 'chair', amount: 150 }, 3_000);
    const records = output.readRecordsToList();
    expect(records.map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['bob', { item: 'desk', amount: 300 }, 2_000],
      ['alice', { item: 'chair', amount: 150 }, 3_000],
    ]);
    expect(records[0]!.headers).toEqual({ source: 'web' });
    expect(output.isEmpty()).toBe(true);
  });

  it('passes the key and the value to the predicate', () => {
    const seen: [string, number][] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('numbers')
      .filter((key, value) => {
        seen.push([key, value]);
        return key === 'keep';
      })
      .to('kept');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('numbers');
    input.pipeInput('keep', 1);
    input.pipeInput('drop', 2);
    expect(seen).toEqual([
      ['keep', 1],
      ['drop', 2],
    ]);
    expect(driver.createOutputTopic<string, number>('kept').readKeyValuesToList()).toEqual([['keep', 1]]);
  });

  it('treats a truthy result as a match', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('words')
      .filter((_k, word) => word.length as unknown as boolean)
      .to('non-empty');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, string>('words');
    input.pipeInput('a', '');
    input.pipeInput('b', 'x');
    expect(driver.createOutputTopic('non-empty').readValuesToList()).toEqual(['x']);
  });

  it('completes a dropped record at once: its offset is committable', () => {
    using driver = new TopologyTestDriver(topology());
    const input = driver.createInputTopic<string, Order>('orders');
    input.pipeInput('alice', { item: 'pen', amount: 5 });
    expect(driver.committedOffsets().get('orders')?.get(0)).toBe(1);
    input.pipeInput('alice', { item: 'pen', amount: 6 });
    expect(driver.committedOffsets().get('orders')?.get(0)).toBe(2);
    expect(driver.createOutputTopic('big-orders').isEmpty()).toBe(true);
  });

  it('is named KSTREAM-FILTER-<n> unless named', () => {
    expect(topology().describe().toString()).toContain('Processor: KSTREAM-FILTER-0000000001 (stores: [])');
    expect(topology({ name: 'big-only' }).describe().toString()).toContain('Processor: big-only (stores: [])');
  });

  it('rejects a predicate that is not a function when the topology is built', () => {
    const builder = new StreamsBuilder();
    expect(() => builder.stream('orders').filter(null as never)).toThrow(TopologyError);
    expect(() => builder.stream('others').filter('x' as never)).toThrow(/filter: predicate must be a function, got string/);
  });
});
