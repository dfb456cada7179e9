import { StreamsError, type Logger } from '@tributary/core';
import {
  CompressionTypes,
  Partitioners,
  type ICustomPartitioner,
  type Message,
  type PartitionMetadata,
  type ProducerBatch,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import type { ProducedRecord } from '../StreamsClient';
import { toTopicMessages } from './records';

/** `sendBatch` of a KafkaJS producer or transaction. */
export type SendBatch = (batch: ProducerBatch) => Promise<RecordMetadata[]>;

/** Sends of one record before its batch fails: each follows a leader change during the previous one. */
const MAX_ROUNDS = 10;

/**
 * Sends batches through KafkaJS 2.2.4 so that a leader change neither loses nor duplicates
 * acknowledged records, which KafkaJS alone does not ensure.
 *
 * KafkaJS writes a `sendBatch` as one Produce request per partition leader. When one of them
 * fails (its leader died), it retries the whole batch, but skips every leader that has
 * answered since, and sends again to every leader it is still waiting for. So the partitions
 * of the dead leader that moved to a leader that answered are never written, and `sendBatch`
 * resolves without them (records acknowledged, then missing); a leader that had not answered
 * yet (its acks=all request waits for the dead follower to leave the ISR) gets the same
 * records again with new sequence numbers, and writes them twice (duplicates, also inside a
 * transaction). Settings cannot prevent either (packages/kafka/README.md, "Producer settings
 * and leader changes").
 *
 * Hence no `sendBatch` here ever goes to more than one broker: a batch is split by the leader
 * KafkaJS last knew for each partition, and the partitioner, which KafkaJS calls for every
 * record on every attempt, refuses an attempt whose records now have different leaders; the
 * batch is then split again by the new leaders. With one broker per attempt there is nothing
 * to skip and nothing else in flight. The partitioner also writes its choice into each record,
 * so a record keeps its partition, and its sequence number, however often it is sent; a
 * partition an answer still lacks is sent again. A send that outlives its timeout fails and is
 * abandoned: KafkaJS's next attempt of it fails in the partitioner.
 */
export class BatchDelivery {
  private readonly choose = Partitioners.DefaultPartitioner();
  /** Each topic's partitions, as KafkaJS last passed them to the partitioner. */
  private readonly metadata = new Map<string, PartitionMetadata[]>();
  /** The request each record is in, to check that an attempt goes to one leader. */
  private readonly requestOf = new WeakMap<Message, { first: Message; leader: number | undefined }>();
  private readonly abandoned = new WeakSet<Message>();
  private unsettled: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger?: Logger,
    private readonly compression: CompressionTypes = CompressionTypes.None,
  ) {}

  /** For the KafkaJS producer: Kafka's murmur2 partitioner (KafkaJS's DefaultPartitioner), with the checks above. */
  readonly createPartitioner: ICustomPartitioner = () => (args) => {
    const { topic, partitionMetadata, message } = args;
    if (this.abandoned.has(message)) throw new AbandonedSendError();
    this.metadata.set(topic, partitionMetadata);
    const partition = (message.partition = this.choose(args));
    const request = this.requestOf.get(message);
    if (request) {
      // KafkaJS partitions an attempt's records in order: the first one starts the attempt.
      const leader = leaderOf(partitionMetadata, partition);
      if (message === request.first) request.leader = leader;
      else if (leader !== request.leader) throw new LeadersChangedError();
    }
    return partition;
  };

  /** Sends `records` (acks=all) and resolves once each partition of them was acknowledged; fails after `timeoutMs`. */
  async deliver(send: SendBatch, records: readonly ProducedRecord[], timeoutMs: number): Promise<void> {
    const topicMessages = toTopicMessages(records);
    const delivered = this.sendPerLeader(send, topicMessages, 1);
    this.unsettled = delivered.then(
      () => undefined,
      () => undefined,
    );
    await within(delivered, timeoutMs, () => {
      for (const { messages } of topicMessages) for (const message of messages) this.abandoned.add(message);
      return new StreamsError(`the broker did not acknowledge ${records.length} records within ${timeoutMs} ms (deliveryTimeoutMs)`, { retriable: true });
    });
  }

  /**
   * Resolves once the last send has settled in KafkaJS: an abandoned one stops at its next
   * attempt, which comes only once the cluster answers again. Fails after `timeoutMs`.
   */
  settled(timeoutMs: number): Promise<void> {
    return within(this.unsettled, timeoutMs, () => new StreamsError(`a failed send was still retried by KafkaJS after ${timeoutMs} ms (deliveryTimeoutMs)`, { retriable: true }));
  }

  /** One `sendBatch` per leader, at the same time (as KafkaJS's own requests); settles once all of them have. */
  private async sendPerLeader(send: SendBatch, topicMessages: TopicMessages[], round: number): Promise<void> {
    const results = await Promise.allSettled(this.perLeader(topicMessages).map((request) => this.sendToLeader(send, request, round)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async sendToLeader(send: SendBatch, request: TopicMessages[], round: number): Promise<void> {
    let again: TopicMessages[];
    try {
      again = unacknowledged(request, await send({ topicMessages: request, acks: -1, compression: this.compression }));
      if (again.length > 0) {
        const partitions = again.flatMap(({ topic, messages }) => [...new Set(messages.map((m) => `${topic}[${m.partition}]`))]);
        this.logger?.warn(`KafkaJS acknowledged a request without ${partitions.join(', ')}; sending those records again`);
      }
    } catch (error) {
      if (!(error instanceof LeadersChangedError || (error as Error).cause instanceof LeadersChangedError)) throw error;
      this.logger?.debug('the partition leaders of a request changed (a leader change); splitting it by the new leaders');
      again = request;
    }
    if (again.length === 0) return;
    if (round === MAX_ROUNDS) {
      const count = again.reduce((n, t) => n + t.messages.length, 0);
      throw new StreamsError(`${count} records were still not acknowledged after ${round} sends (the partition leaders kept changing)`, { retriable: true });
    }
    await this.sendPerLeader(send, again, round + 1);
  }

  /**
   * The records grouped by the leader KafkaJS last knew for their partition, each group in one
   * request. A record without a partition gets it here when KafkaJS has partitioned its topic
   * before; records of a topic KafkaJS has not (the first ones) go in a request of their own,
   * and the partitioner splits it if it spans leaders.
   */
  private perLeader(topicMessages: TopicMessages[]): TopicMessages[][] {
    const requests = new Map<number | string, Map<string, Message[]>>();
    for (const { topic, messages } of topicMessages) {
      const partitionMetadata = this.metadata.get(topic);
      for (const message of messages) {
        if (message.partition === undefined && partitionMetadata) message.partition = this.choose({ topic, partitionMetadata, message });
        const leader = message.partition === undefined || !partitionMetadata ? `unknown ${topic}` : (leaderOf(partitionMetadata, message.partition) ?? -1);
        let request = requests.get(leader);
        if (!request) requests.set(leader, (request = new Map()));
        let same = request.get(topic);
        if (!same) request.set(topic, (same = []));
        same.push(message);
      }
    }
    return [...requests.values()].map((request) => {
      const topics = [...request].map(([topic, messages]) => ({ topic, messages }));
      const state = { first: topics[0]!.messages[0]!, leader: undefined };
      for (const { messages } of topics) for (const message of messages) this.requestOf.set(message, state);
      return topics;
    });
  }
}

/** Thrown by the partitioner when an attempt's records have more than one leader: the batch is split again. */
class LeadersChangedError extends Error {
  override name = 'LeadersChangedError';
  readonly retriable = false;
  constructor() {
    super('the partition leaders of the request changed');
  }
}

/** Thrown by the partitioner for a record whose send was given up: KafkaJS stops retrying it. */
class AbandonedSendError extends Error {
  override name = 'AbandonedSendError';
  readonly retriable = false;
  constructor() {
    super('the send was abandoned after its delivery timeout');
  }
}

function leaderOf(partitionMetadata: PartitionMetadata[], partition: number): number | undefined {
  return partitionMetadata.find((p) => p.partitionId === partition)?.leader;
}

/** The messages of `sent` whose partition has no entry in `acknowledged`. */
function unacknowledged(sent: TopicMessages[], acknowledged: RecordMetadata[]): TopicMessages[] {
  const answered = new Set(acknowledged.map((r) => `${r.topicName}\u0000${r.partition}`));
  const lacking: TopicMessages[] = [];
  for (const { topic, messages } of sent) {
    const missing = messages.filter((m) => m.partition === undefined || !answered.has(`${topic}\u0000${m.partition}`));
    if (missing.length > 0) lacking.push({ topic, messages: missing });
  }
  return lacking;
}

/** `promise`, or the error `timedOut` makes after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
