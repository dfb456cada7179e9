import type { GraphNode } from './GraphNode';
import type { Topology } from './Topology';

/**
 * Kafka Streams' node "size" (`InternalTopologyBuilder.updateSize`): 1 plus the sizes of
 * the children, so a node reached by two paths counts twice. Bigger sizes are listed first.
 */
function sizer(): (node: GraphNode) => number {
  const sizes = new Map<GraphNode, number>();
  const size = (node: GraphNode): number => {
    let known = sizes.get(node);
    if (known === undefined) {
      known = 1;
      for (const child of node.children) known += size(child);
      sizes.set(node, known);
    }
    return known;
  };
  return size;
}

/** Kafka Streams' `NodeComparator`: larger subtree first, then by name. */
const describeOrder = (size: (node: GraphNode) => number) => (a: GraphNode, b: GraphNode) =>
  size(b) - size(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Java's `String.hashCode()`, over UTF-16 code units. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** Java's `HashMap` iteration order over `buckets` buckets: by hash bucket, then insertion order within a bucket. */
function javaBucketOrder<T>(items: readonly T[], keyOf: (item: T) => string, buckets: number): T[] {
  const bucket = (text: string) => {
    const h = javaHashCode(text);
    return (h ^ (h >>> 16)) & (buckets - 1);
  };
  return items.map((item, index) => ({ item, index, bucket: bucket(keyOf(item)) })).sort((a, b) => a.bucket - b.bucket || a.index - b.index).map((e) => e.item);
}

/**
 * The iteration order of `new HashSet<>(items)` in Java, which Kafka Streams prints topic and
 * store lists from: sized for all items at once (capacity `max(16, n / 0.75 + 1)`).
 */
export function javaHashSetOrder(items: readonly string[]): string[] {
  const unique = [...new Set(items)];
  let buckets = 16;
  while (buckets < Math.floor(unique.length / 0.75) + 1) buckets *= 2;
  return javaBucketOrder(unique, (text) => text, buckets);
}

/** The successors and predecessors of each node, in the order Kafka Streams prints them. */
interface Edges {
  readonly successors: readonly GraphNode[];
  readonly predecessors: readonly GraphNode[];
}

function describeNode(node: GraphNode, edges: Edges, shown: (store: string) => boolean): string {
  const names = (nodes: readonly GraphNode[]) => (nodes.length === 0 ? 'none' : nodes.map((n) => n.name).join(', '));
  let text: string;
  if (node.kind === 'source') text = `Source: ${node.name} (topics: [${javaHashSetOrder(node.topics).join(', ')}])`;
  else if (node.kind === 'processor') text = `Processor: ${node.name} (stores: [${javaHashSetOrder(node.stores.filter(shown)).join(', ')}])`;
  else text = `Sink: ${node.name} (${typeof node.topic === 'string' ? `topic: ${node.topic}` : `extractor class: ${node.topic.name || 'function'}`})`;
  if (node.kind !== 'sink') text += `\n      --> ${names(edges.successors)}`;
  if (node.kind !== 'source') text += `\n      <-- ${names(edges.predecessors)}`;
  return text;
}

/**
 * The iteration order of a `java.util.HashMap` filled one key at a time (default capacity 16,
 * doubling past 3/4 full).
 */
function javaHashMapOrder<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  let buckets = 16;
  while (items.length > buckets * 0.75) buckets *= 2;
  return javaBucketOrder(items, keyOf, buckets);
}

interface TreeEntry<T> {
  readonly key: T;
  left: TreeEntry<T> | null;
  right: TreeEntry<T> | null;
  parent: TreeEntry<T> | null;
  black: boolean;
}

type Side = 'left' | 'right';
const opposite = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/**
 * A set ordered by a comparator, kept as a red-black tree with the textbook (CLRS)
 * insertion and rebalancing that `java.util.TreeSet` also uses. Kafka Streams keeps
 * successors and predecessors in such sets with a comparator that reads node sizes while
 * they still grow, so their order depends on the tree's shape at each insertion, not only
 * on the final sizes: reproducing the description needs the same shapes.
 */
class ComparatorTreeSet<T> {
  private root: TreeEntry<T> | null = null;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  add(key: T): void {
    let parent: TreeEntry<T> | null = null;
    let side: Side = 'left';
    for (let at = this.root; at !== null; ) {
      const order = this.compare(key, at.key);
      if (order === 0) return;
      parent = at;
      side = order < 0 ? 'left' : 'right';
      at = at[side];
    }
    const entry: TreeEntry<T> = { key, left: null, right: null, parent, black: false };
    if (parent === null) this.root = entry;
    else parent[side] = entry;
    this.rebalance(entry);
  }

  values(): T[] {
    const out: T[] = [];
    const walk = (e: TreeEntry<T> | null) => {
      if (e === null) return;
      walk(e.left);
      out.push(e.key);
      walk(e.right);
    };
    walk(this.root);
    return out;
  }

  /** Restores the red-black rules after inserting the red `entry`. */
  private rebalance(entry: TreeEntry<T>): void {
    let node = entry;
    while (node !== this.root && !node.parent!.black) {
      const parent = node.parent!;
      // A red parent is never the root, so the grandparent exists.
      const grandparent = parent.parent!;
      const side: Side = grandparent.left === parent ? 'left' : 'right';
      const uncle = grandparent[opposite(side)];
      if (uncle !== null && !uncle.black) {
        parent.black = true;
        uncle.black = true;
        grandparent.black = false;
        node = grandparent;
        continue;
      }
      if (node === parent[opposite(side)]) {
        node = parent;
        this.rotate(node, side);
      }
      node.parent!.black = true;
      node.parent!.parent!.black = false;
      this.rotate(node.parent!.parent!, opposite(side));
    }
    this.root!.black = true;
  }

