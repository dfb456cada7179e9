import { describe, expectTypeOf, it } from 'vitest';
import {
  Printed,
  SessionWindows,
  SlidingWindows,
  Stores,
  StreamsBuilder,
  TimeWindows,
  type CogroupedKStream,
  type FixedKeyProcessorContext,
  type FixedKeyRecord,
  type KStream,
  type KTable,
  type SessionWindowedCogroupedKStream,
  type TimeWindowedCogroupedKStream,
  type Windowed,
} from '@tributary/core';

interface Click {
  page: string;
}
interface Payment {
  amount: number;
}
interface Activity {
  clicks: number;
  spend: number;
}

describe('cogroup types', () => {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, Click>('clicks').groupByKey();
  const payments = builder.stream<string, Payment>('payments').groupByKey();

  it('takes the aggregate type from the first aggregator; each input keeps its own value type', () => {
    const cogrouped = clicks.cogroup((key, click, activity: Activity) => {
      expectTypeOf(key).toEqualTypeOf<string>();
      expectTypeOf(click).toEqualTypeOf<Click>();
      return { ...activity, clicks: activity.clicks + 1 };
    });
    expectTypeOf(cogrouped).toEqualTypeOf<CogroupedKStream<string, Activity>>();
    const both = cogrouped.cogroup(payments, (key, payment, activity) => {
      expectTypeOf(key).toEqualTypeOf<string>();
      expectTypeOf(payment).toEqualTypeOf<Payment>();
      expectTypeOf(activity).toEqualTypeOf<Activity>();
      return { ...activity, spend: activity.spend + payment.amount };
    });
    expectTypeOf(both.aggregate(() => ({ clicks: 0, spend: 0 }))).toEqualTypeOf<KTable<string, Activity>>();
  });

  it('takes an explicit aggregate type too', () => {
    expectTypeOf(clicks.cogroup<number>((_k, _click, n) => n + 1).aggregate(() => 0)).toEqualTypeOf<KTable<string, number>>();
  });

  it('gives windowed tables keyed by Windowed<K>', () => {
    const cogrouped = clicks.cogroup((_k, _click, n: number) => n + 1).cogroup(payments, (_k, p, n) => n + p.amount);
    expectTypeOf(cogrouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10))).toEqualTypeOf<TimeWindowedCogroupedKStream<string, number>>();
    expectTypeOf(cogrouped.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10)).aggregate(() => 0)).toEqualTypeOf<KTable<Windowed<string>, number>>();
    const sessions = cogrouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10));
    expectTypeOf(sessions).toEqualTypeOf<SessionWindowedCogroupedKStream<string, number>>();
    expectTypeOf(sessions.aggregate(() => 0, (_k, a, b) => a + b)).toEqualTypeOf<KTable<Windowed<string>, number>>();
  });

  it('rejects mismatched keys and aggregates', () => {
    const byNumber = builder.stream<number, Payment>('by-number').groupByKey();
    const cogrouped = clicks.cogroup((_k, _click, n: number) => n + 1);
    // @ts-expect-error the inputs of a cogroup share the key type
    cogrouped.cogroup(byNumber, (_k: number, p: Payment, n: number) => n + p.amount);
    // @ts-expect-error every aggregator returns the aggregate type
    cogrouped.cogroup(payments, (_k, p) => `${p.amount}`);
    // @ts-expect-error the initializer returns the aggregate type
    cogrouped.aggregate(() => 'zero');
  });
});

describe('processValues, print and addGlobalStore types', () => {
  const builder = new StreamsBuilder();
  const orders = builder.stream<string, Payment>('orders');

  it('keeps the key type and takes the new value type', () => {
    const amounts = orders.processValues<number>(() => {
      let context: FixedKeyProcessorContext<string, number>;
      return {
        init: (c) => (context = c),
        process: (record) => {
          expectTypeOf(record).toEqualTypeOf<FixedKeyRecord<string, Payment>>();
          context.forward(record.withValue(record.value.amount));
        },
      };
    });
    expectTypeOf(amounts).toEqualTypeOf<KStream<string, number>>();
  });

  it('forwards only fixed-key records of the declared value type', () => {
    orders.processValues<number>(() => {
      let context: FixedKeyProcessorContext<string, number>;
      return {
        init: (c) => (context = c),
        process: (record) => {
          // @ts-expect-error a plain record could change the key: only record.withValue(...) is accepted
          context.forward({ key: 'other', value: 1, timestamp: 0 });
          // @ts-expect-error the value must be a number
          context.forward(record.withValue('one'));
        },
      };
    });
  });

  it('prints with the stream types', () => {
    orders.print(Printed.toSysOut());
    orders.print(Printed.toFunction<string, Payment>(() => {}).withKeyValueMapper((key, payment) => `${key}: ${payment.amount}`));
    // @ts-expect-error the mapper sees the stream's value type
    orders.print(Printed.toFunction<string, Click>(() => {}).withKeyValueMapper((_key, click) => click.page));
  });

  it('infers the global topic types from the serdes or the processor', () => {
    builder.addGlobalStore(Stores.keyValueStore('prices'), 'prices', {}, () => ({
      process: (record: { key: string; value: Payment }) => expectTypeOf(record.value).toEqualTypeOf<Payment>(),
    }));
    builder.addGlobalStore<string, Payment>(Stores.keyValueStore('rates'), 'rates', {}, () => ({
      process: (record) => expectTypeOf(record.value).toEqualTypeOf<Payment>(),
    }));
  });
});
