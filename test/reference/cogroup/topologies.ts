// Reference topologies: cogroup (their Java twins: tools/kafka-streams-reference/src/main/java/CogroupTopologies.java).
import { Serdes, SessionWindows, SlidingWindows, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes } from '@tributary/core';
import { joined, longSerde, longs, sessionWindowedLongs, strings, timeWindowedLongs, type Key, type TopologyDefinition, type Value } from '../definition';

const longAggregate = { keySerde: Serdes.string(), valueSerde: longSerde };
const timeWindowedOutput = { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 10), valueSerde: longSerde };
const sessionWindowedOutput = { keySerde: WindowedSerdes.sessionWindowed(Serdes.string()), valueSerde: longSerde };

export const cogroupTopologies: Record<string, TopologyDefinition> = {
  // Two streams folded into one string per key: which input each part came from.
  'cogroup-two-streams': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.stream<Key, Value>('left').groupByKey();
      const right = b.stream<Key, Value>('right').groupByKey();
      left
        .cogroup((_k, v, agg: string) => `${agg}L${v}`)
        .cogroup(right, (_k, v, agg) => `${agg}R${v}`)
        .aggregate(() => '')
        .toStream()
        .to('cogrouped');
      return b.build();
    },
    outputs: { cogrouped: strings },
    describe: true,
  },

  // Three inputs, two re-keyed (an unnamed groupBy: the topic is named after the store; a named
  // grouping: after its name), weighted so each input shows; a second aggregation of the same
  // cogroup reuses the repartition topics.
  'cogroup-three-streams': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      const views = b.stream<Key, Value>('views').groupBy((_k, v) => v);
      const refs = b
        .stream<Key, Value>('refs')
        .selectKey((k) => (k === null ? null : k.toUpperCase()))
        .groupByKey({ name: 'refs-by-key' });
      const weighted = clicks
        .cogroup((_k, _v, n: number) => n + 1)
        .cogroup(views, (_k, _v, n) => n + 100)
        .cogroup(refs, (_k, _v, n) => n + 10000);
      weighted.aggregate(() => 0, longAggregate).toStream().to('weighted', { valueSerde: longSerde });
      // Kafka Streams draws generated names for named cogroup processors too (README: "Named operations
      // do not use up a generated index"), so everything after a named one is named.
      weighted
        .aggregate(() => 5, { name: 'again', valueSerde: longSerde })
        .toStream({ name: 'again-stream' })
        .to('again', { valueSerde: longSerde, name: 'again-sink' });
      return b.build();
    },
    outputs: { weighted: longs, again: longs },
    describe: true,
  },

  // The cogrouped table downstream: filter, mapValues, a stream-table join against it, and a
  // re-grouping that needs old values.
  'cogroup-table-ops': {
    build: () => {
      const b = new StreamsBuilder();
      const firsts = b.stream<Key, string>('firsts').groupByKey();
      const lengths = b.stream<Key, string>('lengths').groupByKey();
      const table = firsts
        .cogroup((_k, v, agg: string) => agg + v.substring(0, 1))
        .cogroup(lengths, (_k, v, agg) => `${agg}${v.length}`)
        .aggregate(() => '');
      table
        .filter((_k, v) => v.length % 2 === 0)
        .mapValues((v) => v.toUpperCase())
        .toStream()
        .to('even');
      b.stream<Key, string>('lookups').join(table, joined).to('joined');
      table
        .groupBy((_k, v) => [String(v.length % 3), v] as const)
        .count()
        .toStream()
        .to('by-length', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { even: strings, joined: strings, 'by-length': longs },
    describe: true,
  },

  // Named processors and stores: `<name>-cogroup-agg-<i>` and `<name>-cogroup-merge`.
  'cogroup-named': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.stream<Key, Value>('left').groupByKey();
      const right = b.stream<Key, Value>('right').groupByKey();
      const cogrouped = left.cogroup((_k, v, agg: string) => `${agg}<${v}`).cogroup(right, (_k, v, agg) => `${v}>${agg}`);
      // Kafka Streams draws generated names for named cogroup processors too (README: "Named operations
      // do not use up a generated index"), so everything after them is named.
      cogrouped.aggregate(() => '', { name: 'pairs' }).toStream({ name: 'pairs-stream' }).to('pairs', { name: 'pairs-sink' });
      cogrouped
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .aggregate(() => '', { name: 'windowed-pairs' })
        .toStream({ name: 'windowed-pairs-stream' })
        .selectKey((w) => `${w.key}@${w.window.start}`, { name: 'windowed-pairs-key' })
        .to('windowed-pairs', { name: 'windowed-pairs-sink' });
      return b.build();
    },
    outputs: { pairs: strings, 'windowed-pairs': strings },
    describe: true,
  },

  // Time windows: tumbling and hopping on every update, and tumbling final results.
  'cogroup-time-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const a = b.stream<Key, Value>('a').groupByKey();
      const c = b.stream<Key, Value>('c').groupByKey();
      const cogrouped = a.cogroup((_k, _v, n: number) => n + 1).cogroup(c, (_k, _v, n) => n + 100);
      const tumbling = TimeWindows.ofSizeAndGrace(10, 5);
      cogrouped.windowedBy(tumbling).aggregate(() => 0, longAggregate).toStream().to('tumbling', timeWindowedOutput);
      cogrouped
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 3).advanceBy(5))
        .aggregate(() => 0, longAggregate)
        .toStream()
        .to('hopping', timeWindowedOutput);
      cogrouped
        .windowedBy(tumbling)
        .aggregate(() => 0, longAggregate)
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('tumbling-final', timeWindowedOutput);
      return b.build();
    },
    outputs: { tumbling: timeWindowedLongs(10), hopping: timeWindowedLongs(10), 'tumbling-final': timeWindowedLongs(10) },
    describe: true,
  },

  // Sliding windows over a re-keyed input and a plain one, on every update and final.
  'cogroup-sliding-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const a = b.stream<Key, Value>('a').groupByKey();
      const byValue = b.stream<Key, Value>('by-value').groupBy((_k, v) => v);
      const cogrouped = a.cogroup((_k, _v, n: number) => n + 1).cogroup(byValue, (_k, _v, n) => n + 100);
      const sliding = SlidingWindows.ofTimeDifferenceAndGrace(10, 5);
      cogrouped.windowedBy(sliding).aggregate(() => 0, longAggregate).toStream().to('sliding', timeWindowedOutput);
      cogrouped
        .windowedBy(sliding)
        .aggregate(() => 0, longAggregate)
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('sliding-final', timeWindowedOutput);
      return b.build();
    },
    outputs: { sliding: timeWindowedLongs(10), 'sliding-final': timeWindowedLongs(10) },
    describe: true,
  },

  // Session windows: records of either input extend and merge the same sessions.
  'cogroup-session-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const a = b.stream<Key, Value>('a').groupByKey();
      const c = b.stream<Key, Value>('c').groupByKey();
      const cogrouped = a.cogroup((_k, _v, n: number) => n + 1).cogroup(c, (_k, _v, n) => n + 100);
      const sessions = SessionWindows.ofInactivityGapAndGrace(5, 10);
      cogrouped
        .windowedBy(sessions)
        .aggregate(() => 0, (_k, x, y) => x + y, longAggregate)
        .toStream()
        .to('sessions', sessionWindowedOutput);
      cogrouped
        .windowedBy(sessions)
        .aggregate(() => 0, (_k, x, y) => x + y, longAggregate)
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('sessions-final', sessionWindowedOutput);
      return b.build();
    },
    outputs: { sessions: sessionWindowedLongs, 'sessions-final': sessionWindowedLongs },
    describe: true,
  },
};
