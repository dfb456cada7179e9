import { StreamsError } from '@tributary/core';
import { FindCoordinatorKeyTypes, type Admin, type Consumer, type Message, type Producer } from '@platformatic/kafka';
import type { GroupMember, ProducedRecord, TopicPartitionOffset, TransactionalProducer, TransactionalProducerOptions } from '../StreamsClient';
import { isTaskMigration } from '../taskMigration';
import { withinDeliveryTimeout } from './deliveryTimeout';
import { asKafkaError, brokerErrorName } from './kafkaErrors';
import { toMessages } from './records';

/** The client's transaction (its type is not exported by name). */
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

/**
 * A `@platformatic/kafka` transactional producer. `connect()` begins a first transaction,
 * which registers the transactional id (InitProducerId) and so fences a zombie with the same
 * id before the task reads anything. Later transactions begin with the first write or offset
 * after a commit; a transaction with neither is dropped on the client's side (the broker
 * never heard of it).
 *
 * The group's offsets go in with TxnOffsetCommit, with the member's id and generation when
 * the runtime gives them (KIP-447: one producer for all tasks of an instance; the coordinator
 * refuses offsets from a member it moved past), else without (one producer per task, as on
 * KafkaJS). The client takes offsets as consumed messages carrying their group's
 * coordinator: the coordinator is looked up with the admin client. Offsets refused leave the
 * transaction open, with its writes, for the next commit to try again.
 *
 * Operations run one after another. A failed write leaves the transaction to be aborted,
 * and the next one runs on a new client producer (a new InitProducerId bumps the epoch),
 * unless the producer was fenced: a new one would fence the member that owns the id now.
 */
export class PlatformaticTransactionalProducer implements TransactionalProducer {
  private producer: Producer;
  private transaction: Transaction | undefined;
  /** The open transaction holds writes or offsets (the broker knows of it). */
  private dirty = false;
  private writeFailed: Error | undefined;
  private fenced: Error | undefined;
  private readonly coordinators = new Map<string, number>();
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly createProducer: () => Producer,
    private readonly admin: Admin,
    private readonly options: TransactionalProducerOptions,
  ) {
    this.producer = createProducer();
  }

  connect(): Promise<void> {
    return this.serial(async () => {
      await this.open();
    });
  }

  disconnect(): Promise<void> {
    return this.serial(() => this.producer.close(true));
  }

  send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const transaction = await this.open();
      this.dirty = true;
      try {
        await withinDeliveryTimeout(transaction.send({ messages: toMessages(records) }), this.options.deliveryTimeoutMs, records.length);
      } catch (error) {
        const failure = this.failure(`writing ${records.length} records in a transaction of ${this.options.transactionalId}`, error);
        this.writeFailed = failure;
        throw failure;
      }
    });
  }

  commit(groupId: string, offsets: readonly TopicPartitionOffset[], member?: GroupMember): Promise<void> {
    return this.serial(async () => {
      if (!this.transaction && offsets.length === 0) return;
      if (this.writeFailed && this.transaction) throw new StreamsError(`a write of transactional id ${this.options.transactionalId} failed: its transaction can only be aborted`, { cause: this.writeFailed });
      const transaction = await this.open();
      try {
        if (offsets.length > 0) {
          this.dirty = true;
          const coordinatorId = await this.coordinator(groupId);
          await transaction.addConsumer({ groupId } as Consumer);
          for (const { topic, partition, offset } of offsets) {
            // The client commits a consumed message's offset + 1: the message before the next one to read.
            const consumer = { groupId, generationId: member?.generationId ?? -1, memberId: member?.memberId ?? '', coordinatorId };
            const consumed = { topic, partition, offset: BigInt(offset) - 1n, metadata: { consumer } };
            await transaction.addOffset(consumed as unknown as Message);
          }
        }
        this.transaction = undefined;
        if (this.dirty) await transaction.commit();
        else await transaction.cancel();
        this.dirty = false;
      } catch (error) {
        if (brokerErrorName(error) === 'NOT_COORDINATOR') this.coordinators.delete(groupId);
        throw this.failure(`committing a transaction of ${this.options.transactionalId}`, error);
      }
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      const transaction = this.transaction;
      this.transaction = undefined;
      if (!transaction || transaction.completed) return;
      try {
        if (this.dirty) await transaction.abort();
        else await transaction.cancel();
      } catch (error) {
        throw this.failure(`aborting a transaction of ${this.options.transactionalId}`, error);
      } finally {
        this.dirty = false;
      }
    });
  }

  /** Runs `operation` once every operation begun before it has settled. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.last.then(operation, operation);
    this.last = result.catch(() => undefined);
    return result;
  }

  private async open(): Promise<Transaction> {
    if (this.fenced) throw new StreamsError(`the producer of transactional id ${this.options.transactionalId} was fenced`, { cause: this.fenced });
    if (this.transaction && !this.transaction.completed) {
      if (this.writeFailed) throw new StreamsError(`a write of transactional id ${this.options.transactionalId} failed: its transaction must be aborted first`, { cause: this.writeFailed });
      return this.transaction;
    }
    if (this.writeFailed) await this.replace();
    try {
      // No producer id and epoch (-1): a new producer for the id, which fences the last one. The
      // client's default (0, 0) asks to bump the epoch of producer id 0, which the coordinator
      // refuses (PRODUCER_FENCED) once another producer id holds the transactional id.
      this.transaction = await this.producer.beginTransaction({ producerId: -1n, producerEpoch: -1 });
    } catch (error) {
      throw this.failure(`registering transactional id ${this.options.transactionalId}`, error);
    }
    this.dirty = false;
    return this.transaction;
  }

  /** After a failed write: a new client producer, whose first transaction bumps the epoch. */
  private async replace(): Promise<void> {
    await this.producer.close(true).catch(() => undefined);
    this.producer = this.createProducer();
    this.writeFailed = undefined;
  }

  private async coordinator(groupId: string): Promise<number> {
    const known = this.coordinators.get(groupId);
    if (known !== undefined) return known;
    const [found] = await this.admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] });
    if (!found) throw new StreamsError(`no coordinator found for group ${groupId}`, { retriable: true });
    this.coordinators.set(groupId, found.nodeId);
    return found.nodeId;
  }

  private failure(what: string, error: unknown): StreamsError {
    const failure = asKafkaError(what, error);
    if (isTaskMigration(failure)) this.fenced ??= failure;
    return failure;
  }
}
