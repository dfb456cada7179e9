// Reference topologies: versioned (their Java twins: tools/kafka-streams-reference/src/main/java/VersionedTopologies.java).
import { StreamsBuilder, Stores, type JoinedOptions } from '@tributary/core';
import { joined, longs, longSerde, region, strings, type Key, type TopologyDefinition } from '../definition';

/** A table kept in a versioned store named `store` with `historyRetentionMs`. */
const versioned = (store: string, historyRetentionMs: number) => ({ store: Stores.versionedKeyValueStore(store, { historyRetention: historyRetentionMs }) });

const grace = (gracePeriod: number): JoinedOptions<Key, string> => ({ gracePeriod });

export const versionedTopologies: Record<string, TopologyDefinition> = {
  // A versioned table's changelog: out-of-order updates still flow, too-old ones are dropped.
  'versioned-table-source': {
    build: () => {
      const b = new StreamsBuilder();
      b.table<Key, string>('rates', versioned('rates-store', 10)).toStream().to('updates');
      return b.build();
    },
    outputs: { updates: strings },
    describe: true,
  },

  // filter and mapValues below a versioned table (no store of their own).
  'versioned-table-filter-map': {
    build: () => {
      const b = new StreamsBuilder();
      const rates = b.table<Key, string>('rates', versioned('rates-store', 10));
      rates
        .filter((_k, v) => v.startsWith('a') || v.startsWith('c'))
        .toStream()
        .to('filtered');
      rates
        .mapValues((v) => v.toUpperCase())
        .toStream()
        .to('mapped');
      return b.build();
    },
    outputs: { filtered: strings, mapped: strings },
    describe: true,
  },

  // Stream-table joins without a grace period: the table is read as of the record's time.
  'versioned-stream-join': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const rates = b.table<Key, string>('rates', versioned('rates-store', 20));
      orders.join(rates, joined).to('inner');
      orders.leftJoin(rates, joined).to('left-join');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings },
    describe: true,
  },

  // An inner join with a grace period: stream records wait for late table updates.
  'versioned-stream-join-grace': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const rates = b.table<Key, string>('rates', versioned('rates-store', 20));
      orders.join(rates, joined, grace(5)).to('inner');
      return b.build();
    },
    outputs: { inner: strings },
    describe: true,
  },

  // A left join with a grace period as long as the history retention.
  'versioned-stream-left-join-grace': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const rates = b.table<Key, string>('rates', versioned('rates-store', 8));
      orders.leftJoin(rates, joined, grace(8)).to('left-join');
      return b.build();
    },
    outputs: { 'left-join': strings },
    describe: true,
  },

  // A named join with a grace period (its buffer is "<name>-Buffer"), after a key change.
  'versioned-join-grace-rekeyed': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const rates = b.table<Key, string>('rates', versioned('rates-store', 30));
      orders
        .selectKey((_k, v) => (v === null || v === '' ? null : v.substring(0, 1)))
        .join(rates, joined, { name: 'enrich', gracePeriod: 3 })
        .to('enriched');
      return b.build();
    },
    outputs: { enriched: strings },
    describe: { differs: "README 'Named operations do not use up a generated index': Kafka Streams draws an index for Joined.as(\"enrich\"), so its sink is one higher" },
  },

  // A grace-period join on an unmaterialized filter of a versioned table.
  'versioned-join-grace-filtered': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const rates = b.table<Key, string>('rates', versioned('rates-store', 10));
      orders.leftJoin(
        rates.filter((_k, v) => !v.startsWith('x')),
        joined,
        grace(4),
      ).to('left-join');
      return b.build();
    },
    outputs: { 'left-join': strings },
    describe: true,
  },

  // Joins on an unmaterialized mapValues of a versioned table, with and without a grace period.
  'versioned-join-mapped-table': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.stream<Key, string>('orders');
      const upper = b.table<Key, string>('rates', versioned('rates-store', 6)).mapValues((v) => v.toUpperCase());
      orders.join(upper, joined).to('inner');
      orders.leftJoin(upper, joined, grace(3)).to('left-join');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings },
    describe: true,
  },

  // toTable into a versioned store, read back and joined.
  'versioned-to-table': {
    build: () => {
      const b = new StreamsBuilder();
      const latest = b.stream<Key, string>('events').toTable(versioned('latest-store', 10));
      latest.toStream().to('latest-updates');
      b.stream<Key, string>('orders').join(latest, joined, grace(2)).to('joined');
      return b.build();
    },
    outputs: { 'latest-updates': strings, joined: strings },
    describe: true,
  },

  // A versioned table joined with a non-versioned one: out-of-order versioned updates do not join.
  'versioned-table-table-join': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.table<Key, string>('left', versioned('left-store', 15));
      const right = b.table<Key, string>('right', { name: 'right-store' });
      left.join(right, joined).toStream().to('inner');
      left.leftJoin(right, joined).toStream().to('left-join');
      right.outerJoin(left, joined).toStream().to('outer');
      return b.build();
    },
    outputs: { inner: strings, 'left-join': strings, outer: strings },
    describe: true,
  },

  // Two versioned tables joined: only in-order updates of either side join.
  'versioned-both-table-join': {
    build: () => {
      const b = new StreamsBuilder();
      const left = b.table<Key, string>('left', versioned('left-store', 5));
      const right = b.table<Key, string>('right', versioned('right-store', 25));
      left.join(right, joined).toStream().to('inner');
      left.outerJoin(right, joined).toStream().to('outer');
      return b.build();
    },
    outputs: { inner: strings, outer: strings },
    describe: true,
  },

  // Regrouping a versioned table: out-of-order updates are not aggregated.
  'versioned-table-groupby': {
    build: () => {
      const b = new StreamsBuilder();
      b.table<Key, string>('users', versioned('users-store', 12))
        .groupBy((_k, v) => [region(v), v] as const)
        .count()
        .toStream()
        .to('region-counts', { valueSerde: longSerde });
      return b.build();
    },
    outputs: { 'region-counts': longs },
    describe: true,
  },

  // A foreign-key join whose both tables are versioned.
  'versioned-foreign-key-join': {
    build: () => {
      const b = new StreamsBuilder();
      const orders = b.table<Key, string>('orders', versioned('orders-store', 10));
      const products = b.table<string, string>('products', versioned('products-store', 10));
      orders
        .leftJoin(products, (v) => region(v), joined)
        .toStream()
        .to('left-join');
      return b.build();
    },
    outputs: { 'left-join': strings },
    describe: true,
  },
};
