import type { GraphNode, SourceNode } from '../graph/GraphNode';
import type { TopologyBuilder } from '../graph/TopologyBuilder';
import { dropNullKeys } from '../operators/passThrough';
import type { Serde } from '../serdes/Serde';

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
  options: { dropNullKeys?: boolean } = {},
): SourceNode {
  const topic = `${name}-repartition`;
  const sinkName = builder.newName('KSTREAM-SINK-');
  let last = from;
  if (options.dropNullKeys ?? true) last = builder.addProcessor(from, builder.newName('KSTREAM-FILTER-'), dropNullKeys());
  const sourceName = builder.newName('KSTREAM-SOURCE-');
  builder.addSink(last, { name: sinkName, topic, internal: true, keySerde, valueSerde });
  return builder.addSource({ name: sourceName, topics: [topic], internal: true, keySerde, valueSerde });
}
