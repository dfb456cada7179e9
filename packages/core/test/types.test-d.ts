import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  JoinWindows,
  Serdes,
  Stores,
  StreamsBuilder,
  type BranchedKStream,
  type KGroupedStream,
  type KGroupedTable,
  type KStream,
  type KTable,
  type ProcessorContext,
  type ReadOnlyKeyValueStore,
  type Serde,
  type SerdeType,
} from '@tributary/core';
import { TopologyTestDriver, type TestInputTopic, type TestOutputTopic } from '@tributary/core/testing';

interface Interaction {
  customer: string;
  channel: 'web' | 'app';
  amount: number;
}
interface Purchase extends Interaction {
  kind: 'purchase';
}

const builder = new StreamsBuilder();
const interactions = builder.stream<string, Interaction>('interactions');

describe('KStream types', () => {
  it('flow from the source through mapValues', () => {
    expectTypeOf(interactions).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(interactions.mapValues((i) => i.amount)).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(interactions.mapValues((i, key) => `${key}:${i.channel}`)).toEqualTypeOf<KStream<string, string>>();
    expectTypeOf(interactions.mapValuesAsync(async (i) => i.amount > 10)).toEqualTypeOf<KStream<string, boolean>>();
  });

  it('are inferred from the serdes of a source', () => {
    expectTypeOf(builder.stream('a', { valueSerde: Serdes.json<Interaction>() })).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(builder.stream('b', { keySerde: Serdes.number(), valueSerde: Serdes.string() })).toEqualTypeOf<KStream<number, string>>();
    expectTypeOf(builder.stream('c', { valueSerde: Serdes.buffer() })).toEqualTypeOf<KStream<string, Buffer>>();
    expectTypeOf(builder.stream('d')).toEqualTypeOf<KStream<string, unknown>>();
    const Schema = z.object({ customer: z.string(), amount: z.number() });
    expectTypeOf(builder.stream('e', { valueSerde: Serdes.json(Schema) })).toEqualTypeOf<KStream<string, { customer: string; amount: number }>>();
    expectTypeOf<SerdeType<Serde<Interaction>>>().toEqualTypeOf<Interaction>();
  });

  it('follow map returning a [key, value] tuple, flatMap, flatMapValues and selectKey', () => {
    expectTypeOf(interactions.map((_k, i) => [i.customer, i.amount] as const)).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(interactions.map((_k, i) => [i.amount, i.channel])).toEqualTypeOf<KStream<number, 'web' | 'app'>>();
    expectTypeOf(interactions.flatMap((k, i) => [[i.channel, k] as const])).toEqualTypeOf<KStream<'web' | 'app', string>>();
    expectTypeOf(interactions.flatMapValues((i) => [i.amount, i.amount])).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(interactions.selectKey((_k, i) => i.channel)).toEqualTypeOf<KStream<'web' | 'app', Interaction>>();
    // @ts-expect-error map must return a pair, not a bare value
    interactions.map((_k, i) => i.amount);
  });

  it('narrow with a type-guard filter and keep the type otherwise', () => {
    const purchases = builder.stream<string, Interaction | Purchase>('mixed').filter((_k, i): i is Purchase => 'kind' in i);
    expectTypeOf(purchases).toEqualTypeOf<KStream<string, Purchase>>();
    expectTypeOf(interactions.filter((_k, i) => i.amount > 0)).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(interactions.filterNot((_k, i) => i.amount > 0)).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(interactions.peek(() => {})).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(interactions.foreach(() => {})).toEqualTypeOf<void>();
  });

  it('give callbacks (key, value) or (value, key) as the design says', () => {
    interactions.filter((key, value) => {
      expectTypeOf(key).toEqualTypeOf<string>();
      expectTypeOf(value).toEqualTypeOf<Interaction>();
      return true;
    });
    interactions.mapValues((value, key) => {
      expectTypeOf(value).toEqualTypeOf<Interaction>();
      expectTypeOf(key).toEqualTypeOf<string>();
      return 0;
    });
  });

  it('merge only streams of the same key and value types', () => {
    expectTypeOf(interactions.merge(builder.stream<string, Interaction>('more'))).toEqualTypeOf<KStream<string, Interaction>>();
    // @ts-expect-error a stream of numbers cannot merge into a stream of interactions
    interactions.merge(builder.stream<string, number>('numbers'));
  });

  it('split into a record of streams of the same types', () => {
    expectTypeOf(interactions.split()).toEqualTypeOf<BranchedKStream<string, Interaction>>();
    expectTypeOf(interactions.split().branch((_k, i) => i.amount > 0).defaultBranch()).toEqualTypeOf<Record<string, KStream<string, Interaction>>>();
  });

  it('check sink serdes and topic functions against the stream types', () => {
    interactions.mapValues((i) => i.amount).to('amounts', { valueSerde: Serdes.number() });
    // @ts-expect-error a number serde cannot write interactions
    interactions.to('x', { valueSerde: Serdes.number() });
    interactions.to((key, value, record) => {
      expectTypeOf(key).toEqualTypeOf<string>();
      expectTypeOf(value).toEqualTypeOf<Interaction>();
      expectTypeOf(record.timestamp).toEqualTypeOf<number>();
      return value.channel;
    });
  });

  it('have no aggregations before a grouping', () => {
    // @ts-expect-error reduce needs groupByKey() or groupBy() first
    interactions.reduce((a: Interaction) => a);
    // @ts-expect-error count needs a grouping too
    interactions.count();
  });

  it('type a custom processor by its supplier', () => {
    const out = interactions.process<string, number>(
      () => {
        let ctx: ProcessorContext<string, number>;
        return {
          init: (context) => {
            ctx = context;
          },
          process: (record) => {
            expectTypeOf(record.value).toEqualTypeOf<Interaction>();
            ctx.forward({ key: record.key, value: record.value.amount });
            // @ts-expect-error the processor forwards numbers
            ctx.forward({ key: record.key, value: 'text' });
          },
        };
      },
      { stores: [Stores.keyValueStore<string, number>('s')] },
    );
    expectTypeOf(out).toEqualTypeOf<KStream<string, number>>();
  });
});

