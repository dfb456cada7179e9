import { sizeRecordBatch, writeRecordBatch, type BatchedMessage, type SizedRecordBatch } from './recordBatchEncoder';
import { unsignedVarIntSize, writeUnsignedVarInt } from './kafkaVarints';

/** A record as the client hands it to the Produce API. */
export interface ProduceMessage extends BatchedMessage {
  topic: string;
  partition?: number | undefined;
}

/** What the client passes the Produce API besides the records (its `CreateRecordsBatchOptions`). */
export interface ProduceRequestOptions {
  readonly transactionalId?: string | null | undefined;
  readonly producerId?: bigint | undefined;
  readonly producerEpoch?: number | undefined;
  /** Each partition's first sequence number, under `${topic}:${partition}` (absent: not idempotent). */
  readonly sequences?: { getWithDefault(key: string, fallback: number): number } | undefined;
  readonly partitionLeaderEpoch?: number | undefined;
}

/** Produce v9 made the request flexible: compact strings, arrays and records, and tagged fields. */
const FIRST_FLEXIBLE_VERSION = 9;
/** The versions whose request this encoder writes: v3 brought record batches (magic v2), v11 is the client's last. */
export const FIRST_ENCODED_VERSION = 3;
export const LAST_ENCODED_VERSION = 11;

/** One partition's records in a request, with their batch once measured. */
interface PartitionShare {
  readonly partition: number;
  readonly messages: ProduceMessage[];
  batch: SizedRecordBatch | undefined;
}

interface TopicShare {
  readonly name: Buffer;
  readonly partitions: PartitionShare[];
}

/**
 * The body of a Produce request (v3 to v11) for `messages`, in one buffer of its exact size:
 * the records grouped by topic and partition in the client's order (topics as they come,
 * partitions ascending), each partition's records one uncompressed record batch
 * (`recordBatchEncoder.ts`). The bytes are those the client's own encoder writes for the same
 * call, without its buffer per field and copies per record.
 *
 * As the client does, a record without a partition goes to partition 0 and one without a
 * timestamp gets the current time, written back onto the message so a retry sends the same.
 * The producer id defaults to -1, the epoch to 0; an idempotent producer's base sequence per
 * partition comes from `options.sequences`; a transactional id marks the batches transactional.
 */
export function encodeProduceRequest(version: number, acks: number, timeoutMs: number, messages: ProduceMessage[], options: ProduceRequestOptions): Buffer {
  if (version < FIRST_ENCODED_VERSION || version > LAST_ENCODED_VERSION) throw new RangeError(`Produce v${version} is not encoded here`);
  const flexible = version >= FIRST_FLEXIBLE_VERSION;
  const topics = byTopicAndPartition(messages);
  const transactionalId = options.transactionalId == null ? null : Buffer.from(options.transactionalId);

  let size = nullableStringSize(transactionalId, flexible) + 2 + 4 + arrayLengthSize(topics.length, flexible);
  for (const topic of topics) {
    size += stringSize(topic.name, flexible) + arrayLengthSize(topic.partitions.length, flexible);
    for (const share of topic.partitions) {
      const batch = (share.batch = sizeRecordBatch(share.messages));
      size += 4 + (flexible ? unsignedVarIntSize(batch.size + 1) : 4) + batch.size + (flexible ? 1 : 0);
    }
    if (flexible) size++;
  }
  if (flexible) size++;

  const target = Buffer.allocUnsafe(size);
  let offset = writeNullableString(target, 0, transactionalId, flexible);
  offset = target.writeInt16BE(acks, offset);
  offset = target.writeInt32BE(timeoutMs, offset);
  offset = writeArrayLength(target, offset, topics.length, flexible);
  for (const topic of topics) {
    offset = writeNullableString(target, offset, topic.name, flexible);
    offset = writeArrayLength(target, offset, topic.partitions.length, flexible);
    for (const share of topic.partitions) {
      offset = target.writeInt32BE(share.partition, offset);
      const batch = share.batch!;
      offset = flexible ? writeUnsignedVarInt(target, offset, batch.size + 1) : target.writeInt32BE(batch.size, offset);
      const first = share.messages[0]!;
      offset = writeRecordBatch(target, offset, batch, {
        producerId: options.producerId ?? -1n,
        producerEpoch: options.producerEpoch ?? 0,
        firstSequence: options.sequences?.getWithDefault(`${first.topic}:${first.partition}`, 0) ?? 0,
        transactional: Boolean(options.transactionalId),
        partitionLeaderEpoch: options.partitionLeaderEpoch ?? 0,
      });
      if (flexible) target[offset++] = 0; // no tagged fields
    }
    if (flexible) target[offset++] = 0;
  }
  if (flexible) target[offset++] = 0;
  if (offset !== size) throw new Error(`Produce request encoded to ${offset} bytes, sized ${size}`);
  return target;
}

/**
 * The records by topic and partition, in the order of the client's `groupByProperty` (an
 * object's keys: integer-like ones ascending, then the others as they came), so a request
 * reads as the client's would.
 */
function byTopicAndPartition(messages: ProduceMessage[]): TopicShare[] {
  const now = BigInt(Date.now());
  const topics: Record<string, Record<string, ProduceMessage[]>> = Object.create(null);
  for (const message of messages) {
    message.partition ??= 0;
    if (typeof message.timestamp !== 'bigint') message.timestamp = message.timestamp === undefined ? now : BigInt(message.timestamp);
    const partitions = (topics[message.topic] ??= Object.create(null) as Record<string, ProduceMessage[]>);
    (partitions[message.partition] ??= []).push(message);
  }
  return Object.entries(topics).map(([name, partitions]) => ({
    name: Buffer.from(name),
    partitions: Object.entries(partitions).map(([partition, shared]) => ({ partition: Number(partition), messages: shared, batch: undefined })),
  }));
}

function arrayLengthSize(length: number, flexible: boolean): number {
  return flexible ? unsignedVarIntSize(length + 1) : 4;
}

function writeArrayLength(target: Buffer, offset: number, length: number, flexible: boolean): number {
  return flexible ? writeUnsignedVarInt(target, offset, length + 1) : target.writeInt32BE(length, offset);
}

function stringSize(bytes: Buffer, flexible: boolean): number {
  return (flexible ? unsignedVarIntSize(bytes.length + 1) : 2) + bytes.length;
}

function nullableStringSize(bytes: Buffer | null, flexible: boolean): number {
  return bytes === null ? (flexible ? 1 : 2) : stringSize(bytes, flexible);
}

function writeNullableString(target: Buffer, offset: number, bytes: Buffer | null, flexible: boolean): number {
  if (bytes === null) return flexible ? writeUnsignedVarInt(target, offset, 0) : target.writeInt16BE(-1, offset);
  offset = flexible ? writeUnsignedVarInt(target, offset, bytes.length + 1) : target.writeInt16BE(bytes.length, offset);
  return offset + bytes.copy(target, offset);
}
