import { describe, expectTypeOf, it } from 'vitest';
import { JoinWindows, StreamsBuilder, type GlobalKTable, type KStream, type KTable } from '@tributary/core';

interface Order {
  customerId: string;
  sku: string;
}
interface Customer {
  segment: string;
}

describe('join types', () => {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Order>('orders');
  const customers = builder.table<string, Customer>('customers');
  const products: GlobalKTable<string, { price: number }> = builder.globalTable<string, { price: number }>('products');
  const windows = JoinWindows.ofTimeDifferenceWithNoGrace('5m');

  it('infers the joined value type; a missing side is typed null', () => {
    expectTypeOf(orders.join(customers, (order, customer) => ({ order, customer }))).toEqualTypeOf<KStream<string, { order: Order; customer: Customer }>>();
    orders.leftJoin(customers, (_order, customer) => expectTypeOf(customer).toEqualTypeOf<Customer | null>());
    orders.outerJoin(orders, (left, right, key) => {
      expectTypeOf(left).toEqualTypeOf<Order | null>();
      expectTypeOf(right).toEqualTypeOf<Order | null>();
      expectTypeOf(key).toEqualTypeOf<string>();
    }, windows);
    expectTypeOf(orders.join(products, (_id, order) => order.sku, (order, product) => product.price)).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(customers.join(customers, (a, b) => a.segment + b.segment)).toEqualTypeOf<KTable<string, string>>();
    expectTypeOf(customers.join(builder.table<number, Order>('by-number'), () => 1, (customer, order) => order.sku)).toEqualTypeOf<KTable<string, string>>();
  });

  it('rejects joining mismatched key types', () => {
    const byNumber = builder.table<number, Customer>('customers-by-number');
    // @ts-expect-error a KStream<string, ...> joins only tables keyed by string
    orders.join(byNumber, (order: Order, customer: Customer) => customer.segment);
    // @ts-expect-error the foreign key must be the other table's key type
    customers.join(byNumber, (customer: Customer) => customer.segment, (customer: Customer, other: Customer) => other.segment);
    // @ts-expect-error outer joins are for two streams
    orders.outerJoin(customers, () => 1);
  });
});
