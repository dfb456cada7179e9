import type { StoreSpec } from '../state/StateStore';
import type { GraphNode, SinkNode, SourceNode } from './GraphNode';
import type { GlobalStoreSpec, TopologyBuilder } from './TopologyBuilder';
import { describeAsMermaid, describeAsText } from './describe';

/** A connected part of the graph: the unit that becomes one task per input partition. */
export interface SubTopology {
  readonly id: number;
  /** Every node, parents before children. */
  readonly nodes: readonly GraphNode[];
  readonly sources: readonly SourceNode[];
  readonly sinks: readonly SinkNode[];
  readonly stores: readonly StoreSpec[];
  /** Groups of source topics (names as declared) that must have equal partition counts. */
  readonly copartitionGroups: readonly (readonly SourceNode[])[];
}

/** A topic the runtime must create before it starts: repartition topics and changelogs. */
export interface InternalTopic {
  /** Without the application id prefix. */
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  /** The store behind a changelog. */
  readonly store?: StoreSpec;
  /** The sub-topology whose partition count the topic takes. */
  readonly subTopology: number;
}

/**
 * The logical graph, frozen: sub-topologies split at repartition topics (and joined by
 * shared stores), stores, global stores. `describe()` prints it as Kafka Streams does.
 */
export class Topology {
  readonly subTopologies: readonly SubTopology[];
  readonly stores: ReadonlyMap<string, StoreSpec>;
  readonly globalStores: readonly GlobalStoreSpec[];
  /**
   * The sub-topology id of each global store (same order as `globalStores`). Kafka Streams
   * numbers sub-topologies and global stores together, in the order their first node was
   * added, so a global table declared first is sub-topology 0 and the others count on from 1.
   */
  readonly globalStoreIds: readonly number[];
  /**
   * The global tables as one sub-topology (the id of the first global store), for a runtime to
   * run as a single task over every partition of their topics. Its stores are the global stores,
   * which the runtime hands to every other task as shared stores (`TaskOptions.sharedStores`).
   */
  readonly globalSubTopology: SubTopology | undefined;

  /** @internal built by `StreamsBuilder.build()` */
  constructor(builder: TopologyBuilder) {
    this.stores = new Map(builder.stores);
    this.globalStores = [...builder.globalStores];
    const globalNodes = new Set<GraphNode>(builder.globalStores.flatMap((g) => [g.source, g.processor]));
    const subTopologies = splitIntoSubTopologies(
      builder.nodes.filter((n) => !globalNodes.has(n)),
      builder.stores,
      builder.copartitionGroups,
    );
    const ids = numberWithGlobalStores(builder.nodes, subTopologies, this.globalStores);
    this.subTopologies = subTopologies.map((sub) => ({ ...sub, id: ids.subTopologies[sub.id]! }));
    this.globalStoreIds = ids.globalStores;
    this.globalSubTopology =
      this.globalStores.length === 0
        ? undefined
        : {
            id: Math.min(...ids.globalStores),
            nodes: this.globalStores.flatMap((g) => [g.source, g.processor]),
            sources: this.globalStores.map((g) => g.source),
            sinks: [],
            stores: this.globalStores.map((g) => g.store),
            copartitionGroups: [],
          };
  }

  /** Kafka Streams' text description, with a Mermaid rendering beside it. */
  describe(): TopologyDescription {
    return {
      subTopologies: this.subTopologies,
      globalStores: this.globalStores,
      toString: () => describeAsText(this),
      toMermaid: () => describeAsMermaid(this),
    };
  }

  /** Every source topic users provide (not internal), as declared. */
  sourceTopics(): string[] {
    const topics = new Set<string>();
    for (const sub of this.subTopologies) for (const s of sub.sources) if (!s.internal) s.topics.forEach((t) => topics.add(t));
    for (const g of this.globalStores) g.source.topics.forEach((t) => topics.add(t));
    return [...topics];
  }

  /** Every sink topic users provide, by name (a sink that picks its topic per record names none beforehand). */
  sinkTopics(): string[] {
    const topics = new Set<string>();
    for (const sub of this.subTopologies) for (const s of sub.sinks) if (!s.internal && typeof s.topic === 'string') topics.add(s.topic);
    return [...topics];
  }

  /** Repartition topics and store changelogs, unprefixed. */
  internalTopics(): InternalTopic[] {
    const topics: InternalTopic[] = [];
    for (const sub of this.subTopologies) {
      for (const source of sub.sources) {
        if (source.internal) for (const name of source.topics) topics.push({ name, kind: 'repartition', subTopology: sub.id });
      }
      for (const store of sub.stores) {
        if (store.logging) topics.push({ name: `${store.name}-changelog`, kind: 'changelog', store, subTopology: sub.id });
      }
    }
    return topics;
  }

