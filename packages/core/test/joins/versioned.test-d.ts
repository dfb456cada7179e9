import { describe, expectTypeOf, it } from 'vitest';
import { Serdes, Stores, StreamsBuilder, type KStream, type KTable, type VersionedRecord } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Payment {
  currency: string;
  amount: number;
}
interface Rate {
  perEuro: number;
}

describe('versioned tables and the stream-table join grace period', () => {
  const builder = new StreamsBuilder();
  const payments = builder.stream<string, Payment>('payments');
  const ratesStore = Stores.versionedKeyValueStore('rates', { historyRetention: '1h' });

  it('a versioned store leaves the table types to the generics or the serdes', () => {
    expectTypeOf(builder.table<string, Rate>('rates', { store: ratesStore })).toEqualTypeOf<KTable<string, Rate>>();
    expectTypeOf(builder.table('rates', { valueSerde: Serdes.json<Rate>(), store: ratesStore })).toEqualTypeOf<KTable<string, Rate>>();
    expectTypeOf(payments.toTable({ store: Stores.versionedKeyValueStore('latest', { historyRetention: 60_000 }) })).toEqualTypeOf<KTable<string, Payment>>();
  });

  it('a join with a grace period infers the joined value; a left join types the table side as nullable', () => {
    const rates = builder.table<string, Rate>('rates', { store: ratesStore });
    expectTypeOf(payments.join(rates, (p, rate) => p.amount * rate.perEuro, { gracePeriod: '30s' })).toEqualTypeOf<KStream<string, number>>();
    payments.leftJoin(rates, (_p, rate) => expectTypeOf(rate).toEqualTypeOf<Rate | null>(), { gracePeriod: 500, name: 'priced' });
    // @ts-expect-error a grace period is a duration
    payments.join(rates, (p) => p, { gracePeriod: 'thirty seconds' });
  });

  it('only tables read from a topic or a stream take a versioned store', () => {
    // @ts-expect-error aggregations keep key-value stores
    payments.groupByKey().count({ store: ratesStore });
    // @ts-expect-error so do derived tables
    builder.table<string, Rate>('rates2').mapValues((r) => r.perEuro, { name: 'x', store: ratesStore });
  });

  it('the test driver reads a versioned store as of a timestamp', () => {
    const driver = new TopologyTestDriver(new StreamsBuilder().build());
    expectTypeOf(driver.getVersionedKeyValueStore<string, Rate>('rates').get('EUR', 10)).toEqualTypeOf<VersionedRecord<Rate> | undefined>();
    expectTypeOf(driver.getVersionedKeyValueStore<string, Rate>('rates').get('EUR')).toEqualTypeOf<VersionedRecord<Rate> | undefined>();
  });
});
