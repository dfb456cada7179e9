import { describe, expect, it } from 'vitest';
import { StreamsBuilder, Serdes } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('smoke', () => {
  it('filter, mapValues, groupBy, count through a repartition topic', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream<string, { item: string; amount: number }>('orders');
    orders.filter((_k, v) => v.amount > 10).mapValues((v) => v.amount * 2).to('big', { valueSerde: Serdes.number() });
    orders.groupBy((_k, v) => v.item).count({ name: 'per-item' }).toStream().to('counts');
    const topology = builder.build();
    console.log(topology.describe().toString());
    const driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, { item: string; amount: number }>('orders');
    input.pipeInput('c1', { item: 'a', amount: 5 });
    input.pipeInput('c2', { item: 'a', amount: 50 });
    input.pipeInput('c1', { item: 'b', amount: 20 });
    expect(driver.createOutputTopic('big').readKeyValuesToList()).toEqual([['c2', 100], ['c1', 40]]);
    expect(driver.createOutputTopic('counts').readKeyValuesToList()).toEqual([['a', 1], ['a', 2], ['b', 1]]);
    expect(driver.getKeyValueStore('per-item').get('a')).toBe(2);
  });
});
