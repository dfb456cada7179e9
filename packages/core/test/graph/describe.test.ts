import { describe, expect, it } from 'vitest';
import { Serdes, Stores, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { javaHashSetOrder } from '../../src/graph/describe';

/** Kafka Streams' WordCount demo, written with Tributary. */
function wordCount(count: { name?: string } = {}) {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('streams-plaintext-input')
    .flatMapValues((line) => line.toLowerCase().split(/\W+/))
    .groupBy((_key, word) => word)
    .count(count)
    .toStream()
    .to('streams-wordcount-output', { valueSerde: Serdes.number() });
  return builder.build();
}

describe('Topology.describe()', () => {
  // What Kafka Streams 3.x/4.x prints for the same WordCount with `.count()` unnamed: one index
  // per node and per generated store name, repartition nodes after the aggregate, sub-topologies
  // numbered upstream first, and its spacing quirks (3 spaces, then 2, a blank line after each).
  it('prints the WordCount topology exactly as Kafka Streams does', () => {
    expect(wordCount().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> KSTREAM-FILTER-0000000006',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FILTER-0000000006 (stores: [])',
        '      --> KSTREAM-SINK-0000000005',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)',
        '      <-- KSTREAM-FILTER-0000000006',
        '',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000004',
        '    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])',
        '      --> KTABLE-TOSTREAM-0000000008',
        '      <-- KSTREAM-SOURCE-0000000007',
        '    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])',
        '      --> KSTREAM-SINK-0000000009',
        '      <-- KSTREAM-AGGREGATE-0000000004',
        '    Sink: KSTREAM-SINK-0000000009 (topic: streams-wordcount-output)',
        '      <-- KTABLE-TOSTREAM-0000000008',
        '',
        '',
      ].join('\n'),
    );
  });

  // `{ name: 'counts-store' }` is Kafka's `Named.as("counts-store")` plus
  // `Materialized.as("counts-store")`: the aggregate takes the name, and a user-named repartition
  // topic names its sink, filter and source after itself (the generated names are still burnt).
  it('prints a named WordCount as Kafka Streams does with Named and Materialized', () => {
    expect(wordCount({ name: 'counts-store' }).describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> counts-store-repartition-filter',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: counts-store-repartition-filter (stores: [])',
        '      --> counts-store-repartition-sink',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '    Sink: counts-store-repartition-sink (topic: counts-store-repartition)',
        '      <-- counts-store-repartition-filter',
        '',
        '  Sub-topology: 1',
        '    Source: counts-store-repartition-source (topics: [counts-store-repartition])',
        '      --> counts-store',
        '    Processor: counts-store (stores: [counts-store])',
        '      --> KTABLE-TOSTREAM-0000000006',
        '      <-- counts-store-repartition-source',
        '    Processor: KTABLE-TOSTREAM-0000000006 (stores: [])',
        '      --> KSTREAM-SINK-0000000007',
        '      <-- counts-store',
        '    Sink: KSTREAM-SINK-0000000007 (topic: streams-wordcount-output)',
        '      <-- KTABLE-TOSTREAM-0000000006',
        '',
        '',
      ].join('\n'),
    );
  });

  it('lists bigger subtrees first, then by name, and counts a node reached twice twice (Kafka Streams node size)', () => {
    const builder = new StreamsBuilder();
    const source = builder.stream<string, number>('in');
    source.peek(() => {}).to('a'); // size 2 below the source
    const left = source.filter(() => true);
    const right = source.mapValues((v) => v);
    left.merge(right).to('merged'); // filter and mapValues each have size 3
    const text = builder.build().describe().toString();
    // Successor lists are TreeSets filled while the sizes still grow (Kafka Streams 3.9.1 prints
    // exactly this; test/reference checks it against Kafka Streams itself).
    expect(text.split('\n').slice(2, 4)).toEqual([
      '    Source: KSTREAM-SOURCE-0000000000 (topics: [in])',
      '      --> KSTREAM-PEEK-0000000001, KSTREAM-FILTER-0000000003, KSTREAM-MAPVALUES-0000000004',
    ]);
    const order = text
      .split('\n')
      .filter((line) => /^ {4}\S/.test(line))
      .map((line) => line.trim().split(' ')[1]);
    expect(order).toEqual([
      'KSTREAM-SOURCE-0000000000', // 1 + 3 + 3 + 2: the merge counts once per path
      'KSTREAM-FILTER-0000000003',
      'KSTREAM-MAPVALUES-0000000004',
      'KSTREAM-MERGE-0000000005',
      'KSTREAM-PEEK-0000000001',
      'KSTREAM-SINK-0000000002',
      'KSTREAM-SINK-0000000006',
    ]);
  });

  it('numbers sub-topologies upstream first, however nodes are named', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('zebra', { name: 'zz-source' })
      .selectKey((_k, v) => v, { name: 'zz-rekey' })
      .groupByKey()
      .count({ name: 'AAA-count' });
    const subs = builder.build().subTopologies;
    expect(subs.map((s) => s.nodes[0]!.name)).toEqual(['zz-source', 'AAA-count-repartition-source']);
  });

  it('numbers global stores with the sub-topologies, in the order their first node was added (a global table first is 0)', () => {
    const builder = new StreamsBuilder();
    const products = builder.globalTable<string, string>('products', { name: 'products' });
    const orders = builder.stream<string, string>('orders');
    builder.globalTable<string, string>('regions', { name: 'regions' });
    orders
      .selectKey((_k, v) => v)
      .leftJoin(products, (k) => k, (order, product) => `${order}+${product}`)
      .groupByKey()
      .count({ name: 'per-product' });
    const topology = builder.build();
    // Kafka Streams: products 0, the orders sub-topology 1, regions 2, the re-keyed count 3.
    expect(topology.globalStoreIds).toEqual([0, 2]);
    expect(topology.subTopologies.map((s) => s.id)).toEqual([1, 3]);
    const headings = topology
      .describe()
      .toString()
      .split('\n')
      .filter((line) => line.includes('Sub-topology'));
    expect(headings).toEqual([
      '   Sub-topology: 0 for global store (will not generate tasks)',
      '  Sub-topology: 1',
      '  Sub-topology: 2 for global store (will not generate tasks)',
      '  Sub-topology: 3',
    ]);
    // The runtime still runs it: tasks take the renumbered ids, the global task the first global id.
    expect(topology.globalSubTopology?.id).toBe(0);
    using driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    driver.createInputTopic<string, string>('products').pipeInput('p1', 'Widget', 1);
    driver.createInputTopic<string, string>('orders').pipeInput('o1', 'p1', 2);
    expect(driver.getKeyValueStore<string, number>('per-product').get('p1')).toBe(1);
  });

  it('describes a custom processor with its stores, and a topic extractor', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .process(() => ({ process: () => {} }), { name: 'dedupe', stores: [Stores.keyValueStore('seen')] })
      .to((key) => `out-${String(key)}`, { name: 'router' });
    expect(builder.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [in])',
        '      --> dedupe',
        '    Processor: dedupe (stores: [seen])',
        '      --> router',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Sink: router (extractor class: function)',
        '      <-- dedupe',
        '',
        '',
      ].join('\n'),
    );
  });

  it('lists several source topics in Java HashSet order, as Kafka Streams prints a Set', () => {
    // Java: "abc".hashCode() = 96354 (bucket 3 of 16), "hello".hashCode() = 99162322 (bucket 11).
    expect(javaHashSetOrder(['hello', 'abc'])).toEqual(['abc', 'hello']);
    expect(javaHashSetOrder(['abc', 'hello'])).toEqual(['abc', 'hello']);
    // Same bucket: insertion order. 'a' (97) and 'q' (113) both land in bucket 1 of 16.
    expect(javaHashSetOrder(['q', 'a'])).toEqual(['q', 'a']);
    const builder = new StreamsBuilder();
    builder.stream(['hello', 'abc']).to('out');
    expect(builder.build().describe().toString()).toContain('Source: KSTREAM-SOURCE-0000000000 (topics: [abc, hello])');
  });

  it('exposes the sub-topologies and stores it printed', () => {
    const description = wordCount({ name: 'counts' }).describe();
    expect(description.subTopologies.map((s) => s.id)).toEqual([0, 1]);
    expect(description.subTopologies[1]!.stores.map((s) => s.name)).toEqual(['counts']);
    expect(description.globalStores).toEqual([]);
  });
});

