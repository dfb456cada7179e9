import type { GraphNode } from './GraphNode';
import type { Topology } from './Topology';

/** Nodes in a subtree, the node included: Kafka Streams lists bigger subtrees first. */
function subtreeSize(node: GraphNode, seen = new Set<GraphNode>()): number {
  if (seen.has(node)) return 0;
  seen.add(node);
  let size = 1;
  for (const child of node.children) size += subtreeSize(child, seen);
  return size;
}

function byDescribeOrder(a: GraphNode, b: GraphNode): number {
  const difference = subtreeSize(b) - subtreeSize(a);
  if (difference !== 0) return difference;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const names = (nodes: readonly GraphNode[]) =>
  nodes.length === 0 ? 'none' : [...nodes].sort(byDescribeOrder).map((n) => n.name).join(', ');

function describeNode(node: GraphNode): string {
  const lines: string[] = [];
  if (node.kind === 'source') lines.push(`    Source: ${node.name} (topics: [${node.topics.join(', ')}])`);
  else if (node.kind === 'processor') lines.push(`    Processor: ${node.name} (stores: [${node.stores.join(', ')}])`);
  else {
    const topic = typeof node.topic === 'string' ? `topic: ${node.topic}` : 'extractor class: function';
    lines.push(`    Sink: ${node.name} (${topic})`);
  }
  if (node.kind !== 'sink') lines.push(`      --> ${names(node.children)}`);
  if (node.kind !== 'source') lines.push(`      <-- ${names(node.parents)}`);
  return lines.join('\n');
}

/** Kafka Streams' `TopologyDescription#toString()` format. */
export function describeAsText(topology: Topology): string {
  const out: string[] = ['Topologies:'];
  for (const sub of topology.subTopologies) {
    out.push(`   Sub-topology: ${sub.id}`);
    for (const node of [...sub.nodes].sort(byDescribeOrder)) out.push(describeNode(node));
  }
  topology.globalStores.forEach((global, i) => {
    out.push(`   Sub-topology: ${topology.subTopologies.length + i} for global store (will not generate tasks)`);
    out.push(describeNode(global.source));
    out.push(describeNode(global.processor));
  });
  return `${out.join('\n')}\n`;
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
