// Tributary's side of the differential test: the same topologies as the registry in
// tools/kafka-streams-reference/src/main/java/Reference.java, operation for operation and in
// the same order (so generated names, and describe(), can match Kafka Streams'). Each room
// of cases keeps its topologies (and Reference.java its Java twins) in a file of its own.
import {
  EmitStrategy,
  JoinWindows,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type Serde,
  type Topology,
  type Windowed,
} from '@tributary/core';
import { cogroupTopologies } from './cogroup/topologies';
import { conformanceTopologies } from './conformance/topologies';
import {
  amount,
  joined,
  longs,
  longSerde,
  lowerWords,
  region,
  sessionWindowedLongs,
  strings,
  tableSourceDiffers,
  timeWindowedLongs,
  words,
  type Key,
  type TopologyDefinition,
  type Value,
} from './definition';
import { processTopologies } from './process/topologies';
import { versionedTopologies } from './versioned/topologies';

export { longSerde, type OutputFormat, type TopologyDefinition } from './definition';

const baseTopologies: Record<string, TopologyDefinition> = {
  stateless: {
    build: () => {
      const b = new StreamsBuilder();
      const input = b.stream<Key, Value>('input');
      input
        .filter((_k, v) => v !== null && v !== '')
        .mapValues((v) => v!.toUpperCase())
        .flatMapValues((v) => words(v))
        .to('words');
      input
        .filterNot((_k, v) => v === null)
        .selectKey((_k, v) => (v === '' ? null : v!.substring(0, 1)))
        .map((k, v) => [k, `${v}<${k ?? '?'}`] as const)
        .to('rekeyed');
      input
        .flatMap((k, v): [Key, Value][] => (v === null ? [] : [[v, k], [k, String(v.length)]]))
        .to('flat');
      // Unnamed split, named branches: `<generated split name><branch name>`.
      const branches = input
        .split()
        .branch((_k, v) => v === null, { name: 'tombstones' })
        .branch((_k, v) => v!.length < 4, { name: 'short' })
        .defaultBranch({ name: 'long' });
      const branch = (suffix: string) => Object.entries(branches).find(([name]) => name.endsWith(suffix))![1];
      const [tombstones, short, long] = [branch('tombstones'), branch('short'), branch('long')];
      tombstones.mapValues(() => 'deleted').to('branch-tombstones');
      short.to('branch-short');
      long.to('branch-long');
      short.merge(long).peek(() => {}).to('merged');
      return b.build();
    },
    outputs: { words: strings, rekeyed: strings, flat: strings, 'branch-tombstones': strings, 'branch-short': strings, 'branch-long': strings, merged: strings },
    describe: true,
  },

  'fan-out-merge': {
    build: () => {
      const b = new StreamsBuilder();
      const source = b.stream<Key, Value>('in');
      source.peek(() => {}).to('a');
      const left = source.filter(() => true);
      const right = source.mapValues((v) => v);
      left.merge(right).to('merged');
      return b.build();
    },
    outputs: { a: strings, merged: strings },
    describe: true,
  },

  wordcount: {
    build: () => {
      const b = new StreamsBuilder();
      b.stream<Key, Value>('lines')
        .flatMapValues((v) => (v === null ? [] : lowerWords(v)))
        .groupBy((_k, w) => w)
        .count()
        .toStream()
        .to('word-counts', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { 'word-counts': longs },
    describe: true,
  },

  'reduce-aggregate': {
    build: () => {
      const b = new StreamsBuilder();
      const events = b.stream<Key, Value>('events');
      const byKey = events.groupByKey();
      byKey
        .reduce((a, v) => `${a}|${v}`)
        .toStream()
        .to('reduced');
      byKey
        .aggregate(() => 0, (_k, v, agg) => agg + (v === null ? 0 : v.length), { keySerde: Serdes.string(), valueSerde: longSerde })
        .toStream()
        .to('lengths', { valueSerde: longSerde });
      events
        .mapValues((v) => (v === null ? null : v.length))
        .selectKey((k) => (k === null || k === '' ? k : k.substring(0, 1)))
        .groupByKey({ keySerde: Serdes.string(), valueSerde: longSerde })
        .reduce((a, v) => a! + v!)
        .toStream()
        .to('sum-by-initial', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { reduced: strings, lengths: longs, 'sum-by-initial': longs },
    describe: true,
  },

  'table-regroup': {
    build: () => {
      const b = new StreamsBuilder();
      const users = b.table<Key, string>('users');
      const byRegion = users.groupBy((_k, v) => [region(v), v] as const);
      byRegion
        .aggregate(
          () => 0,
          (_k, v, agg) => agg + amount(v),
          (_k, v, agg) => agg - amount(v),
          { keySerde: Serdes.string(), valueSerde: longSerde },
        )
        .toStream()
        .to('region-totals', { valueSerde: longSerde });
      byRegion
        .count()
        .toStream()
        .to('region-counts', { valueSerde: longSerde });
      byRegion
        .reduce(
          (a, v) => `${a},${v}`,
          (a, v) => `${a},-${v}`,
        )
        .toStream()
        .to('region-rows');
      return b.build();
    },
    outputs: { 'region-totals': longs, 'region-counts': longs, 'region-rows': strings },
    describe: true,
  },

  'table-ops': {
    build: () => {
      const b = new StreamsBuilder();
      const rows = b.table<Key, string>('rows');
      rows
        .filter((_k, v) => v.startsWith('a'))
        .mapValues((v) => v.toUpperCase())
        .toStream()
        .to('filtered');
      rows
        .filterNot((_k, v) => v.startsWith('a'))
        .toStream()
        .to('rejected');
      b.stream<Key, Value>('events').toTable().toStream().to('as-table');
      return b.build();
    },
    outputs: { filtered: strings, rejected: strings, 'as-table': strings },
    describe: tableSourceDiffers,
  },

  'time-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      const windowed = { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 10), valueSerde: longSerde };
      const tumbling = TimeWindows.ofSizeAndGrace(10, 5);
      clicks.windowedBy(tumbling).count().toStream().to('tumbling', windowed);
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 3).advanceBy(5))
        .count()
        .toStream()
        .to('hopping', windowed);
      clicks
        .windowedBy(tumbling)
        .count({ keySerde: Serdes.string(), valueSerde: longSerde })
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('tumbling-suppressed', windowed);
      return b.build();
    },
    outputs: { tumbling: timeWindowedLongs(10), hopping: timeWindowedLongs(10), 'tumbling-suppressed': timeWindowedLongs(10) },
    describe: true,
  },

  // Final results only, with stream time moving in small steps (big jumps, which skip closed
  // windows out of retention as in Kafka Streams: conformance/'hopping-on-close', 'sliding-on-close').
  'time-windows-on-close': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      const windowed = { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 10), valueSerde: longSerde };
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('tumbling-on-close', windowed);
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 3).advanceBy(5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('hopping-on-close', windowed);
      return b.build();
    },
    outputs: { 'tumbling-on-close': timeWindowedLongs(10), 'hopping-on-close': timeWindowedLongs(10) },
    describe: true,
  },

  'sliding-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      const windowed = { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 10), valueSerde: longSerde };
      const sliding = SlidingWindows.ofTimeDifferenceAndGrace(10, 5);
      clicks.windowedBy(sliding).count().toStream().to('sliding', windowed);
      clicks
        .windowedBy(sliding)
        .count({ keySerde: Serdes.string(), valueSerde: longSerde })
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('sliding-suppressed', windowed);
      return b.build();
    },
    outputs: { sliding: timeWindowedLongs(10), 'sliding-suppressed': timeWindowedLongs(10) },
    describe: true,
  },

  // Final results only; small steps of stream time, as for 'time-windows-on-close'.
  'sliding-windows-on-close': {
    build: () => {
      const b = new StreamsBuilder();
      b.stream<Key, Value>('clicks')
        .groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('sliding-on-close', { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 10), valueSerde: longSerde });
      return b.build();
    },
    outputs: { 'sliding-on-close': timeWindowedLongs(10) },
    describe: true,
  },

  'session-windows': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      const windowed = { keySerde: WindowedSerdes.sessionWindowed(Serdes.string()), valueSerde: longSerde };
      const sessions = SessionWindows.ofInactivityGapAndGrace(5, 10);
      clicks.windowedBy(sessions).count().toStream().to('sessions', windowed);
      clicks
        .windowedBy(sessions)
        .count({ keySerde: Serdes.string(), valueSerde: longSerde })
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('sessions-suppressed', windowed);
      clicks.windowedBy(sessions).emitStrategy(EmitStrategy.onWindowClose()).count().toStream().to('sessions-on-close', windowed);
      return b.build();
    },
    outputs: { sessions: sessionWindowedLongs, 'sessions-suppressed': sessionWindowedLongs, 'sessions-on-close': sessionWindowedLongs },
    describe: true,
  },

  'stream-stream-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.stream<Key, string>('left');
      const right = b.stream<Key, string>('right');
      const windows = JoinWindows.ofTimeDifferenceAndGrace(5, 3);
      left.join(right, joined, windows).to('inner');
      left.leftJoin(right, joined, windows).to('left-join');
      left.outerJoin(right, joined, windows).to('outer');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings, outer: strings },
    describe: true,
  },

  'stream-table-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const customers = b.table<Key, string>('customers');
      orders.join(customers, joined).to('inner');
      orders.leftJoin(customers, joined).to('left-join');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings },
    describe: true,
  },

  'table-table-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.table<Key, string>('left');
      const right = b.table<Key, string>('right');
      left.join(right, joined).toStream().to('inner');
      left.leftJoin(right, joined).toStream().to('left-join');
      left.outerJoin(right, joined).toStream().to('outer');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings, outer: strings },
    describe: true,
  },

  'foreign-key-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.table<Key, string>('orders');
      const products = b.table<string, string>('products');
      orders.join(products, (v) => region(v), joined).toStream().to('inner');
      orders.leftJoin(products, (v) => region(v), joined).toStream().to('left-join');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings },
    describe: true,
  },
};

export const topologies: Record<string, TopologyDefinition> = {
  ...baseTopologies,
  ...conformanceTopologies,
  ...cogroupTopologies,
  ...processTopologies,
  ...versionedTopologies,
};
