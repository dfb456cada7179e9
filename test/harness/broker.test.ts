// Proves the integration-test harness against the real broker: topics, producing,
// consuming, and lag as Apache Kafka's own kafka-consumer-groups tool reports it.
import { describe, expect, it } from 'vitest';
import {
  createKafka,
  createTopic,
  describeConsumerGroup,
  parseConsumerGroupDescribe,
  produce,
  uniqueName,
  waitFor,
  waitForMessages,
  withAdmin,
} from './index';

const RECORDS = 100;
const PARTITIONS = 3;

describe('integration harness', () => {
  it('creates a topic, produces records and reads them all back', async () => {
    const topic = uniqueName('harness');
    await createTopic(topic, PARTITIONS);

    const metadata = await produce(
      topic,
      Array.from({ length: RECORDS }, (_, i) => ({
        key: `key-${i}`,
        // Raw bytes, not JSON: the harness must carry any payload.
        value: Buffer.from([0xff, 0x00, i]),
        headers: { seq: String(i) },
      })),
    );
    expect(metadata.length).toBeGreaterThan(0);

    const messages = await waitForMessages(topic, { count: RECORDS, fromBeginning: true });
    expect(messages).toHaveLength(RECORDS);
    expect(new Set(messages.map((m) => m.key?.toString())).size).toBe(RECORDS);
    for (const m of messages) {
      const i = Number(m.headers.seq?.toString());
      expect(m.key?.toString()).toBe(`key-${i}`);
      expect([...(m.value ?? [])]).toEqual([0xff, 0x00, i]);
      expect(m.partition).toBeGreaterThanOrEqual(0);
      expect(m.partition).toBeLessThan(PARTITIONS);
    }
    // Within a partition, offsets arrive in order and without gaps, starting at 0.
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = messages.filter((m) => m.partition === p).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('reports the same lag as kafka-consumer-groups --describe', async () => {
    const topic = uniqueName('harness-lag');
    const groupId = uniqueName('harness-lag-group');
    await createTopic(topic, PARTITIONS);
    await produce(
      topic,
      Array.from({ length: RECORDS }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` })),
    );

    // A group that commits only part of what it read: half of each partition.
    const consumer = createKafka().consumer({ groupId, maxWaitTimeInMs: 250 });
    const highest = new Map<number, number>();
    let seen = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          highest.set(partition, Math.max(highest.get(partition) ?? -1, Number(message.offset)));
          seen++;
        },
      });
      await waitFor(() => seen >= RECORDS, { timeoutMs: 30_000, description: `${RECORDS} records read by ${groupId}` });
      await consumer.commitOffsets(
        [...highest].map(([partition, last]) => ({ topic, partition, offset: String(Math.floor((last + 1) / 2)) })),
      );
    } finally {
      await consumer.disconnect();
    }

    // Expected lag per partition, from KafkaJS: log-end offset minus committed offset.
    const expected = await withAdmin(async (admin) => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      return ends
        .map(({ partition, high }) => {
          const offset = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
          return { partition, committed: offset, logEnd: Number(high), lag: Number(high) - offset };
        })
        .sort((a, b) => a.partition - b.partition);
    });
    expect(expected.reduce((sum, p) => sum + p.logEnd, 0)).toBe(RECORDS);
    expect(expected.every((p) => p.committed >= 0 && p.lag > 0)).toBe(true);

    const rows = await describeConsumerGroup(groupId);
    expect(rows.map(({ topic: t, partition, currentOffset, logEndOffset, lag }) => ({ t, partition, currentOffset, logEndOffset, lag }))).toEqual(
      expected.map(({ partition, committed, logEnd, lag }) => ({
        t: topic,
        partition,
        currentOffset: committed,
        logEndOffset: logEnd,
        lag,
      })),
    );
  });

  it('rejects an unknown consumer group with the tool’s own message', async () => {
    await expect(describeConsumerGroup(uniqueName('no-such-group'))).rejects.toThrow(/does not exist/);
  });

  it('parses the describe table, including "-" cells', () => {
    const stdout = [
      '',
      'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID',
      'g               t               1          -               7               -               -               -               -',
      'g               t               0          3               10              7               c-1             /127.0.0.1      my client',
    ].join('\n');
    expect(parseConsumerGroupDescribe(stdout)).toEqual([
      { group: 'g', topic: 't', partition: 0, currentOffset: 3, logEndOffset: 10, lag: 7, consumerId: 'c-1', host: '/127.0.0.1', clientId: 'my client' },
      { group: 'g', topic: 't', partition: 1, currentOffset: null, logEndOffset: 7, lag: null, consumerId: null, host: null, clientId: null },
    ]);
  });
});
