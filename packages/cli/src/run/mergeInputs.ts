import type { TopologyInputRecord } from '../module/TopologyModule';

/** The records of one input topic. */
export interface TopicInput {
  readonly topic: string;
  readonly records: Iterable<TopologyInputRecord> | AsyncIterable<TopologyInputRecord>;
}

/**
 * The records of several topics as one sequence in event-time order: each time, the head
 * with the lowest timestamp goes first (a record without one counts as written now), so a
 * join or a window sees its inputs interleaved as they happened when each input is in time
 * order. Each input is read lazily, one record ahead.
 */
export async function* mergeInputs(inputs: readonly TopicInput[]): AsyncGenerator<{ topic: string; record: TopologyInputRecord }> {
  const heads = new Map<string, { iterator: AsyncIterator<TopologyInputRecord> | Iterator<TopologyInputRecord>; record: TopologyInputRecord }>();
  for (const { topic, records } of inputs) {
    const iterator = Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]();
    const first = await iterator.next();
    if (!first.done) heads.set(topic, { iterator, record: first.value });
  }
  while (heads.size > 0) {
    let topic: string | undefined;
    let lowest = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (const [name, head] of heads) {
      const at = head.record.timestamp ?? now;
      if (topic === undefined || at < lowest) {
        topic = name;
        lowest = at;
      }
    }
    const head = heads.get(topic!)!;
    yield { topic: topic!, record: head.record };
    const next = await head.iterator.next();
    if (next.done) heads.delete(topic!);
    else head.record = next.value;
  }
}
