// Operating an application on a real broker: Prometheus metrics scraped over HTTP while
// records flow (lag per partition checked against Kafka's own kafka-consumer-groups), and
// the health and readiness endpoints following the application's state.
import { StreamsBuilder } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, describeConsumerGroup, produce, uniqueName, waitFor } from '../harness';
import { heldRecordTopology, testOptions, waitForProcessed, waitForState } from './support';

const local = { port: 0, host: '127.0.0.1' };

/** `name{labels} value` lines of a scrape, as name + labels -> value. */
function parse(text: string): { value(name: string, labels?: Record<string, string | number>): number | undefined; series(name: string): Map<string, number> } {
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const sample = (line: string) => {
    const match = /^([a-z0-9_]+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    return { name: match[1]!, labels, value: Number(match[3]) };
  };
  const samples = lines.map(sample);
  return {
    value: (name, labels = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === String(v)))?.value,
    series: (name) => new Map(samples.filter((s) => s.name === name).map((s) => [`${s.labels.topic}-${s.labels.partition}`, s.value])),
  };
}

async function scrape(app: KafkaStreams): Promise<ReturnType<typeof parse>> {
  const response = await fetch(`${app.httpAddress()!.url}/metrics`);
  expect(response.status).toBe(200);
  return parse(await response.text());
}

async function probe(app: KafkaStreams, path: '/health' | '/ready'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.httpAddress()!.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('operating over HTTP', () => {
  it('serves Prometheus metrics: process totals rise while records flow, lag per partition as Kafka reports it', async () => {
    const input = uniqueName('ops-in');
    const output = uniqueName('ops-out');
    await createTopic(input, 3);
    await createTopic(output, 3);
    // The record with hold: true waits until release(): its partition keeps a lag.
    const { topology, release } = heldRecordTopology(input, output);
    const options = testOptions({ http: local });
    await using app = new KafkaStreams(topology, options);
    await app.start();

    const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${(from + i) % 31}`, value: JSON.stringify({ n: from + i, hold: from + i === 250 }) }));
    await produce(input, records(0, 300));
    await waitForProcessed(app, 300);
    const first = await scrape(app);
    const processedFirst = first.value('kafka_streams_process_total', { application_id: options.applicationId })!;
    expect(processedFirst).toBeGreaterThanOrEqual(300);

    await produce(input, records(300, 300));
    await waitForProcessed(app, 600);
    const second = await scrape(app);
    expect(second.value('kafka_streams_process_total', { application_id: options.applicationId })!).toBeGreaterThan(processedFirst);
    expect(second.value('kafka_consumer_records_consumed_total')!).toBe(600);
    expect(second.value('tributary_consumption_rate')!).toBeGreaterThan(0);

    // Once the commits settle behind the held record, the lag of each partition is what
    // kafka-consumer-groups --describe prints, and one partition lags.
    let kafkaLag = new Map<string, number | null>();
    await waitFor(
      async () => {
        const ours = (await scrape(app)).series('tributary_consumer_lag');
        kafkaLag = new Map((await describeConsumerGroup(options.applicationId)).map((r) => [`${r.topic}-${r.partition}`, r.lag]));
        return ours.size === 3 && [...ours].every(([p, lag]) => kafkaLag.get(p) === lag) && [...ours.values()].filter((lag) => lag > 0).length === 1;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: () => `lag per partition as Kafka reports it: ${JSON.stringify([...kafkaLag])}` },
    );
    // The consumer's lag (from the fetch position): every partition fetched to its end.
    const recordsLag = (await scrape(app)).series('kafka_consumer_records_lag');
    expect([...recordsLag.keys()].sort()).toEqual([0, 1, 2].map((p) => `${input}-${p}`));
    expect([...recordsLag.values()].every((lag) => lag === 0)).toBe(true);

    release();
    await waitFor(async () => [...(await scrape(app)).series('tributary_consumer_lag').values()].every((lag) => lag === 0), {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: 'no lag after the release',
    });
  });

  it('answers health and readiness as the application starts, runs, fails and closes', async () => {
    const input = uniqueName('probe-in');
    await createTopic(input, 2);
    const builder = new StreamsBuilder();
    builder
      .stream<string, { fail?: boolean }>(input)
      .mapValues((v) => {
        if (v.fail) throw new Error('a record the application cannot process');
        return v;
      })
      .groupByKey()
      .count({ name: 'probe-counts' });
    const app = new KafkaStreams(builder.build(), testOptions({ http: local }));
    const starting = app.start();
    await waitFor(() => app.httpAddress(), { timeoutMs: 10_000, intervalMs: 5, description: 'the HTTP server listening' });
    // Readiness while connecting and joining, then once RUNNING with every store restored.
    const seen: number[] = [];
    await waitFor(
      async () => {
        const { status } = await probe(app, '/ready');
        if (seen.at(-1) !== status) seen.push(status);
        return status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 20, description: () => `ready (saw ${seen.join(', ')})` },
    );
    await starting;
    expect(seen).toEqual([503, 200]);
    expect(await probe(app, '/health')).toEqual({ status: 200, body: { status: 'UP', live: true, state: 'RUNNING' } });
    expect((await probe(app, '/ready')).body).toEqual({ ready: true, state: 'RUNNING', tasks: { running: 2, restoring: [] } });

    await produce(input, [{ key: 'a', value: JSON.stringify({ fail: true }) }]);
    await waitForState(app, 'ERROR');
    const health = await probe(app, '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'DOWN', live: false, state: 'ERROR', error: expect.stringContaining('a record the application cannot process') });
    expect((await probe(app, '/ready')).body).toMatchObject({ ready: false, reason: 'the application is ERROR, not RUNNING' });

    const url = app.httpAddress()!.url;
    await app.close();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
