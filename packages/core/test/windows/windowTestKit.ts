import { Serdes, StreamsBuilder, type KStream, type Windowed } from '@tributary/core';
import { TopologyTestDriver, type TestOutputTopic } from '@tributary/core/testing';

/** One output record of a windowed table, flattened for exact comparisons. */
export type Row = [key: string, start: number, end: number, value: unknown, timestamp: number];

/** Reads every unread record of a windowed output topic as `[key, start, end, value, timestamp]`. */
export function rows(topic: TestOutputTopic<Windowed<string>, unknown>): Row[] {
  return topic.readRecordsToList().map((r) => [r.key.key, r.key.window.start, r.key.window.end, r.value, r.timestamp]);
}

/**
 * A topology reading string keys and values from `input`, shaped by `build`, and a driver
 * over it. Records are piped as `[key, value, timestamp]`. Each `output()` call makes a new
 * reader starting at the topic's first record: keep one per test.
 */
export function windowedTopology(build: (stream: KStream<string, string>) => void, options: { partitions?: number } = {}) {
  const builder = new StreamsBuilder();
  build(builder.stream<string, string>('input', { valueSerde: Serdes.string() }));
  const driver = new TopologyTestDriver(builder.build(), { defaultPartitions: options.partitions ?? 1, initialWallClockTime: 0 });
  const input = driver.createInputTopic<string, string>('input');
  const output = (topic = 'output') => driver.createOutputTopic<Windowed<string>, unknown>(topic);
  const pipe = (...records: [key: string | null, value: string | null, timestamp: number][]) => {
    for (const [key, value, timestamp] of records) input.pipeInput(key, value, timestamp);
  };
  const late = () => driver.metrics().droppedByReason.late ?? 0;
  return { driver, input, output, pipe, late };
}
