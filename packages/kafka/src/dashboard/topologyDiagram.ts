import type { Topology } from '@tributary/core';
import { layeredLayout } from './layeredLayout';
import { topologyGraph, type DiagramEdge, type DiagramNode, type TopologyGraphOptions } from './topologyGraph';

/** A node with its place on the page. */
export interface DiagramBox extends DiagramNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DiagramLine extends DiagramEdge {
  readonly points: readonly (readonly [x: number, y: number])[];
}

/** A sub-topology's frame and what is inside it. */
export interface DiagramGroup {
  readonly id: number;
  readonly title: string;
  readonly global: boolean;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly DiagramBox[];
  readonly edges: readonly DiagramLine[];
}

/** The topology laid out for an SVG of `width` x `height`: what `GET /dashboard/api/topology` answers. */
export interface TopologyDiagram {
  readonly width: number;
  readonly height: number;
  readonly groups: readonly DiagramGroup[];
  /** Every topic and store, for the lists beside the picture. */
  readonly topics: readonly { readonly name: string; readonly role: string }[];
  readonly stores: readonly { readonly name: string; readonly kind: string | undefined }[];
}

const NODE_WIDTH = 200;
const NODE_HEIGHT = 30;
/** Room for the frame's title above the nodes, and around them. */
const TITLE = 26;
const PADDING = 14;
const GROUP_GAP = 20;

/**
 * Lays out each sub-topology on its own ({@link layeredLayout}: topics on the left, records
 * flowing right, stores and changelogs after the processors that use them) and stacks the
 * sub-topologies top to bottom, each in a titled frame. Computed once, on the server, so the
 * page only draws.
 */
export function topologyDiagram(topology: Topology, options: TopologyGraphOptions = {}): TopologyDiagram {
  const groups: DiagramGroup[] = [];
  const topics = new Map<string, string>();
  const stores = new Map<string, string | undefined>();
  let y = 0;
  for (const graph of topologyGraph(topology, options)) {
    const layout = layeredLayout(
      graph.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
      graph.edges,
    );
    const ox = PADDING;
    const oy = y + TITLE + PADDING;
    const nodes = graph.nodes.map((n, i): DiagramBox => {
      const p = layout.nodes[i]!;
      return { ...n, x: p.x + ox, y: p.y + oy, width: p.width, height: p.height };
    });
    const edges = graph.edges.map((e, i): DiagramLine => ({ ...e, points: layout.edges[i]!.points.map(([px, py]) => [px + ox, py + oy] as const) }));
    const height = layout.height + TITLE + 2 * PADDING;
    groups.push({ id: graph.id, title: graph.title, global: graph.global, x: 0, y, width: layout.width + 2 * PADDING, height, nodes, edges });
    y += height + GROUP_GAP;
    for (const n of graph.nodes) {
      // A topic written by one sub-topology and read by another is a repartition topic in both: keep the first role.
      if (n.kind === 'topic' && !topics.has(n.label)) topics.set(n.label, n.topicRole ?? 'source');
      if (n.kind === 'store') stores.set(n.label, n.storeKind);
    }
  }
  const width = Math.max(0, ...groups.map((g) => g.width));
  return {
    width,
    height: Math.max(0, y - GROUP_GAP),
    // Every frame as wide as the widest, so they line up.
    groups: groups.map((g) => ({ ...g, width })),
    topics: [...topics].map(([name, role]) => ({ name, role })),
    stores: [...stores].map(([name, kind]) => ({ name, kind })),
  };
}
