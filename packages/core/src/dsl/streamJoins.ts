import { TopologyError } from '../errors';
import type { GraphNode } from '../graph/GraphNode';
import { passThrough } from '../operators/passThrough';
import { joinWindowBuffer, streamStreamJoinSide } from '../operators/streamStreamJoin';
import { streamTableJoin } from '../operators/streamTableJoin';
import { streamTableJoinGrace } from '../operators/streamTableJoinGrace';
import { storeValueGetter, type TableValueGetterSupplier } from '../operators/tableValueGetter';
import type { TopologyBuilder } from '../graph/TopologyBuilder';
import { timeOrderedRecordBufferSpec } from '../state/TimeOrderedRecordBuffer';
import { windowMillis } from '../windows/windowArguments';
import type { Serde } from '../serdes/Serde';
import { joinWindowStoreSpec } from '../state/JoinWindowStore';
import { outerJoinStoreSpec } from '../state/OuterJoinStore';
import { JoinWindows } from '../windows/JoinWindows';
import type { GlobalKTable } from './GlobalKTable';
import { KStream } from './KStream';
import type { KTable } from './KTable';
import type { JoinedOptions, NamedOptions, StreamJoinedOptions } from './options';
import { relaxNullKeyFilters } from './repartitionInternals';
import { checkFunction } from './validate';

type Joiner = (left: unknown, right: unknown, key: unknown) => unknown;

const joinRepartitions = new WeakMap<KStream<unknown, unknown>, Map<string, GraphNode>>();

/**
 * The node a join reads for `stream`: the stream itself, or (after a key change) the source
 * of its repartition topic `<name>-repartition`. Joining the same rekeyed stream again reuses
 * the topic, as Kafka Streams does, still burning the three generated names it would.
 */
function joinInput(stream: KStream<unknown, unknown>, name: string, keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined): GraphNode {
  if (!stream.keyChanged) return stream.state.node;
  const { builder } = stream.state;
  let byName = joinRepartitions.get(stream);
  if (!byName) {
    byName = new Map();
    joinRepartitions.set(stream, byName);
  }
  const existing = byName.get(name);
  if (existing) {
    for (const prefix of ['KSTREAM-SINK-', 'KSTREAM-FILTER-', 'KSTREAM-SOURCE-']) builder.newName(prefix);
    return existing;
  }
  const node = stream.repartitionNode(name, keySerde, valueSerde);
  byName.set(name, node);
  return node;
}

/** Inner, left or outer: whether the left side, and the right side, emit records without a partner. */
export type StreamJoinKind = 'inner' | 'left' | 'outer';

/**
 * Wires a windowed stream-stream join as Kafka Streams does (`KStreamImplJoin`): both sides
 * repartitioned if their key may have changed, checked for co-partitioning, buffered in a
 * window store each, joined by one processor per side, merged. Left and outer joins share
 * an outer join store that holds back unmatched records until their window closes.
 */
