import type { Headers } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import type { Consumer, MessageToProduce, RecordsBatch } from '@platformatic/kafka';
import type { ProducedRecord } from '../StreamsClient';

/** A fetch answer (the client exports no name for its type). */
export type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;
type FetchResponsePartition = FetchResponse['responses'][number]['partitions'][number];

/** Record batch attributes (Kafka's `DefaultRecordBatch`). */
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
/** The control record type of a transaction's abort marker (the key's second int16). */
const ABORT_MARKER = 0;

/** What one fetch returned for one partition, as the runtime reads it. */
export interface FetchedRecords {
  readonly records: InputRecord[];
  /** The offset after the last one the response covered, markers and aborted records included. */
  readonly nextOffset: number;
  /** The first offset of the response, when it held any batch. */
  readonly firstOffset: number | undefined;
}

/**
 * The records of one partition's fetch answer from `fetchOffset` on: control batches
 * (transaction markers) skipped, and, for `read_committed`, the batches of the aborted
 * transactions the broker lists, as Kafka's Java consumer filters them. The client's own
 * filter keeps only one aborted transaction per producer, and none whose abort marker lies
 * past the answer; this one tracks each listed transaction until its marker.
 */
export function fetchedRecords(topic: string, partition: number, fetchOffset: number, response: FetchResponsePartition): FetchedRecords {
  const batches = response.records ?? [];
  const records: InputRecord[] = [];
  if (batches.length === 0) return { records, nextOffset: fetchOffset, firstOffset: undefined };
  const aborted = [...(response.abortedTransactions ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  let next = 0;
  for (const batch of batches) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    while (next < aborted.length && aborted[next]!.firstOffset <= lastOffset) abortedProducers.add(aborted[next++]!.producerId);
    if (batch.attributes & CONTROL) {
      if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
      continue;
    }
    if (batch.attributes & TRANSACTIONAL && abortedProducers.has(batch.producerId)) continue;
    appendRecords(records, topic, partition, fetchOffset, batch);
  }
  const last = batches[batches.length - 1]!;
  return { records, nextOffset: Number(last.firstOffset) + last.lastOffsetDelta + 1, firstOffset: Number(batches[0]!.firstOffset) };
}

function isAbortMarker(batch: RecordsBatch): boolean {
  const key = batch.records[0]?.key;
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === ABORT_MARKER;
}

function appendRecords(records: InputRecord[], topic: string, partition: number, fetchOffset: number, batch: RecordsBatch): void {
  const logAppendTime = (batch.attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const base = Number(batch.firstOffset);
  for (const record of batch.records) {
    const offset = base + record.offsetDelta;
    // A compressed batch starts where it starts, maybe before the offset that was asked for.
    if (offset < fetchOffset) continue;
    records.push({
      topic,
      partition,
      offset,
      key: record.key ?? null,
      value: record.value ?? null,
      timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
      headers: toHeaders(record.headers),
    });
  }
}

/** A header repeated under one name keeps its last value, as Kafka's `Headers.lastHeader` reads it. */
function toHeaders(headers: readonly [Buffer | null, Buffer | null][]): Headers {
  const result: Headers = {};
  for (const [name, value] of headers) {
    if (name === null) continue;
    result[name.toString()] = value ?? undefined;
  }
  return result;
}

/** The runtime's records as the client's messages (keys, values and header values as bytes). */
export function toMessages(records: readonly ProducedRecord[]): MessageToProduce[] {
  return records.map((record) => {
    const message: MessageToProduce = { topic: record.topic, timestamp: BigInt(record.timestamp) };
    if (record.key !== null) message.key = record.key;
    if (record.value !== null) message.value = record.value;
    const headers = toHeaderMap(record.headers);
    if (headers) message.headers = headers;
    if (record.partition !== undefined) message.partition = record.partition;
    return message;
  });
}

function toHeaderMap(headers: Headers): Map<Buffer, Buffer> | undefined {
  let map: Map<Buffer, Buffer> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    (map ??= new Map()).set(Buffer.from(name), typeof value === 'string' ? Buffer.from(value) : value);
  }
  return map;
}
