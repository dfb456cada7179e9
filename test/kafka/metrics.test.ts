// Metrics on a real broker: consumer lag as Apache Kafka's own kafka-consumer-groups
// --describe prints it, consumption and process rates, latencies, commits.
import { StreamsBuilder } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, describeConsumerGroup, produce, uniqueName, waitFor } from '../harness';
import { committedOffsets, heldRecordTopology, startApp, waitForProcessed } from './support';

describe('metrics', () => {
  it('reports per partition the same lag as kafka-consumer-groups --describe', async () => {
    const input = uniqueName('lag-in');
    const output = uniqueName('lag-out');
    await createTopic(input, 3);
    await createTopic(output, 3);
    // The record with hold: true waits until release(): its partition keeps a lag.
    const { topology, release } = heldRecordTopology(input, output);
    await using app = await startApp(topology);
    const records = Array.from({ length: 600 }, (_, n) => ({ key: `k${n % 29}`, value: JSON.stringify({ n, hold: n === 250 }) }));
    await produce(input, records);
    await waitForProcessed(app, records.length);

    // Wait until the commits have settled: all but the held partition fully committed.
    let committed = new Map<number, number>();
    await waitFor(
      async () => {
        committed = await committedOffsets(app.applicationId, input);
        const m = app.metrics();
        const sum = [...committed.values()].reduce((a, b) => a + b, 0);
        return committed.size === 3 && m.partitions.every((p) => p.committedOffset === committed.get(p.partition) && p.logEndOffset > 0) && sum < records.length && m.lag === records.length - sum;
      },
      { timeoutMs: 30_000, description: 'commits to settle behind the held record' },
    );
    const ours = app.metrics().partitions.map(({ topic, partition, committedOffset, logEndOffset, lag }) => ({ topic, partition, currentOffset: committedOffset, logEndOffset, lag }));
    const kafkas = (await describeConsumerGroup(app.applicationId)).map(({ topic, partition, currentOffset, logEndOffset, lag }) => ({ topic, partition, currentOffset, logEndOffset, lag }));
    expect(ours).toEqual(kafkas);
    expect(ours.filter((p) => p.lag > 0)).toHaveLength(1);

    release();
    await waitFor(async () => app.metrics().lag === 0 && (await describeConsumerGroup(app.applicationId)).every((r) => r.lag === 0), {
      timeoutMs: 30_000,
      description: 'no lag after the release',
    });

    const m = app.metrics();
    expect(m.consumed).toBe(records.length);
    expect(m.consumptionRate).toBeCloseTo(m.consumed / (m.elapsedMs / 1000), 5);
    expect(m.processRate).toBeGreaterThan(0);
    expect(m.commits).toBeGreaterThan(0);
    expect(m.commitLatencyMs).toBeGreaterThan(0);
    expect(m.processLatencyMs.max).toBeGreaterThanOrEqual(m.processLatencyMs.avg);
    expect(m.endToEndLatencyMs.avg).toBeGreaterThanOrEqual(0);
    expect(m.tasks.reduce((n, t) => n + t.consumed, 0)).toBe(records.length);
    for (const t of m.tasks) expect(t.consumptionRate).toBeGreaterThan(0);
  });

  it('emits metrics events on the interval', async () => {
    const input = uniqueName('metrics-in');
    await createTopic(input, 1);
    const builder = new StreamsBuilder();
    builder.stream(input).foreach(() => undefined);
    await using app = await startApp(builder.build(), { metricsIntervalMs: 200 });
    await produce(input, [{ key: 'a', value: '{}' }]);
    const events: number[] = [];
    app.events.subscribe((e) => e.type === 'metrics' && events.push(e.metrics.consumed));
    await waitFor(() => events.includes(1), { timeoutMs: 30_000, description: 'a metrics event counting the record' });
  });
});
