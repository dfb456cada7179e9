import { Partitioners, type Message } from 'kafkajs';
import { createKafka } from '../../harness';

/**
 * Writes `count` records, the n-th made by `record(n)`, to `topic`: batches of 10,000 with
 * acks=1 and a few batches in flight (the default partitioner places keyed records as the
 * runtime does). For filling topics before a benchmark, not for measuring.
 */
export async function bulkProduce(topic: string, count: number, record: (n: number) => Message): Promise<void> {
  const producer = createKafka({ clientId: 'tributary-bench-producer' }).producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const inFlight = new Set<Promise<unknown>>();
    for (let from = 0; from < count; from += 10_000) {
      const messages: Message[] = [];
      for (let n = from; n < Math.min(count, from + 10_000); n++) messages.push(record(n));
      const sent = producer.send({ topic, messages, acks: 1 });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent)).catch(() => undefined);
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}
