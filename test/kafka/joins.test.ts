// Joins and windows end to end on a real broker: a stream-table join through a repartition
// topic, a stream-globalTable join, and a one-minute windowed count that survives a restart.
import { StreamsBuilder, TimeWindows } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor } from '../harness';
import { latestByKey, listTopics, partitionCount, readJson, startApp, waitForProcessed, waitForState } from './support';

interface Order {
  id: number;
  customer: string;
  sku: string;
  amount: number;
}
interface Customer {
  name: string;
  tier: string;
}

const orders = (n: number, from = 0): Order[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, customer: `c${(from + i) % 17}`, sku: `s${(from + i) % 5}`, amount: (from + i) % 90 }));

describe('joins and windows on Kafka', () => {
  it('joins a re-keyed stream with a table through a repartition topic co-partitioned with the table', async () => {
    const ordersTopic = uniqueName('orders');
    const customersTopic = uniqueName('customers');
    const output = uniqueName('enriched');
    await createTopic(ordersTopic, 2);
    await createTopic(customersTopic, 4);
    await createTopic(output, 4);
    const builder = new StreamsBuilder();
    const customers = builder.table<string, Customer>(customersTopic, { name: 'customers' });
    builder
      .stream<string, Order>(ordersTopic) // keyed by order id
      .selectKey((_id, order) => order.customer)
      .join(customers, (order, customer) => ({ id: order.id, name: customer.name, tier: customer.tier }), { name: 'orders-by-customer' })
      .to(output);
    await produce(
      customersTopic,
      Array.from({ length: 17 }, (_, i) => ({ key: `c${i}`, value: JSON.stringify({ name: `Customer ${i}`, tier: i % 3 === 0 ? 'gold' : 'basic' }) })),
    );
    await using app = await startApp(builder.build());
    await waitForState(app, 'RUNNING');
    await waitFor(() => app.store('customers').approximateNumEntries() === 17, { timeoutMs: 30_000, description: 'the customers table to load' });

    const repartition = (await listTopics()).find((t) => t.startsWith(app.applicationId) && t.endsWith('-repartition'))!;
    expect(repartition).toBeDefined();
    // Sized like the table's topic (4), not like the orders topic (2): co-partitioned.
    expect(await partitionCount(repartition)).toBe(4);

    const all = orders(500);
    await produce(ordersTopic, all.map((o) => ({ key: String(o.id), value: JSON.stringify(o) })));
    const out = await readJson<{ id: number; name: string; tier: string }>(output, all.length);
    expect(out.map((m) => m.json.id).sort((a, b) => a - b)).toEqual(all.map((o) => o.id));
    for (const m of out) {
      const order = all[m.json.id]!;
      expect(m.text).toBe(order.customer);
      expect(m.json.name).toBe(`Customer ${order.customer.slice(1)}`);
    }
  });

  it('joins a stream with a global table that every instance reads in full', async () => {
    const ordersTopic = uniqueName('orders');
    const productsTopic = uniqueName('products');
    const output = uniqueName('priced');
    await createTopic(ordersTopic, 3);
    await createTopic(productsTopic, 2); // not co-partitioned: a global table does not need it
    await createTopic(output, 3);
    await produce(productsTopic, Array.from({ length: 5 }, (_, i) => ({ key: `s${i}`, value: JSON.stringify({ price: 10 * (i + 1) }) })));
    const builder = new StreamsBuilder();
    const products = builder.globalTable<string, { price: number }>(productsTopic, { name: 'products' });
    builder
      .stream<string, Order>(ordersTopic)
      .join(products, (_id, order) => order.sku, (order, product) => ({ id: order.id, total: order.amount * product.price }))
      .to(output);
    await using app = await startApp(builder.build());
    // The global table is loaded before any stream task runs.
    expect(app.store<string, { price: number }>('products').get('s4')).toEqual({ price: 50 });

    const first = orders(200);
    await produce(ordersTopic, first.map((o) => ({ key: String(o.id), value: JSON.stringify(o) })));
    await readJson(output, first.length);
    // An update to the global table reaches the running instance.
    await produce(productsTopic, [{ key: 's0', value: JSON.stringify({ price: 1_000 }) }]);
    await waitFor(() => app.store<string, { price: number }>('products').get('s0')?.price === 1_000, { timeoutMs: 30_000, description: 'the price update' });
    const second = orders(50, 200);
    await produce(ordersTopic, second.map((o) => ({ key: String(o.id), value: JSON.stringify(o) })));
    const out = await readJson<{ id: number; total: number }>(output, first.length + second.length);
    const byId = new Map(out.map((m) => [m.json.id, m.json.total]));
    for (const o of [...first, ...second]) {
      const price = o.sku === 's0' && o.id >= 200 ? 1_000 : 10 * (Number(o.sku.slice(1)) + 1);
      expect(byId.get(o.id)).toBe(o.amount * price);
    }
  });

  it('counts per key and one-minute window, and keeps counting after a restart from the changelog', async () => {
    const input = uniqueName('clicks');
    const output = uniqueName('clicks-per-minute');
    await createTopic(input, 2);
    await createTopic(output, 2);
    const applicationId = uniqueName('windowed-app');
    const topology = () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, { page: string }>(input)
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))
        .count({ name: 'clicks-per-minute' })
        .toStream()
        .map((windowed, count) => [`${windowed.key}@${windowed.window.start}`, count] as const)
        .to(output);
      return builder.build();
    };
    // Recent event times: the broker's time-based retention would delete records from long ago.
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    // Four users, clicks spread over five minutes, in timestamp order per user.
    const clicks = Array.from({ length: 400 }, (_, i) => ({ user: `u${i % 4}`, at: base + Math.floor(i / 4) * 3_000 }));
    const expected = new Map<string, number>();
    for (const c of clicks) {
      const key = `${c.user}@${c.at - (c.at % 60_000)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const toMessages = (list: typeof clicks) => list.map((c) => ({ key: c.user, value: JSON.stringify({ page: 'home' }), timestamp: String(c.at) }));

    {
      await using app = await startApp(topology(), { applicationId });
      await produce(input, toMessages(clicks.slice(0, 200)));
      await waitForProcessed(app, 200);
    }
    await using app = await startApp(topology(), { applicationId });
    await produce(input, toMessages(clicks.slice(200)));
    await waitForProcessed(app, 200);
    const out = await readJson<number>(output, clicks.length);
    expect(latestByKey(out)).toEqual(expected);
    // Interactive query on the window store, restored and then updated. It retains the windows
    // of the last size + grace (one minute) of stream time: each user's latest window.
    const windows = app.windowStore<string, number>('clicks-per-minute');
    const latestStart = Math.max(...[...expected.keys()].map((k) => Number(k.split('@')[1])));
    for (let u = 0; u < 4; u++) expect(windows.fetch(`u${u}`, latestStart)).toBe(expected.get(`u${u}@${latestStart}`));
    expect(windows.fetch('u0', latestStart - 4 * 60_000)).toBeUndefined();
    expect(app.metrics().restore.some((r) => r.store === 'clicks-per-minute' && r.total > 0)).toBe(true);
    expect(app.metrics().droppedRecords).toBe(0);
  });
});
