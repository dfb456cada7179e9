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

function describeNode(node: GraphNode, edges: Edges): string {
  const names = (nodes: readonly GraphNode[]) => (nodes.length === 0 ? 'none' : nodes.map((n) => n.name).join(', '));
  let text: string;
  if (node.kind === 'source') text = `Source: ${node.name} (topics: [${javaHashSetOrder(node.topics).join(', ')}])`;
  else if (node.kind === 'processor') text = `Processor: ${node.name} (stores: [${javaHashSetOrder(node.stores).join(', ')}])`;
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

/**
 * `java.util.TreeSet` with a comparator: Java's red-black `TreeMap` insertion, rotations
 * included. Kafka Streams keeps successors and predecessors in such sets with a comparator
 * that reads node sizes while they still grow, so the order depends on the tree's shape at
 * each insertion, not only on the final sizes.
 */
class JavaTreeSet<T> {
  private root: TreeEntry<T> | null = null;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  add(key: T): void {
    let t = this.root;
    if (t === null) {
      this.root = { key, left: null, right: null, parent: null, black: true };
      return;
    }
    let parent: TreeEntry<T>;
    let cmp: number;
    do {
      parent = t;
      cmp = this.compare(key, t.key);
      if (cmp < 0) t = t.left;
      else if (cmp > 0) t = t.right;
      else return;
    } while (t !== null);
    const entry: TreeEntry<T> = { key, left: null, right: null, parent, black: true };
    if (cmp < 0) parent.left = entry;
    else parent.right = entry;
    this.fixAfterInsertion(entry);
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

  private fixAfterInsertion(inserted: TreeEntry<T>): void {
    const parentOf = (e: TreeEntry<T> | null) => (e === null ? null : e.parent);
    const leftOf = (e: TreeEntry<T> | null) => (e === null ? null : e.left);
    const rightOf = (e: TreeEntry<T> | null) => (e === null ? null : e.right);
    const isBlack = (e: TreeEntry<T> | null) => e === null || e.black;
    const setBlack = (e: TreeEntry<T> | null, black: boolean) => {
      if (e !== null) e.black = black;
    };
    let x: TreeEntry<T> | null = inserted;
    x.black = false;
    while (x !== null && x !== this.root && !isBlack(x.parent)) {
      if (parentOf(x) === leftOf(parentOf(parentOf(x)))) {
        const y = rightOf(parentOf(parentOf(x)));
        if (!isBlack(y)) {
          setBlack(parentOf(x), true);
          setBlack(y, true);
          setBlack(parentOf(parentOf(x)), false);
          x = parentOf(parentOf(x));
        } else {
          if (x === rightOf(parentOf(x))) {
            x = parentOf(x);
            this.rotateLeft(x);
          }
          setBlack(parentOf(x), true);
          setBlack(parentOf(parentOf(x)), false);
          this.rotateRight(parentOf(parentOf(x)));
        }
      } else {
        const y = leftOf(parentOf(parentOf(x)));
        if (!isBlack(y)) {
          setBlack(parentOf(x), true);
          setBlack(y, true);
          setBlack(parentOf(parentOf(x)), false);
          x = parentOf(parentOf(x));
        } else {
          if (x === leftOf(parentOf(x))) {
            x = parentOf(x);
            this.rotateRight(x);
          }
          setBlack(parentOf(x), true);
          setBlack(parentOf(parentOf(x)), false);
          this.rotateLeft(parentOf(parentOf(x)));
        }
      }
    }
    this.root!.black = true;
  }

  private rotateLeft(p: TreeEntry<T> | null): void {
    if (p === null) return;
    const r = p.right!;
    p.right = r.left;
    if (r.left !== null) r.left.parent = p;
    r.parent = p.parent;
    if (p.parent === null) this.root = r;
    else if (p.parent.left === p) p.parent.left = r;
    else p.parent.right = r;
    r.left = p;
    p.parent = r;
  }

  private rotateRight(p: TreeEntry<T> | null): void {
    if (p === null) return;
    const l = p.left!;
    p.left = l.right;
    if (l.right !== null) l.right.parent = p;
    l.parent = p.parent;
    if (p.parent === null) this.root = l;
    else if (p.parent.right === p) p.parent.right = l;
    else p.parent.left = l;
    l.right = p;
    p.parent = l;
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
  const predecessors = new Map(nodes.map((n) => [n, new JavaTreeSet(compare)]));
  const successors = new Map(nodes.map((n) => [n, new JavaTreeSet(compare)]));
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
 * line after each).
 */
export function describeAsText(topology: Topology): string {
  const order = describeOrder(sizer());
  const parts: { id: number; text: string }[] = topology.subTopologies.map((sub) => {
    const edges = kafkaEdges(sub.nodes);
    return {
      id: sub.id,
      text: `Sub-topology: ${sub.id}\n${[...sub.nodes].sort(order).map((node) => `    ${describeNode(node, edges.get(node)!)}\n`).join('')}\n`,
    };
  });
  topology.globalStores.forEach((global, i) => {
    const id = topology.subTopologies.length + i;
    const edges = kafkaEdges([global.source, global.processor]);
    parts.push({
      id,
      text: `Sub-topology: ${id} for global store (will not generate tasks)\n    ${describeNode(global.source, edges.get(global.source)!)}\n    ${describeNode(global.processor, edges.get(global.processor)!)}\n`,
    });
  });
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
          stores.add(s);
          edges.push(`  ${id(node.name)} -.- store_${id(s)}`);
        }
      }
    }
    out.push('  end');
  };
  for (const sub of topology.subTopologies) emit(`Sub-topology ${sub.id}`, sub.nodes);
  topology.globalStores.forEach((g, i) => emit(`Global store ${topology.subTopologies.length + i}`, [g.source, g.processor]));
  for (const t of topics) out.push(`  topic_${id(t)}(["${t}"])`);
  for (const s of stores) out.push(`  store_${id(s)}[("${s}")]`);
  out.push(...edges);
  return `${out.join('\n')}\n`;
}
