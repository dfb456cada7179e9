/** A box to place. */
export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

export interface PlacedNode {
  readonly id: string;
  /** Column, counted from the left: the longest path from a node without predecessors. */
  readonly layer: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** From the right middle of `from` to the left middle of `to`. */
  readonly points: readonly (readonly [x: number, y: number])[];
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

export interface LayeredLayoutOptions {
  /** Space between columns. Defaults to `48`. */
  readonly columnGap?: number;
  /** Space between boxes of a column. Defaults to `14`. */
  readonly rowGap?: number;
  /** Crossing-reduction sweeps (alternately by predecessors and by successors). Defaults to `4`. */
  readonly sweeps?: number;
}

/**
 * Places a directed acyclic graph left to right in layers (the Sugiyama scheme, kept small):
 * each node goes in the column of its longest path from a root, so every edge points right;
 * within a column, nodes are ordered by the mean row of their neighbours in the column before
 * (then after), which removes most crossings; columns are centred on each other. Edges come
 * back in the order given. A node on a cycle is placed after what reaches it.
 */
export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayeredLayoutOptions = {}): Layout {
  const columnGap = options.columnGap ?? 48;
  const rowGap = options.rowGap ?? 14;
  const sweeps = options.sweeps ?? 4;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  if (byId.size !== nodes.length) throw new Error(`the layout got two nodes with one id: ${nodes.map((n) => n.id).find((id, i) => nodes.findIndex((m) => m.id === id) !== i)}`);
  for (const e of edges) {
    const missing = [e.from, e.to].find((id) => !byId.has(id));
    if (missing !== undefined) throw new Error(`the edge ${e.from} -> ${e.to} names '${missing}', which is not a node of the layout`);
  }
  const known = edges.filter((e) => e.from !== e.to);
  const layer = longestPathLayers(nodes, known);

  const columns: string[][] = [];
  for (const n of nodes) (columns[layer.get(n.id)!] ??= []).push(n.id);
  for (let i = 0; i < columns.length; i++) columns[i] ??= [];
  const predecessors = neighbours(known, 'to', 'from');
  const successors = neighbours(known, 'from', 'to');
  const row = new Map<string, number>();
  const renumber = (column: readonly string[]) => column.forEach((id, i) => row.set(id, i));
  columns.forEach(renumber);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    const forward = sweep % 2 === 0;
    const order = forward ? columns.keys() : [...columns.keys()].reverse();
    for (const c of order) {
      const reference = forward ? predecessors : successors;
      const referenceLayer = forward ? c - 1 : c + 1;
      const column = columns[c]!;
      const weight = new Map(
        column.map((id) => {
          const rows = (reference.get(id) ?? []).filter((n) => layer.get(n) === referenceLayer).map((n) => row.get(n)!);
          return [id, rows.length === 0 ? row.get(id)! : rows.reduce((a, b) => a + b, 0) / rows.length] as const;
        }),
      );
      // A stable sort: nodes of equal weight keep their order.
      column.sort((a, b) => weight.get(a)! - weight.get(b)!);
      renumber(column);
    }
  }

  const columnHeight = (column: readonly string[]) => column.reduce((h, id) => h + byId.get(id)!.height, 0) + Math.max(0, column.length - 1) * rowGap;
  const height = Math.max(0, ...columns.map(columnHeight));
  const placed = new Map<string, PlacedNode>();
  let x = 0;
  for (const [c, column] of columns.entries()) {
    const width = Math.max(0, ...column.map((id) => byId.get(id)!.width));
    let y = (height - columnHeight(column)) / 2;
    for (const id of column) {
      const node = byId.get(id)!;
      placed.set(id, { id, layer: c, x: x + (width - node.width) / 2, y, width: node.width, height: node.height });
      y += node.height + rowGap;
    }
    x += width + columnGap;
  }
  const placedEdges = edges.map((e): PlacedEdge => {
    const a = placed.get(e.from)!;
    const b = placed.get(e.to)!;
    return { from: e.from, to: e.to, points: [[a.x + a.width, a.y + a.height / 2], [b.x, b.y + b.height / 2]] };
  });
  return { width: Math.max(0, x - columnGap), height, nodes: nodes.map((n) => placed.get(n.id)!), edges: placedEdges };
}

/** Each node's column: 0 for a root, else one more than its furthest predecessor (Kahn's order). */
function longestPathLayers(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, number> {
  const incoming = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) incoming.set(e.to, incoming.get(e.to)! + 1);
  const out = neighbours(edges, 'from', 'to');
  const layer = new Map<string, number>();
  const ready = nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  for (const id of ready) layer.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const next of out.get(id) ?? []) {
      layer.set(next, Math.max(layer.get(next) ?? 0, layer.get(id)! + 1));
      const left = incoming.get(next)! - 1;
      incoming.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  // Nodes on a cycle never became ready: they stay after what reached them (or first).
  for (const n of nodes) if (!layer.has(n.id)) layer.set(n.id, 0);
  return layer;
}

function neighbours(edges: readonly LayoutEdge[], key: 'from' | 'to', value: 'from' | 'to'): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const e of edges) {
    const list = map.get(e[key]) ?? [];
    list.push(e[value]);
    map.set(e[key], list);
  }
  return map;
}