export function joinStreams(
  left: KStream<unknown, unknown>,
  right: unknown,
  joiner: unknown,
  windows: unknown,
  kind: StreamJoinKind,
  options: StreamJoinedOptions<unknown, unknown, unknown>,
): KStream<unknown, unknown> {
  const operation = kind === 'inner' ? 'join' : `${kind}Join`;
  if (!(right instanceof KStream)) throw new TopologyError(`${operation}: the other side must be a KStream, KTable or GlobalKTable`);
  if (right.state.builder !== left.state.builder) throw new TopologyError(`${operation}: both streams must come from the same StreamsBuilder`);
  checkFunction(joiner, operation, 'joiner');
  if (!(windows instanceof JoinWindows)) throw new TopologyError(`${operation}: a stream-stream join needs JoinWindows, e.g. JoinWindows.ofTimeDifferenceWithNoGrace('5m')`);
  const { builder } = left.state;
  const user = joiner as Joiner;
  const leftOuter = kind !== 'inner';
  const rightOuter = kind === 'outer';
  const name = options.name;

  const keySerde = (options.keySerde ?? left.state.keySerde ?? right.state.keySerde) as Serde<unknown> | undefined;
  const leftNode = joinInput(left, name ? `${name}-left` : left.state.node.name, keySerde, (options.valueSerde ?? left.state.valueSerde) as Serde<unknown> | undefined);
  const rightNode = joinInput(right, name ? `${name}-right` : right.state.node.name, keySerde, (options.otherValueSerde ?? right.state.valueSerde) as Serde<unknown> | undefined);
  builder.requireCopartition([leftNode, rightNode]);

  // Names in Kafka Streams' order, so generated names match its own.
  const thisWindowedName = name ? `${name}-this-windowed` : builder.newName('KSTREAM-WINDOWED-');
  const otherWindowedName = name ? `${name}-other-windowed` : builder.newName('KSTREAM-WINDOWED-');
  const thisPrefix = rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-';
  const joinThisGenerated = builder.newName(thisPrefix);
  const joinOtherGenerated = builder.newName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
  const thisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const otherSuffix = leftOuter ? '-outer-other-join' : '-other-join';
  const joinThisName = name ? `${name}${thisSuffix}` : joinThisGenerated;
  const joinOtherName = name ? `${name}${otherSuffix}` : joinOtherGenerated;
  const mergeName = name ? `${name}-merge` : builder.newName('KSTREAM-MERGE-');

  const storeBase = options.storeName ?? name;
  const thisStore = `${storeBase ? `${storeBase}${thisSuffix}` : joinThisGenerated}-store`;
  const otherStore = `${storeBase ? `${storeBase}${otherSuffix}` : joinOtherGenerated}-store`;
  const outerStore = !leftOuter
    ? undefined
    : storeBase
      ? `${storeBase}${rightOuter ? '-outer-shared-join' : '-left-shared-join'}-store`
      : `KSTREAM-OUTERSHARED-${joinThisGenerated.slice(thisPrefix.length)}-store`;
  const logging = options.store?.logging ?? true;
  const { retentionMs } = windows;
  builder.addStore(joinWindowStoreSpec(thisStore, { retentionMs, windowSizeMs: windows.sizeMs, logging, valueSerde: (options.valueSerde ?? left.state.valueSerde) as Serde<unknown> | undefined }));
  builder.addStore(joinWindowStoreSpec(otherStore, { retentionMs, windowSizeMs: windows.sizeMs, logging, valueSerde: (options.otherValueSerde ?? right.state.valueSerde) as Serde<unknown> | undefined }));
  if (outerStore) builder.addStore(outerJoinStoreSpec(outerStore, { logging, retentionMs }));

  const shared = outerStore ? [outerStore] : [];
  const thisWindowed = builder.addProcessor(leftNode, thisWindowedName, joinWindowBuffer(thisStore), [thisStore]);
  const otherWindowed = builder.addProcessor(rightNode, otherWindowedName, joinWindowBuffer(otherStore), [otherStore]);
  const common = { outerStore, windows, timeKey: `stream-join-time:${mergeName}` };
  const joinThis = builder.addProcessor(
    thisWindowed,
    joinThisName,
    streamStreamJoinSide({ ...common, side: 'left', otherStore, outer: leftOuter, joiner: user }),
    [otherStore, ...shared],
  );
  const joinOther = builder.addProcessor(
    otherWindowed,
    joinOtherName,
    streamStreamJoinSide({ ...common, side: 'right', otherStore: thisStore, outer: rightOuter, joiner: (thisValue, otherValue, key) => user(otherValue, thisValue, key) }),
    [thisStore, ...shared],
  );
  const merged = builder.addProcessor([joinThis, joinOther], mergeName, passThrough());
  if (leftOuter) relaxNullKeyFilters(merged);
  return new KStream({ builder, node: merged, keySerde, valueSerde: undefined }, false);
}

/**
 * Wires a stream-table join (Kafka Streams' `KStreamImpl.doStreamTableJoin`): the stream is
 * repartitioned if its key may have changed, must be co-partitioned with the table, and
 * looks the table up record by record. With a grace period (a versioned table only) the
 * records first wait in a buffer store `<name>-Buffer`.
 */
