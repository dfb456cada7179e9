// The Kafka Streams 4.x DSL additions on a real broker: a cogroup's shared store and a
// versioned table (with a grace-period join buffer) are logged to changelogs and restored by
// a new instance, which goes on from the exact state.
import { Serdes, Stores, StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName } from '../harness';
import { readJson, startApp, topicConfig, waitForProcessed } from './support';

describe('DSL additions on Kafka', () => {
  it('a cogroup of two streams keeps one total per customer across a restart', async () => {
    const purchases = uniqueName('cg-purchases');
    const refunds = uniqueName('cg-refunds');
    const output = uniqueName('cg-balance');
    await Promise.all([createTopic(purchases, 2), createTopic(refunds, 2), createTopic(output, 2)]);
    const applicationId = uniqueName('cogroup-app');
    const topology = () => {
      const builder = new StreamsBuilder();
      const bought = builder.stream<string, number>(purchases, { valueSerde: Serdes.json<number>() }).groupByKey();
      const refunded = builder.stream<string, number>(refunds, { valueSerde: Serdes.json<number>() }).groupByKey();
      bought
        .cogroup<number>((_customer, amount, balance) => balance + amount)
        .cogroup(refunded, (_customer, amount, balance) => balance - amount)
        .aggregate(() => 0, { name: 'balances' })
        .toStream()
        .to(output);
      return builder.build();
    };
    const send = (topic: string, records: [string, number][]) => produce(topic, records.map(([key, value]) => ({ key, value: JSON.stringify(value) })));
    await send(purchases, [['ann', 10], ['bob', 5], ['ann', 7]]);
    await send(refunds, [['ann', 3]]);
    {
      await using app = await startApp(topology(), { applicationId });
      await expectLatest(output, 4, { ann: 14, bob: 5 });
      expect(app.store<string, number>('balances').get('ann')).toBe(14);
    }
    // A new instance restores the shared store from its changelog and goes on from 14.
    await send(refunds, [['ann', 4]]);
    {
      await using app = await startApp(topology(), { applicationId });
      await expectLatest(output, 5, { ann: 10, bob: 5 });
      expect(app.store<string, number>('balances').get('bob')).toBe(5);
    }
  });

  it('a versioned table joined with a grace period: history and buffer survive a restart', async () => {
    const rates = uniqueName('v-rates');
    const payments = uniqueName('v-payments');
    const output = uniqueName('v-converted');
    await Promise.all([createTopic(rates, 1), createTopic(payments, 1), createTopic(output, 1)]);
    const applicationId = uniqueName('versioned-app');
    const topology = () => {
      const builder = new StreamsBuilder();
      const rateTable = builder.table<string, number>(rates, {
        valueSerde: Serdes.json<number>(),
        store: Stores.versionedKeyValueStore('rates', { historyRetention: '1h' }),
      });
      builder
        .stream<string, number>(payments, { valueSerde: Serdes.json<number>() })
        .join(rateTable, (amount, rate) => amount * rate, { gracePeriod: '10s', name: 'convert' })
        .to(output);
      return builder.build();
    };
    const at = (topic: string, key: string, value: number, timestamp: number) => produce(topic, [{ key, value: JSON.stringify(value), timestamp: String(timestamp) }]);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    await at(rates, 'usd', 2, t0);
    await at(rates, 'usd', 3, t0 + 60_000);
    // Joined as of its own time (the rate of t0), once the buffer's stream time passes it by 10 s.
    await at(payments, 'usd', 100, t0 + 30_000);
    {
      await using app = await startApp(topology(), { applicationId });
      await waitForProcessed(app, 3);
      expect(app.versionedStore<string, number>('rates').get('usd', t0 + 1)?.value).toBe(2);
    }
    expect((await topicConfig(`${applicationId}-rates-changelog`))['min.compaction.lag.ms']).toBe(String(3_600_000 + 86_400_000));
    // The buffered payment is released by a later one, after the restart: the buffer was restored.
    await at(payments, 'usd', 1, t0 + 90_000);
    await at(payments, 'usd', 5, t0 + 120_000);
    {
      await using app = await startApp(topology(), { applicationId });
      const out = await readJson<number>(output, 2);
      expect(out.map((m) => [m.json, Number(m.timestamp)])).toEqual([
        [200, t0 + 30_000],
        [3, t0 + 90_000],
      ]);
      expect(app.versionedStore<string, number>('rates').get('usd', t0 + 59_999)?.value).toBe(2);
    }
  });
});

/** The last value of each key in `topic` once it holds `count` records. */
async function expectLatest(topic: string, count: number, expected: Record<string, number>): Promise<void> {
  const out = await readJson<number>(topic, count);
  const latest = new Map<string, number>();
  for (const m of [...out].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) latest.set(m.text!, m.json);
  expect(Object.fromEntries(latest)).toEqual(expected);
}
