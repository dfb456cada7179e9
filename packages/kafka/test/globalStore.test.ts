import { Stores, type KeyValueStore, type ProcessorContext } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

interface Product {
  price: number;
}

describe('KafkaStreams with a custom global store (addGlobalStore, on a fake Kafka)', () => {
  it('rebuilds the store through its processor on start, keeps it updated, and lets stream tasks read it', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('products', 2);
    kafka.createTopic('orders', 2);
    kafka.createTopic('priced', 2);
    // Already on the topic before the start: the processor sees them during the bootstrap
    // (Kafka Streams 4.x reprocesses an addGlobalStore topic through its processor on restore).
    kafka.append('products', 'p1', { price: 10 });
    kafka.append('products', 'p2', { price: 20 });
    kafka.append('products', 'p2', null);
    const seenByUpdater: string[] = [];
    await using streams = app(kafka, (b) => {
      b.addGlobalStore<string, Product | null>(Stores.keyValueStore('prices'), 'products', {}, () => {
        let prices: KeyValueStore<string, number>;
        return {
          init: (context) => (prices = context.getStateStore('prices')),
          process: (record) => {
            seenByUpdater.push(record.key);
            // Doubled on the way in: proves the processor, not a raw copy of the topic, fills the store.
            if (record.value === null) prices.delete(record.key);
            else prices.put(record.key, record.value.price * 2, record.timestamp);
          },
        };
      });
      b.stream<string, { sku: string }>('orders')
        .process<string, number | null>(() => {
          let context: ProcessorContext<string, number | null>;
          let prices: KeyValueStore<string, number>;
          return {
            init: (c) => {
              context = c;
              prices = c.getStateStore('prices');
            },
            process: (order) => context.forward({ key: order.key, value: prices.get(order.value.sku) ?? null }),
          };
        })
        .to('priced');
    });
    await streams.start();
    expect(seenByUpdater.sort()).toEqual(['p1', 'p2', 'p2']);
    expect(streams.store<string, number>('prices').all()).toEqual([['p1', 20]]);
    kafka.append('orders', 'o1', { sku: 'p1' });
    await until(() => kafka.read('priced').length === 1, 'the first order');
    expect(kafka.read('priced')[0]!.value).toBe(20);
    kafka.append('products', 'p1', { price: 11 });
    await until(() => streams.store<string, number>('prices').get('p1') === 22, 'the price update');
    kafka.append('orders', 'o2', { sku: 'p1' });
    await until(() => kafka.read('priced').length === 2, 'the second order');
    expect(kafka.read('priced').map((r) => r.value)).toContain(22);
    // The store is the topic's: no changelog topic is written for it.
    expect(kafka.configs.has('app-prices-changelog')).toBe(false);
  });
});