describe('Topology.describe().toMermaid()', () => {
  it('renders sub-topologies as subgraphs, topics as stadiums and stores as cylinders', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('words')
      .groupBy((_k, word) => word)
      .count({ name: 'counts' })
      .toStream()
      .to('out');
    expect(builder.build().describe().toMermaid()).toBe(
      [
        'flowchart TD',
        '  subgraph Sub_topology_0["Sub-topology 0"]',
        '    KSTREAM_SOURCE_0000000000["KSTREAM-SOURCE-0000000000"]',
        '    KSTREAM_KEY_SELECT_0000000001["KSTREAM-KEY-SELECT-0000000001"]',
        '    counts_repartition_filter["counts-repartition-filter"]',
        '    counts_repartition_sink["counts-repartition-sink"]',
        '  end',
        '  subgraph Sub_topology_1["Sub-topology 1"]',
        '    counts_repartition_source["counts-repartition-source"]',
        '    counts["counts"]',
        '    KTABLE_TOSTREAM_0000000005["KTABLE-TOSTREAM-0000000005"]',
        '    KSTREAM_SINK_0000000006["KSTREAM-SINK-0000000006"]',
        '  end',
        '  topic_words(["words"])',
        '  topic_counts_repartition(["counts-repartition"])',
        '  topic_out(["out"])',
        '  store_counts[("counts")]',
        '  KSTREAM_SOURCE_0000000000 --> KSTREAM_KEY_SELECT_0000000001',
        '  topic_words --> KSTREAM_SOURCE_0000000000',
        '  KSTREAM_KEY_SELECT_0000000001 --> counts_repartition_filter',
        '  counts_repartition_filter --> counts_repartition_sink',
        '  counts_repartition_sink --> topic_counts_repartition',
        '  counts_repartition_source --> counts',
        '  topic_counts_repartition --> counts_repartition_source',
        '  counts --> KTABLE_TOSTREAM_0000000005',
        '  counts -.- store_counts',
        '  KTABLE_TOSTREAM_0000000005 --> KSTREAM_SINK_0000000006',
        '  KSTREAM_SINK_0000000006 --> topic_out',
        '',
      ].join('\n'),
    );
  });

  it('links every node and edge of the text description', () => {
    const description = wordCount().describe();
    const mermaid = description.toMermaid();
    for (const sub of description.subTopologies) {
      for (const node of sub.nodes) {
        expect(mermaid).toContain(`["${node.name}"]`);
        for (const child of node.children) expect(mermaid).toContain(`${node.name.replace(/[^A-Za-z0-9_]/g, '_')} --> ${child.name.replace(/[^A-Za-z0-9_]/g, '_')}`);
      }
    }
  });
});