describe('grouping and aggregation types', () => {
  it('groupByKey keeps the key; groupBy takes the selector result as key', () => {
    expectTypeOf(interactions.groupByKey()).toEqualTypeOf<KGroupedStream<string, Interaction>>();
    const byChannel = interactions.groupBy((_k, i) => i.channel);
    expectTypeOf(byChannel).toEqualTypeOf<KGroupedStream<'web' | 'app', Interaction>>();
    expectTypeOf(byChannel.count()).toEqualTypeOf<KTable<'web' | 'app', number>>();
    expectTypeOf(interactions.groupBy((_k, i) => i.amount).count()).toEqualTypeOf<KTable<number, number>>();
  });

  it('reduce keeps the value type; aggregate takes the initializer type', () => {
    const grouped = interactions.mapValues((i) => i.amount).groupByKey();
    expectTypeOf(grouped.reduce((a, b) => a + b)).toEqualTypeOf<KTable<string, number>>();
    const baskets = interactions.groupByKey().aggregate(
      () => ({ total: 0, channels: [] as string[] }),
      (key, value, agg) => {
        expectTypeOf(key).toEqualTypeOf<string>();
        expectTypeOf(value).toEqualTypeOf<Interaction>();
        return { total: agg.total + value.amount, channels: [...agg.channels, value.channel] };
      },
    );
    expectTypeOf(baskets).toEqualTypeOf<KTable<string, { total: number; channels: string[] }>>();
    // @ts-expect-error the reducer must return the value type
    grouped.reduce(() => 'text');
  });
});

