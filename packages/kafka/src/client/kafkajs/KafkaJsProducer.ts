import type { ProducerSettings } from '../../config/ConnectionOptions';
import { kafkaJsCompression, kafkaJsProducerSettings } from './kafkaJsConnection';
import type { Logger } from '@tributary/core';
import type { Kafka, Producer } from 'kafkajs';
import type { ProducedRecord, ProducerOptions, StreamsProducer } from '../StreamsClient';
import { BatchDelivery } from './BatchDelivery';

/**
 * An idempotent KafkaJS producer with acks=all and one request at a time per broker (the
 * idempotent sequence numbers stay in order; the runtime batches records between requests, and
 * its sends never overlap). KafkaJS retries a send without end; a send that outlives
 * `deliveryTimeoutMs` fails (Kafka's `delivery.timeout.ms`). {@link BatchDelivery} keeps a
 * leader change from losing or duplicating acknowledged records.
 *
 * After a failed send the KafkaJS producer is replaced before the next one, once the failed
 * send has settled: its sequence numbers may be out of step with the broker's (it may have
 * been written), and a new producer id starts them afresh, as the Java producer bumps its
 * epoch. The old and the new producer never write at the same time.
 */
export class KafkaJsProducer implements StreamsProducer {
  private readonly delivery: BatchDelivery;
  private producer: Producer;
  private failed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ProducerOptions,
    logger?: Logger,
    private readonly settings: ProducerSettings = {},
  ) {
    this.delivery = new BatchDelivery(logger, kafkaJsCompression(settings));
    this.producer = this.create();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      if (this.failed) await this.replace();
      await this.delivery.deliver((batch) => this.producer.sendBatch(batch), records, this.options.deliveryTimeoutMs);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  private create(): Producer {
    return this.kafka.producer({
      ...kafkaJsProducerSettings(this.settings),
      idempotent: true,
      maxInFlightRequests: 1,
      // The runtime picks partitions for keyed records itself; the rest go where Kafka's
      // murmur2 partitioner (KafkaJS's DefaultPartitioner) puts them.
      createPartitioner: this.delivery.createPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  private async replace(): Promise<void> {
    await this.delivery.settled(this.options.deliveryTimeoutMs);
    await this.producer.disconnect().catch(() => undefined);
    this.producer = this.create();
    await this.producer.connect();
    this.failed = false;
  }
}
