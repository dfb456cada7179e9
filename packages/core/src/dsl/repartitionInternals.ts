import type { GraphNode, SourceNode, StreamPartitioner } from '../graph/GraphNode';
import type { TopologyBuilder } from '../graph/TopologyBuilder';
import { dropNullKeys } from '../operators/passThrough';
import type { Serde } from '../serdes/Serde';

/** The null-key filter of a repartition, reachable from the topic's source so a later join can relax it. */
interface RepartitionFilter {
  /** The node the filter reads (the upstream side of the topic). */
  readonly upstream: GraphNode;
  relaxed: boolean;
}

const filters = new WeakMap<SourceNode, RepartitionFilter>();

export interface RepartitionOptions {
  /** Drop `null` keys before the topic. Defaults to `true`; a later left or outer join may relax it. */
  dropNullKeys?: boolean;
  /** A fixed partition count for the topic (`repartition({ numberOfPartitions })`). */
  numberOfPartitions?: number | undefined;
  partitioner?: StreamPartitioner | undefined;
}

/**
 * Routes records through the internal topic `<name>-repartition` so that records with the
 * same key meet in the same task: a filter dropping null keys, a sink, and the source of
 * a new sub-topology (Kafka Streams' nodes and names).
 */
export function addRepartition(
  builder: TopologyBuilder,
  from: GraphNode,
  name: string,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
  options: RepartitionOptions = {},
): SourceNode {
  const topic = name.endsWith('-repartition') ? name : `${name}-repartition`;
  // Kafka Streams always burns the three generated names, but uses them only when the topic
  // name is itself generated; a user-given name yields `<topic>-sink`, `-filter`, `-source`.
  const generated = /^KSTREAM.*-[0-9]{10}$/.test(name);
  const sinkName = builder.newName('KSTREAM-SINK-');
  const filterName = builder.newName('KSTREAM-FILTER-');
  const sourceName = builder.newName('KSTREAM-SOURCE-');
  const filter: RepartitionFilter = { upstream: from, relaxed: false };
  let last = from;
  if (options.dropNullKeys ?? true) last = builder.addProcessor(from, generated ? filterName : `${topic}-filter`, dropNullKeys(() => filter.relaxed));
  builder.addSink(last, { name: generated ? sinkName : `${topic}-sink`, topic, internal: true, keySerde, valueSerde, partitioner: options.partitioner });
  const source = builder.addSource({
    name: generated ? sourceName : `${topic}-source`,
    topics: [topic],
    internal: true,
    keySerde,
    valueSerde,
    numberOfPartitions: options.numberOfPartitions,
  });
  filters.set(source, filter);
  return source;
}

/**
 * A left or outer join keeps records with a `null` key: every repartition upstream of
 * `node` (through any number of repartitions) stops dropping them, as Kafka Streams 3.7+
 * rewrites its repartition filters for such joins.
 */
export function relaxNullKeyFilters(node: GraphNode, seen = new Set<GraphNode>()): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (node.kind === 'source') {
    const filter = filters.get(node);
    if (filter) {
      filter.relaxed = true;
      relaxNullKeyFilters(filter.upstream, seen);
    }
  }
  for (const parent of node.parents) relaxNullKeyFilters(parent, seen);
}
