import { connectAdmin, kafkaClient, type KafkaTarget } from '@tributary/cli';

/** Records an application wrote to one topic in a run. */
export interface TopicWrites {
  readonly topic: string;
  /** The topic's log-end offsets, summed over its partitions. */
  readonly records: number;
  readonly kind: 'output' | 'repartition' | 'changelog';
}

/**
 * What an application wrote to Kafka in a demo run: for each of its output topics and internal
 * topics (`<applicationId>-*`: repartition topics and changelogs), the sum of the log-end
 * offsets of its partitions. The demo deletes and creates these topics at the start of a run,
 * so that sum is the records written in the run (with exactly-once, transaction markers count
 * too). Largest first.
 *
 * @param target The brokers and connection.
 * @param applicationId The application's id, the internal topics' prefix.
 * @param outputTopics The topics its sinks write.
 * @return One entry per topic that exists.
 */
export async function recordsWritten(target: KafkaTarget, applicationId: string, outputTopics: readonly string[]): Promise<TopicWrites[]> {
  const admin = await connectAdmin(kafkaClient(target, 'tributary-demo'), target);
  try {
    const topics = (await admin.listTopics()).filter((t) => outputTopics.includes(t) || t.startsWith(`${applicationId}-`));
    const writes: TopicWrites[] = [];
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const records = offsets.reduce((n, p) => n + Number(p.high), 0);
      writes.push({ topic, records, kind: outputTopics.includes(topic) ? 'output' : topic.endsWith('-repartition') ? 'repartition' : 'changelog' });
    }
    return writes.sort((a, b) => b.records - a.records || (a.topic < b.topic ? -1 : 1));
  } finally {
    await admin.disconnect();
  }
}
