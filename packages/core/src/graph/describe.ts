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

/**
 * The iteration order of `new HashSet<>(items)` in Java, which Kafka Streams prints topic and
 * store lists from: by hash bucket, then insertion order within a bucket.
 */
export function javaHashSetOrder(items: readonly string[]): string[] {
  const unique = [...new Set(items)];
  let buckets = 16;
  while (buckets < Math.floor(unique.length / 0.75) + 1) buckets *= 2;
  const bucket = (text: string) => {
    const h = javaHashCode(text);
    return (h ^ (h >>> 16)) & (buckets - 1);
  };
  return unique.map((text, index) => ({ text, index, bucket: bucket(text) })).sort((a, b) => a.bucket - b.bucket || a.index - b.index).map((e) => e.text);
}

function describeNode(node: GraphNode, order: (a: GraphNode, b: GraphNode) => number): string {
  const names = (nodes: readonly GraphNode[]) => (nodes.length === 0 ? 'none' : [...nodes].sort(order).map((n) => n.name).join(', '));
  let text: string;
  if (node.kind === 'source') text = `Source: ${node.name} (topics: [${javaHashSetOrder(node.topics).join(', ')}])`;
  else if (node.kind === 'processor') text = `Processor: ${node.name} (stores: [${javaHashSetOrder(node.stores).join(', ')}])`;
  else text = `Sink: ${node.name} (${typeof node.topic === 'string' ? `topic: ${node.topic}` : `extractor class: ${node.topic.name || 'function'}`})`;
  if (node.kind !== 'sink') text += `\n      --> ${names(node.children)}`;
  if (node.kind !== 'source') text += `\n      <-- ${names(node.parents)}`;
  return text;
}

/**
 * Kafka Streams' `TopologyDescription#toString()`, character for character: its quirks
 * included (three spaces before the first `Sub-topology`, two before the others, a blank
 * line after each).
 */
export function describeAsText(topology: Topology): string {
  const order = describeOrder(sizer());
  const parts: { id: number; text: string }[] = topology.subTopologies.map((sub) => ({
    id: sub.id,
    text: `Sub-topology: ${sub.id}\n${[...sub.nodes].sort(order).map((node) => `    ${describeNode(node, order)}\n`).join('')}\n`,
  }));
  topology.globalStores.forEach((global, i) => {
    const id = topology.subTopologies.length + i;
    parts.push({
      id,
      text: `Sub-topology: ${id} for global store (will not generate tasks)\n    ${describeNode(global.source, order)}\n    ${describeNode(global.processor, order)}\n`,
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