  /** The sub-topology that reads `topic` (declared name), if any. */
  subTopologyOf(topic: string): SubTopology | undefined {
    return this.subTopologies.find((sub) => sub.sources.some((s) => s.topics.includes(topic)));
  }
}

export interface TopologyDescription {
  readonly subTopologies: readonly SubTopology[];
  readonly globalStores: readonly GlobalStoreSpec[];
  /** Kafka Streams' `TopologyDescription` text. */
  toString(): string;
  /** A Mermaid `flowchart` of the same graph. */
  toMermaid(): string;
}

/**
 * Kafka Streams' numbering (`InternalTopologyBuilder.makeNodeGroups`): walking the nodes in the
 * order they were added, each sub-topology or global store takes the next id when its first
 * node comes up. `subTopologies` are numbered 0.. in that same order among themselves.
 */
function numberWithGlobalStores(
  nodes: readonly GraphNode[],
  subTopologies: readonly SubTopology[],
  globalStores: readonly GlobalStoreSpec[],
): { subTopologies: number[]; globalStores: number[] } {
  const groupOf = new Map<GraphNode, string>();
  for (const sub of subTopologies) for (const node of sub.nodes) groupOf.set(node, `s${sub.id}`);
  globalStores.forEach((g, i) => {
    groupOf.set(g.source, `g${i}`);
    groupOf.set(g.processor, `g${i}`);
  });
  const ids = new Map<string, number>();
  for (const node of nodes) {
    const group = groupOf.get(node);
    if (group !== undefined && !ids.has(group)) ids.set(group, ids.size);
  }
  return {
    subTopologies: subTopologies.map((sub) => ids.get(`s${sub.id}`)!),
    globalStores: globalStores.map((_g, i) => ids.get(`g${i}`)!),
  };
}

function splitIntoSubTopologies(
  nodes: readonly GraphNode[],
  stores: ReadonlyMap<string, StoreSpec>,
  copartitionGroups: readonly Set<string>[],
): SubTopology[] {
  // Union-find over nodes: edges and shared stores connect; repartition topics do not.
  const parent = new Map<GraphNode, GraphNode>(nodes.map((n) => [n, n]));
  const find = (n: GraphNode): GraphNode => {
    let root = n;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(n, root);
    return root;
  };
  const union = (a: GraphNode, b: GraphNode) => parent.set(find(a), find(b));
  const storeOwner = new Map<string, GraphNode>();
  for (const node of nodes) {
    for (const child of node.children) if (parent.has(child)) union(node, child);
    if (node.kind === 'processor') {
      for (const store of node.stores) {
        const owner = storeOwner.get(store);
        if (owner) union(owner, node);
        else storeOwner.set(store, node);
      }
    }
  }
  // Number groups as Kafka Streams does (makeNodeGroups): in the topological order the nodes were
  // added, so upstream sub-topologies come first. Sorting by name would put `KSTREAM-AGGREGATE-...`
  // before `KSTREAM-SOURCE-0000000000`.
  const ids = new Map<GraphNode, number>();
  for (const node of nodes) {
    const root = find(node);
    if (!ids.has(root)) ids.set(root, ids.size);
  }
  const groups: GraphNode[][] = Array.from({ length: ids.size }, () => []);
  for (const node of nodes) groups[ids.get(find(node))!]!.push(node);
  return groups.map((group, id) => {
    const ordered = topologicalOrder(group);
    const sources = ordered.filter((n): n is SourceNode => n.kind === 'source');
    const storeNames = new Set(ordered.flatMap((n) => (n.kind === 'processor' ? n.stores : [])));
    const groupSourceNames = new Set(sources.map((s) => s.name));
    return {
      id,
      nodes: ordered,
      sources,
      sinks: ordered.filter((n): n is SinkNode => n.kind === 'sink'),
      stores: [...storeNames].map((name) => stores.get(name)!).filter(Boolean),
      copartitionGroups: copartitionGroups
        .filter((g) => [...g].some((name) => groupSourceNames.has(name)))
        .map((g) => sources.filter((s) => g.has(s.name))),
    };
  });
}

function topologicalOrder(group: readonly GraphNode[]): GraphNode[] {
  const members = new Set(group);
  const ordered: GraphNode[] = [];
  const seen = new Set<GraphNode>();
  const visit = (node: GraphNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const p of node.parents) if (members.has(p)) visit(p);
    ordered.push(node);
  };
  group.forEach(visit);
  return ordered;
}
