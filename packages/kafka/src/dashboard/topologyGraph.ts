import type { StoreKind, SubTopology, Topology } from '@tributary/core';

type GraphNode = SubTopology['nodes'][number];

/** What a node of the dashboard's graph stands for. */
export type DiagramNodeKind = 'topic' | 'source' | 'processor' | 'sink' | 'store';

/** Why a topic is in the graph. */
export type TopicRole = 'source' | 'sink' | 'repartition' | 'changelog' | 'dynamic';

export interface DiagramNode {
  /** `topic:<name>`, `node:<processor name>` or `store:<name>`; unique within its sub-topology. */
  readonly id: string;
  readonly kind: DiagramNodeKind;
  readonly label: string;
  readonly topicRole?: TopicRole;
  readonly storeKind?: StoreKind;
}

/** `flow`: records pass; `store`: a processor reads and writes a store; `changelog`: a store's backup topic. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'flow' | 'store' | 'changelog';
}

/** One sub-topology (or the global stores' one) with its topics and stores around it. */
export interface SubTopologyGraph {
  readonly id: number;
  readonly title: string;
  readonly global: boolean;
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

export interface TopologyGraphOptions {
  /**
   * Prefixes repartition and changelog topics as the runtime names them
   * (`<applicationId>-<name>`), so the graph shows the topics a broker has. Defaults to none:
   * the names as declared.
   */
  readonly applicationId?: string;
}

/**
 * The topology as the dashboard draws it: per sub-topology its processors, the topics it
 * reads and writes (user, repartition and changelog topics) and its stores. A topic shared by
 * two sub-topologies (a repartition topic) appears in both, as in Kafka Streams' description.
 */
export function topologyGraph(topology: Topology, options: TopologyGraphOptions = {}): SubTopologyGraph[] {
  const prefix = (name: string) => (options.applicationId ? `${options.applicationId}-${name}` : name);
  const visible = (store: string) => topology.stores.get(store)?.hidden !== true;
  const build = (id: number, title: string, global: boolean, nodes: readonly GraphNode[]): SubTopologyGraph => {
    const out = new Map<string, DiagramNode>();
    const edges: DiagramEdge[] = [];
    const add = (node: DiagramNode) => out.has(node.id) || out.set(node.id, node);
    const members = new Set(nodes);
    for (const node of nodes) {
      const self = `node:${node.name}`;
      add({ id: self, kind: node.kind, label: node.name });
      for (const child of node.children) if (members.has(child)) edges.push({ from: self, to: `node:${child.name}`, kind: 'flow' });
      if (node.kind === 'source') {
        for (const topic of node.topics) {
          const name = node.internal ? prefix(topic) : topic;
          add({ id: `topic:${name}`, kind: 'topic', label: name, topicRole: node.internal ? 'repartition' : 'source' });
          edges.push({ from: `topic:${name}`, to: self, kind: 'flow' });
        }
      } else if (node.kind === 'sink') {
        const dynamic = typeof node.topic !== 'string';
        const name = typeof node.topic === 'string' ? (node.internal ? prefix(node.topic) : node.topic) : `(topic chosen per record by ${node.name})`;
        add({ id: `topic:${name}`, kind: 'topic', label: name, topicRole: dynamic ? 'dynamic' : node.internal ? 'repartition' : 'sink' });
        edges.push({ from: self, to: `topic:${name}`, kind: 'flow' });
      } else {
        for (const store of node.stores.filter(visible)) {
          const spec = topology.stores.get(store);
          add({ id: `store:${store}`, kind: 'store', label: store, ...(spec ? { storeKind: spec.kind } : {}) });
          edges.push({ from: self, to: `store:${store}`, kind: 'store' });
          if (spec?.logging && !global) {
            const changelog = prefix(`${store}-changelog`);
            if (!out.has(`topic:${changelog}`)) edges.push({ from: `store:${store}`, to: `topic:${changelog}`, kind: 'changelog' });
            add({ id: `topic:${changelog}`, kind: 'topic', label: changelog, topicRole: 'changelog' });
          }
        }
      }
    }
    return { id, title, global, nodes: [...out.values()], edges };
  };
  const graphs = topology.subTopologies.map((sub) => build(sub.id, `Sub-topology ${sub.id}`, false, sub.nodes));
  topology.globalStores.forEach((g, i) => {
    const id = topology.globalStoreIds[i]!;
    graphs.push(build(id, `Sub-topology ${id}: global store ${g.store.name}`, true, [g.source, g.processor]));
  });
  return graphs.sort((a, b) => a.id - b.id);
}