export function joinStreamTable(
  stream: KStream<unknown, unknown>,
  table: KTable<unknown, unknown>,
  joiner: unknown,
  leftJoin: boolean,
  options: JoinedOptions<unknown, unknown>,
): KStream<unknown, unknown> {
  const operation = leftJoin ? 'leftJoin' : 'join';
  if (table.state.builder !== stream.state.builder) throw new TopologyError(`${operation}: the table must come from the same StreamsBuilder`);
  checkFunction(joiner, operation, 'joiner');
  const { builder } = stream.state;
  const keySerde = (options.keySerde ?? stream.state.keySerde ?? table.state.keySerde) as Serde<unknown> | undefined;
  const input = joinInput(stream, options.name ?? stream.state.node.name, keySerde, (options.valueSerde ?? stream.state.valueSerde) as Serde<unknown> | undefined);
  builder.requireCopartition([input, table.state.node]);
  const name = options.name ?? builder.newName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const lookup = table.valueGetterSupplier();
  let node: GraphNode;
  if (options.gracePeriod === undefined) {
    node = builder.addProcessor(input, name, streamTableJoin(lookup, undefined, joiner as Joiner, leftJoin), [...lookup.storeNames]);
  } else {
    const graceMs = windowMillis(options.gracePeriod, `${operation}: gracePeriod`);
    checkGraceTable(builder, lookup, graceMs, operation);
    const bufferName = `${name}-Buffer`;
    builder.addStore(timeOrderedRecordBufferSpec(bufferName, { graceMs, keySerde, valueSerde: (options.valueSerde ?? stream.state.valueSerde) as Serde<unknown> | undefined }));
    node = builder.addProcessor(input, name, streamTableJoinGrace(lookup, bufferName, joiner as Joiner, leftJoin), [...lookup.storeNames, bufferName]);
  }
  if (leftJoin) relaxNullKeyFilters(node);
  return new KStream({ builder, node, keySerde, valueSerde: undefined }, false);
}

/**
 * A grace period needs a versioned table whose history reaches back at least that far
 * (Kafka Streams' checks in `KStreamImpl` and `StreamTableJoinNode`).
 */
function checkGraceTable(builder: TopologyBuilder, lookup: TableValueGetterSupplier, graceMs: number, operation: string): void {
  const specs = lookup.storeNames.map((storeName) => builder.stores.get(storeName));
  if (!lookup.versioned || specs.length === 0 || specs.some((spec) => spec?.kind !== 'versioned')) {
    throw new TopologyError(
      `${operation}: KTable must be versioned to use a grace period in a stream table join (read it with { store: Stores.versionedKeyValueStore(name, { historyRetention }) })`,
    );
  }
  for (const spec of specs) {
    if (graceMs > spec!.historyRetentionMs!) {
      throw new TopologyError(`${operation}: History retention must be at least grace period: store '${spec!.name}' keeps ${spec!.historyRetentionMs} ms, the grace period is ${graceMs} ms`);
    }
  }
}

/**
 * Wires a stream-globalTable join (Kafka Streams' `KStreamImpl.globalTableJoin`): no
 * repartition and no co-partitioning; each record looks up `keySelector(key, value)` in
 * the global store. Kafka Streams names the node `KSTREAM-LEFTJOIN-` for inner joins too.
 */
export function joinStreamGlobalTable(
  stream: KStream<unknown, unknown>,
  globalTable: GlobalKTable<unknown, unknown>,
  keySelector: unknown,
  joiner: unknown,
  leftJoin: boolean,
  options: NamedOptions,
): KStream<unknown, unknown> {
  const operation = leftJoin ? 'leftJoin' : 'join';
  if (globalTable.builder !== stream.state.builder) throw new TopologyError(`${operation}: the global table must come from the same StreamsBuilder`);
  checkFunction(keySelector, operation, 'keySelector');
  checkFunction(joiner, operation, 'joiner');
  const { builder } = stream.state;
  const name = options.name ?? builder.newName('KSTREAM-LEFTJOIN-');
  // The global store belongs to the global task; tasks reach it as a shared store, not a connected one.
  const lookup = storeValueGetter(globalTable.queryableStoreName(), false);
  const node: GraphNode = builder.addProcessor(
    stream.state.node,
    name,
    streamTableJoin(lookup, keySelector as (key: unknown, value: unknown) => unknown, joiner as Joiner, leftJoin),
  );
  if (leftJoin) relaxNullKeyFilters(node);
  return new KStream({ builder, node, keySerde: stream.state.keySerde, valueSerde: undefined }, stream.keyChanged);
}
