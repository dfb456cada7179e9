import type { GraphNode } from '../graph/GraphNode';
import type { TopologyBuilder } from '../graph/TopologyBuilder';
import type { Serde } from '../serdes/Serde';

/** What every DSL handle knows: its graph, its node, and the serdes of the records at that node. */
export interface HandleState {
  readonly builder: TopologyBuilder;
  readonly node: GraphNode;
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
}
