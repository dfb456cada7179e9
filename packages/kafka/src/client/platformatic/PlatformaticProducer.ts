import type { Producer } from '@platformatic/kafka';
import type { ProducedRecord, ProducerOptions, StreamsProducer } from '../StreamsClient';
import { withinDeliveryTimeout } from './deliveryTimeout';
import { asKafkaError } from './kafkaErrors';
import { toMessages } from './records';

/**
 * An idempotent `@platformatic/kafka` producer with acks=all. The client retries a send
 * itself (its `retries` cover `deliveryTimeoutMs`); a send that outlives `deliveryTimeoutMs`
 * fails. After a failed send the client starts a new producer id for the next one, as the
 * Java producer bumps its epoch. A request retried after a leader change goes to each
 * partition's new leader (`produceRoutingFix.ts`).
 *
 * Unlike the KafkaJS adapter's `BatchDelivery`, a send goes to every partition leader at
 * once, and a send that failed at one leader may have been written at another: the runtime
 * sends it again (at-least-once), which can duplicate those records.
 */
export class PlatformaticProducer implements StreamsProducer {
  constructor(
    private readonly producer: Producer,
    private readonly options: ProducerOptions,
  ) {}

  async connect(): Promise<void> {
    try {
      await this.producer.initIdempotentProducer({});
    } catch (error) {
      throw asKafkaError(`starting the idempotent producer ${this.options.clientId}`, error);
    }
  }

  disconnect(): Promise<void> {
    return this.producer.close(true);
  }

  async send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await withinDeliveryTimeout(this.producer.send({ messages: toMessages(records) }), this.options.deliveryTimeoutMs, records.length);
    } catch (error) {
      throw asKafkaError(`writing ${records.length} records`, error);
    }
  }
}
