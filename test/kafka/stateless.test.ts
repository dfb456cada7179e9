// Stateless operators end to end on a real broker: filter, mapValues, flatMapValues, to.
import { StreamsBuilder } from '@tributary/core';
import { defaultPartition } from '@tributary/core/runtime';
import { KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName } from '../harness';
import { committedOffsets, readJson, startApp, testOptions, waitForState } from './support';

interface Interaction {
  customer: string;
  amount: number;
}

describe('stateless topology on Kafka', () => {
  it('filters, maps and writes every record once, keys staying on their partition', async () => {
    const input = uniqueName('interactions');
    const output = uniqueName('big-spends');
    await createTopic(input, 4);
    await createTopic(output, 4);
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>(input)
      .filter((_k, v) => v.amount >= 50)
      .mapValues((v) => ({ customer: v.customer, cents: v.amount * 100 }))
      .flatMapValues((v) => [v, { ...v, copy: true }])
      .to(output);
    const records = Array.from({ length: 2_000 }, (_, i) => ({ customer: `c${i % 97}`, amount: i % 100 }));
    await produce(
      input,
      records.map((r) => ({ key: r.customer, value: JSON.stringify(r) })),
    );
    await using app = await startApp(builder.build());
    await waitForState(app, 'RUNNING');

    const expected = records.filter((r) => r.amount >= 50).length * 2;
    const out = await readJson<{ customer: string; cents: number; copy?: true }>(output, expected);
    expect(out).toHaveLength(expected);
    expect(out.filter((m) => m.json.copy)).toHaveLength(expected / 2);
    for (const m of out) {
      expect(m.text).toBe(m.json.customer);
      // The producer put the key where the Java client would, as the input producer did.
      expect(m.partition).toBe(defaultPartition(Buffer.from(m.text!), 4));
    }
    // Every input offset gets committed.
    await expect
      .poll(async () => [...(await committedOffsets(app.applicationId, input)).values()].reduce((a, b) => a + b, 0), { timeout: 30_000, interval: 200 })
      .toBe(records.length);
    const metrics = app.metrics();
    expect(metrics.consumed).toBe(records.length);
    expect(metrics.processed).toBe(records.length);
    expect(metrics.lag).toBe(0);
    expect(metrics.tasks.map((t) => t.id)).toEqual(['0_0', '0_1', '0_2', '0_3']);
  });

  it('rejects a start on a missing source topic, naming it', async () => {
    const missing = uniqueName('missing');
    const builder = new StreamsBuilder();
    builder.stream(missing).to(uniqueName('out'));
    const app = new KafkaStreams(builder.build(), testOptions());
    await expect(app.start()).rejects.toThrow(`source topic '${missing}' does not exist`);
    expect(app.state).toBe('ERROR');
  });

  it('rejects a start when no broker answers, naming the address', async () => {
    const builder = new StreamsBuilder();
    builder.stream('anything').to('elsewhere');
    const app = new KafkaStreams(builder.build(), testOptions({ brokers: '127.0.0.1:1' }));
    await expect(app.start()).rejects.toThrow(/cannot connect to Kafka at 127\.0\.0\.1:1/);
  });
});

