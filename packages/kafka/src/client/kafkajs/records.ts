import type { Headers } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import type { Batch, IHeaders, Message, TopicMessages } from 'kafkajs';
import type { ProducedRecord } from '../StreamsClient';

/** KafkaJS messages of one fetched batch as the runtime's input records (offsets and timestamps as numbers). */
export function toInputRecords(batch: Pick<Batch, 'topic' | 'partition' | 'messages'>): InputRecord[] {
  const { topic, partition, messages } = batch;
  const records = new Array<InputRecord>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    records[i] = {
      topic,
      partition,
      offset: Number(message.offset),
      key: message.key ?? null,
      value: message.value ?? null,
      timestamp: Number(message.timestamp),
      headers: toHeaders(message.headers),
    };
  }
  return records;
}

/** A header repeated under one name keeps its last value, as Kafka's `Headers.lastHeader` reads it. */
export function toHeaders(headers: IHeaders | undefined): Headers {
  if (!headers) return {};
  let copy: Headers | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) {
      copy ??= { ...(headers as Headers) };
      copy[name] = value[value.length - 1];
    }
  }
  return copy ?? (headers as Headers);
}

/** Groups records by topic for `producer.sendBatch`, keeping their order. */
export function toTopicMessages(records: readonly ProducedRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let messages = byTopic.get(record.topic);
    if (!messages) byTopic.set(record.topic, (messages = []));
    const message: Message = {
      key: record.key,
      value: record.value,
      timestamp: String(record.timestamp),
      headers: definedHeaders(record.headers),
    };
    if (record.partition !== undefined) message.partition = record.partition;
    messages.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function definedHeaders(headers: Headers): IHeaders | undefined {
  let result: IHeaders | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    (result ??= {})[name] = value;
  }
  return result;
}
