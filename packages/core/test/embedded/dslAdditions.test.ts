// The DSL of issue 11 (cogroup, processValues, addGlobalStore, print) on the embedded engine:
// the same results as the TopologyTestDriver, on several partitions.
import { Printed, silentLogger, Stores, StreamsBuilder, type FixedKeyProcessorContext, type KeyValueStore, type Topology } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { describe, expect, it } from 'vitest';
import { EmbeddedStreams } from '../../src/embedded';

interface Activity {
  clicks: number;
  spend: number;
  segment: string;
}

/** Clicks and payments cogrouped per customer, each payment tagged with the customer's segment from a custom global store. */
function activityTopology(printed: string[]): Topology {
  const builder = new StreamsBuilder();
  builder.addGlobalStore<string, string | null>(Stores.keyValueStore('segments'), 'segment-updates', {}, () => {
    let segments: KeyValueStore<string, string>;
    return {
      init: (context) => (segments = context.getStateStore('segments')),
      process: (record) => (record.value === null ? segments.delete(record.key) : segments.put(record.key, record.value.toUpperCase())),
    };
  });
  const clicks = builder.stream<string, { page: string }>('clicks').groupByKey();
  const payments = builder
    .stream<string, { amount: number }>('payments')
    .processValues<{ amount: number; segment: string }>(() => {
      let context: FixedKeyProcessorContext<string, { amount: number; segment: string }>;
      let segments: KeyValueStore<string, string>;
      return {
        init: (c) => {
          context = c;
          segments = c.getStateStore('segments');
        },
        process: (record) => context.forward(record.withValue({ amount: record.value.amount, segment: segments.get(record.key) ?? '?' })),
      };
    })
    .groupByKey();
  const activity = clicks
    .cogroup((_customer, _click, a: Activity) => ({ ...a, clicks: a.clicks + 1 }))
    .cogroup(payments, (_customer, p, a) => ({ ...a, spend: a.spend + p.amount, segment: p.segment }))
    .aggregate(() => ({ clicks: 0, spend: 0, segment: '?' }), { name: 'activity' })
    .toStream();
  activity.to('activity');
  activity.print(Printed.toFunction((line) => printed.push(line)).withLabel('activity'));
  return builder.build();
}

const segments = [
  { key: 'ann', value: 'gold', timestamp: 1 },
  { key: 'bob', value: 'silver', timestamp: 1 },
];
// Distinct timestamps: each task processes its records by timestamp in both runtimes.
const clicks = Array.from({ length: 30 }, (_, i) => ({ key: ['ann', 'bob', 'cid', 'dan'][i % 4]!, value: { page: `/p${i}` }, timestamp: 10 + 2 * i }));
const payments = Array.from({ length: 20 }, (_, i) => ({ key: ['ann', 'bob', 'eve'][i % 3]!, value: { amount: i }, timestamp: 15 + 2 * i }));

describe('issue 11 DSL on the embedded engine', () => {
  it('cogroup, processValues, addGlobalStore and print give the test driver results on 3 partitions', async () => {
    const printed: string[] = [];
    const streams = new EmbeddedStreams(activityTopology(printed), { applicationId: 'dsl', logger: silentLogger, partitions: 3 });
    try {
      streams.topics.create('segment-updates', 2);
      streams.produce('segment-updates', segments);
      await streams.start();
      await streams.whenCaughtUp();
      streams.produce('clicks', clicks);
      streams.produce('payments', payments);
      await streams.whenCaughtUp();

      const driverPrinted: string[] = [];
      using driver = new TopologyTestDriver(activityTopology(driverPrinted), { defaultPartitions: 3, logger: silentLogger });
      const onTopic = (topic: string, records: { key: string; value: unknown; timestamp: number }[]) => records.map((r) => ({ topic, ...r }));
      const inOrder = [...onTopic('segment-updates', segments), ...[...onTopic('clicks', clicks), ...onTopic('payments', payments)].sort((a, b) => a.timestamp - b.timestamp)];
      for (const r of inOrder) driver.createInputTopic<string, unknown>(r.topic).pipeInput(r.key, r.value, r.timestamp);

      const expected = driver.getKeyValueStore<string, Activity>('activity').all();
      expect(streams.store<string, Activity>('activity').all()).toEqual(expected);
      expect(expected).toContainEqual(['ann', { clicks: 8, spend: 0 + 3 + 6 + 9 + 12 + 15 + 18, segment: 'GOLD' }]);
      expect(expected).toContainEqual(['eve', { clicks: 0, spend: 2 + 5 + 8 + 11 + 14 + 17, segment: '?' }]);
      // Tasks interleave differently in the two runtimes: compare as sets.
      expect(streams.read('activity').length).toBe(50);
      expect([...printed].sort()).toEqual([...driverPrinted].sort());
      expect(printed).toHaveLength(50);
    } finally {
      await streams.close();
    }
  });
});
