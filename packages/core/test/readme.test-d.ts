// The TypeScript examples of the root README and of packages/core/README.md, as they are written
// there, so that they keep compiling. (The root README's `new KafkaStreams(...)` line is left
// out: @tributary/kafka is not a dependency of core.)
import { describe, expectTypeOf, it } from 'vitest';
import {
  EmitStrategy,
  JoinWindows,
  Serdes,
  SessionWindows,
  Stores,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type KStream,
  type KTable,
  type Topology,
  type Windowed,
} from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('README.md', () => {
  it('a topology, and its unit test', () => {
    interface Interaction {
      customerId: string;
      amount: number;
      country: string;
    }

    const builder = new StreamsBuilder();
    const interactions = builder.stream('customer_interactions', { valueSerde: Serdes.json<Interaction>() });

    const counts = interactions
      .filter((_customer, i) => i.amount > 0)
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace('10m').advanceBy('1m'))
      .count({ name: 'purchases-per-10m' });
    counts
      .toStream()
      .filter((_window, count) => count !== null && count > 20)
      .to('fraud_alerts', { keySerde: Serdes.json() });

    const topology = builder.build();
    expectTypeOf(interactions).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(counts).toEqualTypeOf<KTable<Windowed<string>, number>>();
    expectTypeOf(topology).toEqualTypeOf<Topology>();

    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, Interaction>('customer_interactions');
    input.pipeInput('c1', { customerId: 'c1', amount: 25, country: 'UK' }, Date.parse('2011-01-01T10:00:00Z'));
  });
});

describe('packages/core/README.md', () => {
  it('overview and usage', () => {
    interface Interaction {
      customer: string;
      channel: 'web' | 'app' | 'store';
      amount: number;
    }

    const builder = new StreamsBuilder();
    const interactions = builder.stream('customer_interactions', { valueSerde: Serdes.json<Interaction>() });

    const spend = interactions
      .filter((_id, i) => i.amount > 0)
      .groupBy((_id, i) => i.customer)
      .aggregate(() => 0, (_customer, i, total) => total + i.amount, { name: 'spend' });
    spend.toStream().to('customer_spend', { valueSerde: Serdes.number() });
    expectTypeOf(spend).toEqualTypeOf<KTable<string, number>>();

    const topology = builder.build();
    expectTypeOf(topology.describe().toString()).toBeString();
    expectTypeOf(topology.describe().toMermaid()).toBeString();

    using driver = new TopologyTestDriver(topology);
    driver.createInputTopic<string, Interaction>('customer_interactions').pipeInput('i1', { customer: 'ann', channel: 'web', amount: 30 });
    expectTypeOf(driver.getKeyValueStore<string, number>('spend').get('ann')).toEqualTypeOf<number | undefined>();
  });

  it('joins', () => {
    interface Order {
      customerId: string;
      sku: string;
      amount: number;
    }
    interface Payment {
      at: number;
    }
    interface Customer {
      segment: string;
      segmentId: string;
    }
    interface Product {
      price: number;
    }
    interface Address {
      city: string;
    }
    interface Segment {
      label: string;
    }

    const builder = new StreamsBuilder();
    const orders = builder.stream<string, Order>('orders');
    const payments = builder.stream<string, Payment>('payments');
    const customers = builder.table<string, Customer>('customers', { name: 'customers' });
    const products = builder.globalTable<string, Product>('products');

    const paid = orders.leftJoin(payments, (order, payment) => ({ order, paid: payment !== null }), JoinWindows.ofTimeDifferenceAndGrace('10m', '1m'));
    const enriched = orders.selectKey((_id, order) => order.customerId).join(customers, (order, customer) => ({ ...order, segment: customer.segment }));
    const priced = orders.leftJoin(products, (_id, order) => order.sku, (order, product) => ({ ...order, price: product?.price ?? null }));
    const withAddress = customers.join(builder.table<string, Address>('addresses'), (customer, address) => ({ ...customer, address }));
    const withSegment = customers.join(
      builder.table<string, Segment>('segments'),
      (customer) => customer.segmentId,
      (customer, segment) => ({ ...customer, segment }),
    );

    expectTypeOf(paid).toEqualTypeOf<KStream<string, { order: Order; paid: boolean }>>();
    expectTypeOf(enriched).toEqualTypeOf<KStream<string, { customerId: string; sku: string; amount: number; segment: string }>>();
    expectTypeOf(priced).toEqualTypeOf<KStream<string, { customerId: string; sku: string; amount: number; price: number | null }>>();
    expectTypeOf(withAddress).toEqualTypeOf<KTable<string, { segment: string; segmentId: string; address: Address }>>();
    expectTypeOf(withSegment).toEqualTypeOf<KTable<string, { segment: Segment; segmentId: string }>>();
  });

  it('versioned tables', () => {
    const builder = new StreamsBuilder();
    const rates = builder.table<string, number>('fx-rates', { store: Stores.versionedKeyValueStore('rates', { historyRetention: '1h' }) });
    builder
      .stream<string, { currency: string; amount: number }>('payments')
      .selectKey((_id, payment) => payment.currency)
      .join(rates, (payment, rate) => payment.amount * rate, { gracePeriod: '30s' })
      .to('payments-in-euro');
    expectTypeOf(rates).toEqualTypeOf<KTable<string, number>>();
  });

  it('windows', () => {
    const builder = new StreamsBuilder();
    const payments = builder.stream<string, { amount: number }>('payments').groupByKey();

    payments.windowedBy(TimeWindows.ofSizeAndGrace('1m', '10s')).count({ name: 'per-minute' }).toStream().to('per-minute');
    payments.windowedBy(TimeWindows.ofSizeAndGrace('1m', '10s')).emitStrategy(EmitStrategy.onWindowClose()).count().toStream().to('per-minute-final');
    const visits = payments
      .windowedBy(SessionWindows.ofInactivityGapAndGrace('30m', '5m'))
      .aggregate(() => 0, (_customer, p, total) => total + p.amount, (_customer, a, b) => a + b, { name: 'visits' })
      .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    visits.toStream().to('visit-totals');
    expectTypeOf(visits).toEqualTypeOf<KTable<Windowed<string>, number>>();

    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, { amount: number }>('payments').pipeInput('ann', { amount: 30 }, 61_000);
    expectTypeOf(driver.getWindowStore<string, number>('per-minute').fetch('ann', 60_000)).toEqualTypeOf<number | undefined>();
    expectTypeOf(driver.getWindowStore<string, number>('per-minute').fetch('ann', 0, 120_000)).toEqualTypeOf<(readonly [number, number])[]>();
    expectTypeOf(driver.getSessionStore<string, number>('visits').fetch('ann')).toEqualTypeOf<(readonly [Windowed<string>, number])[]>();
  });
});
