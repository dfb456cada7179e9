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

/** Whether a table must forward old values even when both sides are null (a downstream groupBy needs them). */
export interface OldValues {
  enabled: boolean;
}
