import type { ProducedRecord } from '../client/StreamsClient';

/**
 * Bytes of a v2 record batch around its records: base offset (8), length (4), partition leader
 * epoch (4), magic (1), CRC (4), attributes (2), last offset delta (4), first and max timestamp
 * (8 + 8), producer id (8), producer epoch (2), base sequence (4), record count (4). A topic's
 * `max.message.bytes` bounds this plus the records; a record alone in a batch takes this much more.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/** The widest a zigzag varlong gets: the timestamp delta depends on the other records of the batch. */
const TIMESTAMP_DELTA_MAX_BYTES = 10;
/** The widest a zigzag varint gets: the offset delta depends on the record's place in the batch. */
const OFFSET_DELTA_MAX_BYTES = 5;

/**
 * The bytes `record` takes in a v2 record batch, uncompressed: the length, attributes,
 * timestamp delta, offset delta, key, value and headers, each length a zigzag varint. Exact
 * but for the two deltas, counted at their widest (at most 13 bytes more than the encoding),
 * so a batch sized with it is never larger than Kafka counts it.
 */
export function recordSize(record: Pick<ProducedRecord, 'key' | 'value' | 'headers'>): number {
  let body = 1 + TIMESTAMP_DELTA_MAX_BYTES + OFFSET_DELTA_MAX_BYTES + bytesSize(record.key) + bytesSize(record.value);
  let headerCount = 0;
  const headers = record.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue; // not sent (see toTopicMessages)
    headerCount++;
    const nameBytes = Buffer.byteLength(name);
    const valueBytes = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    body += varintSize(nameBytes) + nameBytes + varintSize(valueBytes) + valueBytes;
  }
  body += varintSize(headerCount);
  return varintSize(body) + body;
}

/** A nullable byte array: its length as a varint (-1 for null), then the bytes. */
function bytesSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : varintSize(bytes.length) + bytes.length;
}

/** Bytes of a non-negative length as a zigzag varint (7 bits a byte, of twice the value). */
function varintSize(length: number): number {
  let zigzag = length * 2;
  let bytes = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 0x80);
    bytes++;
  }
  return bytes;
}