  /** Moves `pivot` down on `side`; its child on the other side takes its place. */
  private rotate(pivot: TreeEntry<T>, side: Side): void {
    const riser = pivot[opposite(side)]!;
    pivot[opposite(side)] = riser[side];
    if (riser[side] !== null) riser[side]!.parent = pivot;
    riser.parent = pivot.parent;
    if (pivot.parent === null) this.root = riser;
    else if (pivot.parent.left === pivot) pivot.parent.left = riser;
    else pivot.parent.right = riser;
    riser[side] = pivot;
    pivot.parent = riser;
  }
}

/**
 * Successor and predecessor lists as Kafka Streams builds them
 * (`InternalTopologyBuilder.describeSubtopology`): nodes visited in `HashMap` order of their
 * names, each connected to its predecessors in declaration order, inserting into `TreeSet`s
 * ordered by the subtree sizes *so far* (then name) and growing the sizes as it goes.
 */
function kafkaEdges(nodes: readonly GraphNode[]): Map<GraphNode, Edges> {
  const members = new Set(nodes);
  const size = new Map<GraphNode, number>(nodes.map((n) => [n, 1]));
  const compare = (a: GraphNode, b: GraphNode) =>
    a === b ? 0 : size.get(b)! - size.get(a)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const predecessors = new Map(nodes.map((n) => [n, new ComparatorTreeSet(compare)]));
  const successors = new Map(nodes.map((n) => [n, new ComparatorTreeSet(compare)]));
  const updateSize = (node: GraphNode, delta: number): void => {
    size.set(node, size.get(node)! + delta);
    for (const p of predecessors.get(node)!.values()) updateSize(p, delta);
  };
  // Kafka inserts the names in the order it wrote the nodes (parents first); that order only
  // matters between names in the same hash bucket, and parents-first stands in for it.
  for (const node of javaHashMapOrder(nodes, (n) => n.name)) {
    for (const parent of node.parents) {
      if (!members.has(parent)) continue;
      predecessors.get(node)!.add(parent);
      successors.get(parent)!.add(node);
      updateSize(parent, size.get(node)!);
    }
  }
  return new Map(nodes.map((n) => [n, { successors: successors.get(n)!.values(), predecessors: predecessors.get(n)!.values() }]));
}

/**
 * Kafka Streams' `TopologyDescription#toString()`, character for character: its quirks
 * included (three spaces before the first `Sub-topology`, two before the others, a blank
 * line after each sub-topology but not after a global store), sub-topologies and global
 * stores by id. Hidden bookkeeping stores are left out.
 */
export function describeAsText(topology: Topology): string {
  const order = describeOrder(sizer());
  const shown = (store: string) => topology.stores.get(store)?.hidden !== true;
  const parts: { id: number; text: string }[] = topology.subTopologies.map((sub) => {
    const edges = kafkaEdges(sub.nodes);
    return {
      id: sub.id,
      text: `Sub-topology: ${sub.id}\n${[...sub.nodes].sort(order).map((node) => `    ${describeNode(node, edges.get(node)!, shown)}\n`).join('')}\n`,
    };
  });
  topology.globalStores.forEach((global, i) => {
    const id = topology.globalStoreIds[i]!;
    const edges = kafkaEdges([global.source, global.processor]);
    parts.push({
      id,
      text: `Sub-topology: ${id} for global store (will not generate tasks)\n    ${describeNode(global.source, edges.get(global.source)!, shown)}\n    ${describeNode(global.processor, edges.get(global.processor)!, shown)}\n`,
    });
  });
  parts.sort((a, b) => a.id - b.id);
  return `Topologies:\n ${parts.map((part) => `  ${part.text}`).join('')}`;
}

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

/** The same graph as a Mermaid flowchart: one subgraph per sub-topology, topics as stadiums, stores as cylinders. */
export function describeAsMermaid(topology: Topology): string {
  const out = ['flowchart TD'];
  const topics = new Set<string>();
  const stores = new Set<string>();
  const edges: string[] = [];
  const emit = (title: string, nodes: readonly GraphNode[]) => {
    out.push(`  subgraph ${id(title)}["${title}"]`);
    for (const node of nodes) {
      out.push(`    ${id(node.name)}["${node.name}"]`);
      for (const child of node.children) edges.push(`  ${id(node.name)} --> ${id(child.name)}`);
      if (node.kind === 'source') {
        for (const t of node.topics) {
          topics.add(t);
          edges.push(`  topic_${id(t)} --> ${id(node.name)}`);
        }
      } else if (node.kind === 'sink') {
        const t = typeof node.topic === 'string' ? node.topic : '(topic chosen per record)';
        topics.add(t);
        edges.push(`  ${id(node.name)} --> topic_${id(t)}`);
      } else {
        for (const s of node.stores) {
          if (topology.stores.get(s)?.hidden) continue;
          stores.add(s);
          edges.push(`  ${id(node.name)} -.- store_${id(s)}`);
        }
      }
    }
    out.push('  end');
  };
  for (const sub of topology.subTopologies) emit(`Sub-topology ${sub.id}`, sub.nodes);
  topology.globalStores.forEach((g, i) => emit(`Global store ${topology.globalStoreIds[i]}`, [g.source, g.processor]));
  for (const t of topics) out.push(`  topic_${id(t)}(["${t}"])`);
  for (const s of stores) out.push(`  store_${id(s)}[("${s}")]`);
  out.push(...edges);
  return `${out.join('\n')}\n`;
}