describe('KTable types', () => {
  const customers = builder.table<string, Interaction>('customers');

  it('follow filter, mapValues and toStream', () => {
    expectTypeOf(customers).toEqualTypeOf<KTable<string, Interaction>>();
    expectTypeOf(customers.filter((_k, c) => c.amount > 0)).toEqualTypeOf<KTable<string, Interaction>>();
    expectTypeOf(customers.mapValues((c) => c.channel)).toEqualTypeOf<KTable<string, 'web' | 'app'>>();
    expectTypeOf(customers.toStream()).toEqualTypeOf<KStream<string, Interaction>>();
    expectTypeOf(interactions.toTable()).toEqualTypeOf<KTable<string, Interaction>>();
    expectTypeOf(builder.table('t', { valueSerde: Serdes.number() })).toEqualTypeOf<KTable<string, number>>();
  });

  it('regroup with groupBy into the selected key and value types, aggregated with adder and subtractor', () => {
    const grouped = customers.groupBy((_id, c) => [c.channel, c.amount] as const);
    expectTypeOf(grouped).toEqualTypeOf<KGroupedTable<'web' | 'app', number>>();
    expectTypeOf(grouped.count()).toEqualTypeOf<KTable<'web' | 'app', number>>();
    expectTypeOf(
      grouped.reduce(
        (a, b) => a + b,
        (a, b) => a - b,
      ),
    ).toEqualTypeOf<KTable<'web' | 'app', number>>();
    expectTypeOf(
      grouped.aggregate(
        () => [] as number[],
        (_channel, amount, all) => [...all, amount],
        (_channel, amount, all) => all.filter((a) => a !== amount),
      ),
    ).toEqualTypeOf<KTable<'web' | 'app', number[]>>();
    // @ts-expect-error a KTable has no groupByKey
    customers.groupByKey();
  });
});

describe('join types', () => {
  const amounts = builder.stream<string, number>('amounts');
  const customers = builder.table<string, { tier: string }>('customer-tiers');
  const byNumber = builder.stream<number, number>('by-number');
  const tableByNumber = builder.table<number, { tier: string }>('tiers-by-number');

  it('type the joined value from the joiner', () => {
    expectTypeOf(interactions.join(amounts, (i, amount) => i.amount + amount, JoinWindows.ofTimeDifferenceWithNoGrace('5m'))).toEqualTypeOf<KStream<string, number>>();
    expectTypeOf(interactions.join(customers, (i, c, key) => `${key}:${c.tier}:${i.amount}`)).toEqualTypeOf<KStream<string, string>>();
    expectTypeOf(interactions.leftJoin(customers, (_i, c) => c?.tier ?? 'none')).toEqualTypeOf<KStream<string, string>>();
  });

  it('reject joining streams or tables with mismatched key types at compile time', () => {
    // @ts-expect-error a KStream<number, _> cannot join a KStream<string, _>
    interactions.join(byNumber, (i, n) => i.amount + n, JoinWindows.ofTimeDifferenceWithNoGrace('5m'));
    // @ts-expect-error a KTable<number, _> cannot join a KStream<string, _>
    interactions.join(tableByNumber, (i, t) => `${i.amount}${t.tier}`);
    // @ts-expect-error a KTable<number, _> cannot join a KTable<string, _>
    customers.join(tableByNumber, (a, b) => a.tier + b.tier);
  });
});

describe('TopologyTestDriver types', () => {
  it('type input and output topics and stores by their type arguments', () => {
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Interaction>('interactions');
    expectTypeOf(input).toEqualTypeOf<TestInputTopic<string, Interaction>>();
    // @ts-expect-error the topic takes interactions
    input.pipeInput('k', 42);
    input.pipeInput('k', null);
    const output = driver.createOutputTopic<string, number>('out');
    expectTypeOf(output).toEqualTypeOf<TestOutputTopic<string, number>>();
    expectTypeOf(output.readKeyValue()).toEqualTypeOf<readonly [key: string, value: number]>();
    expectTypeOf(driver.getKeyValueStore<string, number>('s')).toMatchTypeOf<ReadOnlyKeyValueStore<string, number>>();
  });
});
