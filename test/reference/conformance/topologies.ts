// Reference topologies: conformance (their Java twins: tools/kafka-streams-reference/src/main/java/ConformanceTopologies.java).
// Table operations after aggregations and joins (old values, tombstones), final results of
// windows (suppress, onWindowClose with big jumps of stream time), global tables.
import {
  EmitStrategy,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type KTable,
} from '@tributary/core';
import {
  amount,
  joined,
  longSerde,
  longs,
  region,
  sessionWindowedLongs,
  strings,
  timeWindowedLongs,
  type Key,
  type TopologyDefinition,
  type Value,
} from '../definition';

const unbounded = () => Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded());
const longValues = { valueSerde: longSerde };
const countStore = { keySerde: Serdes.string(), valueSerde: longSerde };
const timeWindowed = (size: number) => ({ keySerde: WindowedSerdes.timeWindowed(Serdes.string(), size), valueSerde: longSerde });
const sessionWindowed = { keySerde: WindowedSerdes.sessionWindowed(Serdes.string()), valueSerde: longSerde };
/** `region:amount` rows; a `null` (or empty) row has no amount. */
const amountOf = (row: string | null) => (row === null ? 0 : amount(row));

export const conformanceTopologies: Record<string, TopologyDefinition> = {
  // Issue 11 item 1: a filter after a stream aggregation asks it for old values, so a key that
  // neither passed before nor passes now is dropped, not forwarded as a tombstone.
  'filter-after-reduce': {
    build: () => {
      const b = new StreamsBuilder();
      const latest = b
        .stream<Key, Value>('purchases')
        .groupByKey()
        .reduce((_a, v) => v);
      latest
        .filter((_k, v) => amountOf(v) >= 8)
        .toStream()
        .to('big');
      latest
        .filterNot((_k, v) => amountOf(v) >= 8)
        .toStream()
        .to('small');
      latest
        .mapValues((v) => region(v!))
        .filter((_k, r) => r !== null && r.startsWith('g'))
        .toStream()
        .to('g-regions');
      return b.build();
    },
    outputs: { big: strings, small: strings, 'g-regions': strings },
    describe: true,
  },

  // A count's first update carries the initializer's 0 as its old value (Kafka Streams'
  // KStreamAggregate), so a filter that keeps 0 forwards a tombstone when the count leaves it,
  // and a re-grouping subtracts 0 from the group of 0.
  'filter-after-count': {
    build: () => {
      const b = new StreamsBuilder();
      const counts = b.stream<Key, Value>('clicks').groupByKey().count();
      counts
        .filterNot((_k, c) => c % 2 === 1)
        .toStream()
        .to('even-counts', longValues);
      counts
        .filter((_k, c) => c >= 2)
        .mapValues((c) => c * 10)
        .toStream()
        .to('tens', longValues);
      counts
        .filterNot((_k, c) => c > 3)
        .toStream()
        .to('small-counts', longValues);
      // Re-grouped: a key's first count subtracts its initial 0 from group r0 (a tombstone when r0 is empty).
      counts
        .groupBy((_k, c) => [`r${c % 3}`, c] as const, countStore)
        .reduce(
          (a, v) => a + v,
          (a, v) => a - v,
        )
        .toStream()
        .to('count-groups', longValues);
      return b.build();
    },
    outputs: { 'even-counts': longs, tens: longs, 'small-counts': longs, 'count-groups': longs },
    describe: true,
  },

  // A stream filter on a reduce's changelog: tombstones never come, every update is a record.
  'to-stream-filter-after-reduce': {
    build: () => {
      const b = new StreamsBuilder();
      const totals = b
        .stream<Key, Value>('payments')
        .mapValues((v) => (v === null ? null : amount(v)))
        .groupByKey({ keySerde: Serdes.string(), valueSerde: longSerde })
        .reduce((a, v) => a! + v!);
      totals
        .toStream()
        .filter((_k, total) => total! > 10)
        .to('over-ten', longValues);
      totals
        .toStream()
        .filterNot((k) => k === 'a')
        .mapValues((total) => `total=${total}`)
        .to('not-a');
      return b.build();
    },
    outputs: { 'over-ten': longs, 'not-a': strings },
    describe: true,
  },

  // Filters and mapValues after the three table-table joins: the join always sends old values
  // to a filter, so a row that fails before and after is dropped (issue 11 item 1, outer join).
  'filter-after-table-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.table<Key, string>('left');
      const right = b.table<Key, string>('right');
      const keepsX = (_k: Key, v: string) => v.includes('x');
      left.join(right, joined).filter(keepsX).toStream().to('inner-x');
      left.leftJoin(right, joined).filterNot(keepsX).toStream().to('left-not-x');
      const outer = left.outerJoin(right, joined);
      outer.filter(keepsX).toStream().to('outer-x');
      outer
        .mapValues((v) => v.toUpperCase())
        .filter((_k, v) => v.startsWith('NULL'))
        .toStream()
        .to('outer-no-left');
      return b.build();
    },
    outputs: { 'inner-x': strings, 'left-not-x': strings, 'outer-x': strings, 'outer-no-left': strings },
    describe: true,
  },

  // mapValues and filter on a table, then joined: the join reads the derived table through its
  // parent's store (value getters), and stream-table joins against a mapped table.
  'mapvalues-then-join': {
    build: () => {
      const b = new StreamsBuilder();
      const customers = b.table<Key, string>('customers');
      const tiers = b.table<Key, string>('tiers');
      const upper = customers.mapValues((v) => v.toUpperCase());
      upper.join(tiers, joined).toStream().to('upper-inner');
      customers
        .filter((_k, v) => v.length > 3)
        .leftJoin(tiers.mapValues((t) => `tier-${t}`), joined)
        .toStream()
        .to('long-left');
      const orders = b.stream<Key, string>('orders');
      orders.join(upper, joined).to('orders-upper');
      orders
        .leftJoin(
          tiers.filter((_k, t) => t !== 'x'),
          joined,
        )
        .to('orders-tier');
      return b.build();
    },
    outputs: { 'upper-inner': strings, 'long-left': strings, 'orders-upper': strings, 'orders-tier': strings },
    describe: true,
  },

  // Chains of three table-table joins.
  'three-table-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const a = b.table<Key, string>('a');
      const bt = b.table<Key, string>('b');
      const c = b.table<Key, string>('c');
      a.join(bt, joined).leftJoin(c, joined).toStream().to('inner-left');
      a.outerJoin(bt, joined).join(c, joined).toStream().to('outer-inner');
      a.leftJoin(bt.join(c, joined), joined).outerJoin(c, joined).toStream().to('nested-outer');
      return b.build();
    },
    outputs: { 'inner-left': strings, 'outer-inner': strings, 'nested-outer': strings },
    describe: true,
  },

  // A table-table join re-grouped: the join sends old values to groupBy, so rows move between
  // groups and deletes subtract.
  'join-then-aggregate': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.table<Key, string>('orders');
      const customers = b.table<Key, string>('customers');
      const joinedRows = orders.join(customers, (o, c) => `${c}:${amount(o)}`);
      const byRegion = joinedRows.groupBy((_k, v) => [region(v), v] as const);
      byRegion
        .aggregate(
          () => 0,
          (_k, v, total) => total + amount(v),
          (_k, v, total) => total - amount(v),
          countStore,
        )
        .toStream()
        .to('region-totals', longValues);
      byRegion
        .count()
        .toStream()
        .to('region-counts', longValues);
      orders
        .leftJoin(customers, joined)
        .groupBy((_k, v) => [v.substring(v.indexOf('+') + 1), v] as const)
        .reduce(
          (a, v) => `${a}|${v}`,
          (a, v) => `${a}|-${v}`,
        )
        .toStream()
        .to('by-customer');
      return b.build();
    },
    outputs: { 'region-totals': longs, 'region-counts': longs, 'by-customer': strings },
    describe: true,
  },

  // Final results of a filtered windowed count: suppress(untilWindowCloses) after a filter.
  'windowed-filter-suppress': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .count(countStore)
        .filter((_k, c) => c >= 2)
        .suppress(unbounded())
        .toStream()
        .to('tumbling-final', timeWindowed(10));
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 2).advanceBy(4))
        .count(countStore)
        .filterNot((_k, c) => c === 2)
        .suppress(unbounded())
        .toStream()
        .to('hopping-final', timeWindowed(10));
      return b.build();
    },
    outputs: { 'tumbling-final': timeWindowedLongs(10), 'hopping-final': timeWindowedLongs(10) },
    describe: true,
  },

  // Issue 11 item 1, sessions: behind a session-window count, a filter drops the changes that
  // pass neither before nor after, so they do not move the suppression's stream time.
  'session-filter-suppress': {
    build: () => {
      const b = new StreamsBuilder();
      const sessions = b
        .stream<Key, Value>('clicks')
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 3))
        .count(countStore);
      sessions
        .filter((_k, c) => c >= 2)
        .suppress(unbounded())
        .toStream()
        .to('busy-sessions', sessionWindowed);
      sessions.suppress(unbounded()).toStream().to('all-sessions', sessionWindowed);
      return b.build();
    },
    outputs: { 'busy-sessions': sessionWindowedLongs, 'all-sessions': sessionWindowedLongs },
    describe: true,
  },

  // Issue 11 items 2 and 3: a global table declared first is sub-topology 0; a left join whose
  // key selector returns null emits joiner(value, null) (Kafka Streams 4.x), an inner join drops.
  'global-table-joins': {
    build: () => {
      const b = new StreamsBuilder();
      const products = b.globalTable<Key, string>('products');
      const orders = b.stream<Key, string>('orders');
      // Kafka Streams calls a global join's key selector on null values too.
      const product = (_k: Key, v: string | null) => (v === null ? null : region(v));
      orders.join(products, product, joined).to('inner');
      orders.leftJoin(products, product, joined).to('left-join');
      const regions = b.globalTable<Key, string>('regions', { name: 'regions-store' });
      orders
        .leftJoin(regions, (k) => k, joined)
        .leftJoin(products, (_k, v) => (v.endsWith('+null') ? null : v.substring(v.indexOf('+') + 1)), joined)
        .to('chained');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings, chained: strings },
    describe: true,
  },

  // Sub-topologies and a global store interleaved: ids go by the first node of each.
  'global-table-between': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const products = b.globalTable<Key, string>('products', { name: 'products-store' });
      orders
        .selectKey((_k, v) => (v === null ? null : region(v)))
        .leftJoin(products, (k) => k, joined)
        .groupByKey()
        .count()
        .toStream()
        .to('per-product', longValues);
      return b.build();
    },
    outputs: { 'per-product': longs },
    describe: true,
  },

  // Issue 11 item 4: onWindowClose on hopping and tumbling windows emits the windows Kafka
  // Streams reads back from its store after each update, big jumps of stream time included.
  'hopping-on-close': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(12, 2).advanceBy(4))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('hopping-12-4', timeWindowed(12));
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 0).advanceBy(3))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('hopping-10-3', timeWindowed(10));
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .aggregate(() => 0, (_k, v, n) => n + (v === null ? 0 : v.length), countStore)
        .toStream()
        .to('tumbling-10', timeWindowed(10));
      return b.build();
    },
    outputs: { 'hopping-12-4': timeWindowedLongs(12), 'hopping-10-3': timeWindowedLongs(10), 'tumbling-10': timeWindowedLongs(10) },
    describe: true,
  },

  // Issue 11 item 4 for sliding windows, big jumps of stream time included.
  'sliding-on-close': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      clicks
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('sliding-10-5', timeWindowed(10));
      clicks
        .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(4))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream()
        .to('sliding-4-0', timeWindowed(4));
      return b.build();
    },
    outputs: { 'sliding-10-5': timeWindowedLongs(10), 'sliding-4-0': timeWindowedLongs(4) },
    describe: true,
  },

  // Filters on named (materialized) tables: a named source and a named filter send old values,
  // so a filter below them drops changes that fail before and after; an unnamed filter after
  // an unnamed mapValues of a named source too.
  'filter-named-tables': {
    build: () => {
      const b = new StreamsBuilder();
      const rows = b.table<Key, string>('rows', { name: 'rows-store' });
      rows
        .filter((_k, v) => v.startsWith('a'))
        .toStream()
        .to('a-rows');
      rows
        .mapValues((v) => v.length)
        .filterNot((_k, n) => n < 4)
        .toStream()
        .to('long-rows', longValues);
      // Kafka Streams draws a name index for a named filter: every node after it is named.
      const events: KTable<Key, Value> = b.stream<Key, Value>('events').toTable({ name: 'events-store' });
      events
        .filter((_k, v) => v!.length > 2, { name: 'long-events' })
        .filter((_k, v) => v!.startsWith('d'), { name: 'd-events' })
        .toStream({ name: 'd-events-stream' })
        .to('d-events', { name: 'd-events-sink' });
      return b.build();
    },
    outputs: { 'a-rows': strings, 'long-rows': longs, 'd-events': strings },
    describe: true,
  },

  // Windowed aggregations that send old values: a filter below a time and a sliding window
  // count sees the initializer (or the seeding aggregate) as the old value of a new window.
  'filter-after-windowed-count': {
    build: () => {
      const b = new StreamsBuilder();
      const clicks = b.stream<Key, Value>('clicks').groupByKey();
      clicks
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5).advanceBy(5))
        .count()
        .filterNot((_k, c) => c === 1)
        .toStream()
        .to('hopping-not-one', timeWindowed(10));
      clicks
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5))
        .count()
        .filter((_k, c) => c < 3)
        .toStream()
        .to('sliding-under-three', timeWindowed(10));
      return b.build();
    },
    outputs: { 'hopping-not-one': timeWindowedLongs(10), 'sliding-under-three': timeWindowedLongs(10) },
    describe: true,
  },
};
