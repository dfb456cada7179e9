import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { ProducedRecord, ProducerOptions, StreamsProducer } from '../StreamsClient';
import { toTopicMessages } from './records';

/**
 * An idempotent KafkaJS producer with acks=all. One request at a time per broker keeps
 * the idempotent sequence numbers in order; the runtime batches records between requests.
 * KafkaJS retries an idempotent send without end, so a send that outlives
 * `deliveryTimeoutMs` is failed here (Kafka's `delivery.timeout.ms`).
 */
export class KafkaJsProducer implements StreamsProducer {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly options: ProducerOptions,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The runtime picks partitions for keyed records itself; the rest go where Kafka's
      // murmur2 partitioner (KafkaJS's DefaultPartitioner) puts them.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const sent = this.producer.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
    // A send that outlived the timeout may still fail later: nobody waits for it then.
    sent.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the broker did not acknowledge ${records.length} records within ${this.options.deliveryTimeoutMs} ms (deliveryTimeoutMs)`)),
        this.options.deliveryTimeoutMs,
      );
    });
    try {
      await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
