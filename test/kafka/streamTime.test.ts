// A task's stream time survives a move: it is committed with the offsets (as Kafka Streams
// commits each partition's time), and the next owner of the task goes on from it.
import { Stores, StreamsBuilder, type KeyValueStore, type Processor, type ProcessorContext, type StreamRecord } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName } from '../harness';
import { readJson, startApp } from './support';

/** Forwards each record's id with the task's stream time when it was processed, and counts records in a store (a stateful task). */
class StreamTimeTagger implements Processor<string, { id: number }, string, { id: number; streamTime: number }> {
  private context!: ProcessorContext<string, { id: number; streamTime: number }>;
  private seen!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, { id: number; streamTime: number }>): void {
    this.context = context;
    this.seen = context.getStateStore<KeyValueStore<string, number>>('seen');
  }

  process(record: StreamRecord<string, { id: number }>): void {
    this.seen.put(record.key, (this.seen.get(record.key) ?? 0) + 1, record.timestamp);
    this.context.forward({ ...record, value: { id: record.value.id, streamTime: this.context.streamTime() } });
  }
}

describe('stream time across a move', () => {
  it('a stateful task that starts where another instance stopped goes on from its stream time, not from its next record', async () => {
    const input = uniqueName('stream-time-in');
    const output = uniqueName('stream-time-out');
    await createTopic(input, 1);
    await createTopic(output, 1);
    const build = () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, { id: number }>(input)
        .process(() => new StreamTimeTagger(), { name: 'tagger', stores: [Stores.keyValueStore('seen', {})] })
        .to(output);
      return builder.build();
    };
    const applicationId = uniqueName('stream-time-app');
    const record = (id: number, timestamp: number) => ({ key: 'k', value: JSON.stringify({ id }), timestamp: String(timestamp) });

    // The first instance sees a late record (id 3) after a later one: stream time stays at 5000.
    await produce(input, [record(1, 1_000), record(2, 5_000), record(3, 2_000)]);
    const first = await startApp(build(), { applicationId });
    await readJson(output, 3);
    await first.close();

    // The next owner of the task starts at offset 3; its first record is at 3000.
    await produce(input, [record(4, 3_000)]);
    const second = await startApp(build(), { applicationId });
    try {
      const out = await readJson<{ id: number; streamTime: number }>(output, 4);
      expect(out.map((m) => m.json)).toEqual([
        { id: 1, streamTime: 1_000 },
        { id: 2, streamTime: 5_000 },
        { id: 3, streamTime: 5_000 },
        { id: 4, streamTime: 5_000 },
      ]);
    } finally {
      await second.close();
    }
  });
});
