import { crc32c } from '@platformatic/kafka';
import { VARLONG_EXACT_LIMIT, varIntSize, varLongSize, writeVarInt, writeVarLong } from './kafkaVarints';

/** A record as the client hands it to the Produce API: serialized, its partition chosen. */
export interface BatchedMessage {
  key?: Buffer | null | undefined;
  value?: Buffer | null | undefined;
  headers?: ReadonlyMap<Buffer, Buffer | null | undefined> | undefined;
  /** Milliseconds; the request encoder fills in a missing one before batching, as the client does. */
  timestamp?: bigint | undefined;
}

/** Who writes a batch: the idempotent producer's id and epoch, and the partition's next sequence. */
export interface BatchProducer {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly firstSequence: number;
  readonly transactional: boolean;
  readonly partitionLeaderEpoch: number;
}

/** Base offset, batch length, partition leader epoch, magic, CRC: the part before the CRC's range. */
const CRC_START = 8 + 4 + 4 + 1 + 4;
/** Attributes, last offset delta, first and max timestamps, producer id and epoch, base sequence, record count. */
const CRC_HEADER = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** A record batch's fixed part (Kafka's `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`). */
export const RECORD_BATCH_OVERHEAD = CRC_START + CRC_HEADER;
const BATCH_LENGTH_OFFSET = 8;
const MAGIC = 2;
const TRANSACTIONAL = 0x10;

/**
 * One partition's records measured for {@link writeRecordBatch}: the size of their batch, and
 * what writing needs again (each record's size and timestamp delta), so that a whole request
 * is sized first and then written into one buffer, each record's fields measured once.
 */
export interface SizedRecordBatch {
  readonly messages: readonly BatchedMessage[];
  /** The batch's size in bytes, from its base offset to its last record. */
  readonly size: number;
  readonly firstTimestamp: bigint;
  readonly maxTimestamp: bigint;
  /** Each record's size after its length varint. */
  readonly recordSizes: Int32Array;
  /** Each record's timestamp minus the first one, for deltas within ±2^52; `undefined` when one is not (then they are bigints, computed again). */
  readonly timestampDeltas: Float64Array | undefined;
}

/**
 * Measures the record batch (magic v2, uncompressed) of `messages`, one partition's records in
 * order, each with a timestamp. A timestamp is converted from its bigint once: the usual delta
 * is a double, and only a batch with a delta beyond ±2^52 ms takes bigint arithmetic.
 */
export function sizeRecordBatch(messages: readonly BatchedMessage[]): SizedRecordBatch {
  const count = messages.length;
  const firstTimestamp = messages[0]!.timestamp!;
  const first = Number(firstTimestamp);
  let maxTimestamp = firstTimestamp;
  const recordSizes = new Int32Array(count);
  let timestampDeltas: Float64Array | undefined = new Float64Array(count);
  let size = RECORD_BATCH_OVERHEAD;
  for (let i = 0; i < count; i++) {
    const message = messages[i]!;
    const timestamp = Number(message.timestamp!);
    let delta: number | bigint = timestamp - first;
    if (timestampDeltas && exact(first, timestamp, delta)) timestampDeltas[i] = delta;
    else {
      timestampDeltas = undefined;
      delta = message.timestamp! - firstTimestamp;
    }
    if (message.timestamp! > maxTimestamp) maxTimestamp = message.timestamp!;
    const recordSize = recordBodySize(message, i, delta);
    recordSizes[i] = recordSize;
    size += varIntSize(recordSize) + recordSize;
  }
  return { messages, size, firstTimestamp, maxTimestamp, recordSizes, timestampDeltas };
}

/**
 * Writes a measured record batch at `offset` of `target`; returns the offset after it. Each
 * record's fields go straight into `target` (no buffer per field, no copy of the records), and
 * the CRC32C is taken once over the written batch. The fields are those the client writes:
 * base offset 0, the producer's id, epoch and base sequence, the transactional flag, the first
 * and largest timestamps, and per record its timestamp and offset deltas, key, value and
 * headers (a null key or value as length -1).
 */
export function writeRecordBatch(target: Buffer, offset: number, batch: SizedRecordBatch, producer: BatchProducer): number {
  const start = offset;
  const { messages, recordSizes, timestampDeltas, firstTimestamp } = batch;
  target.writeBigInt64BE(0n, offset); // base offset: the broker assigns offsets
  // The batch length counts the bytes after itself.
  target.writeInt32BE(batch.size - BATCH_LENGTH_OFFSET - 4, offset + BATCH_LENGTH_OFFSET);
  target.writeInt32BE(producer.partitionLeaderEpoch, offset + 12);
  target[offset + 16] = MAGIC;
  const crcAt = offset + 17;
  offset += CRC_START;
  offset = target.writeInt16BE(producer.transactional ? TRANSACTIONAL : 0, offset);
  offset = target.writeInt32BE(messages.length - 1, offset);
  offset = target.writeBigInt64BE(firstTimestamp, offset);
  offset = target.writeBigInt64BE(batch.maxTimestamp, offset);
  offset = target.writeBigInt64BE(producer.producerId, offset);
  offset = target.writeInt16BE(producer.producerEpoch, offset);
  offset = target.writeInt32BE(producer.firstSequence, offset);
  offset = target.writeInt32BE(messages.length, offset);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    offset = writeVarInt(target, offset, recordSizes[i]!);
    target[offset++] = 0; // record attributes: unused
    offset = writeVarLong(target, offset, timestampDeltas ? timestampDeltas[i]! : message.timestamp! - firstTimestamp);
    offset = writeVarInt(target, offset, i);
    offset = writeBytes(target, offset, message.key);
    offset = writeBytes(target, offset, message.value);
    const headers = message.headers;
    if (!headers || headers.size === 0) target[offset++] = 0;
    else {
      offset = writeVarInt(target, offset, headers.size);
      for (const [name, value] of headers) {
        offset = writeBytes(target, offset, name);
        offset = writeBytes(target, offset, value);
      }
    }
  }
  if (offset - start !== batch.size) throw new Error(`record batch written to ${offset - start} bytes, sized ${batch.size}`);
  target.writeUInt32BE(crc32c(target.subarray(start + CRC_START, offset)), crcAt);
  return offset;
}

/** A delta a double holds exactly, between timestamps that converted from bigints exactly. */
function exact(first: number, timestamp: number, delta: number): boolean {
  return delta > -VARLONG_EXACT_LIMIT && delta < VARLONG_EXACT_LIMIT && Number.isSafeInteger(first) && Number.isSafeInteger(timestamp);
}

/** A record's size after its length varint. */
function recordBodySize(message: BatchedMessage, offsetDelta: number, delta: number | bigint): number {
  const size = 1 + varLongSize(delta) + varIntSize(offsetDelta) + bytesSize(message.key) + bytesSize(message.value);
  const headers = message.headers;
  if (!headers || headers.size === 0) return size + 1;
  let headersSize = varIntSize(headers.size);
  for (const [name, value] of headers) headersSize += bytesSize(name) + bytesSize(value);
  return size + headersSize;
}

function bytesSize(bytes: Buffer | null | undefined): number {
  return bytes == null ? 1 : varIntSize(bytes.length) + bytes.length;
}

function writeBytes(target: Buffer, offset: number, bytes: Buffer | null | undefined): number {
  if (bytes == null) return writeVarInt(target, offset, -1);
  offset = writeVarInt(target, offset, bytes.length);
  target.set(bytes, offset);
  return offset + bytes.length;
}
