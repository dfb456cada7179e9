import { TopologyError } from '../errors';
import type { Serde } from '../serdes/Serde';
import type { StoreSpec } from '../state/StateStore';
import type { AnyRecord, GraphNode, OperatorFactory, ProcessorNode, SinkNode, SourceNode, StreamPartitioner, TopicChooser } from './GraphNode';
import { Topology } from './Topology';

/** A global table: a store filled from every partition of a topic, readable from every task. */
export interface GlobalStoreSpec {
  readonly store: StoreSpec;
  readonly source: SourceNode;
  readonly processor: ProcessorNode;
}

/**
 * The logical graph as the DSL adds to it: named nodes, stores and internal topics. The
 * DSL handles (`KStream`, `KTable`, ...) hold a node of it; `build()` freezes it into a
 * {@link Topology}. Internal to core: users see `StreamsBuilder`.
 */
export class TopologyBuilder {
  readonly nodes: GraphNode[] = [];
  readonly stores = new Map<string, StoreSpec>();
  readonly globalStores: GlobalStoreSpec[] = [];
  /** Sub-topology groups that must be co-partitioned (joins): sets of source node names. */
  readonly copartitionGroups: Set<string>[] = [];
  private readonly names = new Set<string>();
  private readonly sourceTopics = new Map<string, SourceNode>();
  private index = 0;

  /** `KSTREAM-FILTER-0000000003`: a prefix and the next index, as Kafka Streams names nodes. */
  newName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  /** A store name for an unnamed stateful operation, e.g. `KSTREAM-AGGREGATE-STATE-STORE-0000000001`. */
  newStoreName(prefix: string): string {
    return this.newName(`${prefix}STATE-STORE-`);
  }

  addSource(options: {
    name?: string | undefined;
    topics: readonly string[];
    internal?: boolean;
    keySerde?: Serde<unknown> | undefined;
    valueSerde?: Serde<unknown> | undefined;
    timestampExtractor?: ((record: AnyRecord) => number) | undefined;
    numberOfPartitions?: number | undefined;
  }): SourceNode {
    if (options.topics.length === 0) throw new TopologyError('a source needs at least one topic');
    for (const topic of options.topics) {
      if (!topic || typeof topic !== 'string') throw new TopologyError(`a topic name must be a non-empty string, got ${String(topic)}`);
      if (this.sourceTopics.has(topic)) {
        throw new TopologyError(`topic '${topic}' is already read by ${this.sourceTopics.get(topic)!.name}; a topic can be a source only once`);
      }
    }
    const node: SourceNode = {
      kind: 'source',
      name: this.claim(options.name ?? this.newName('KSTREAM-SOURCE-')),
      parents: [],
      children: [],
      topics: [...options.topics],
      internal: options.internal ?? false,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      timestampExtractor: options.timestampExtractor,
      ...(options.numberOfPartitions === undefined ? {} : { numberOfPartitions: options.numberOfPartitions }),
    };
    for (const topic of options.topics) this.sourceTopics.set(topic, node);
    this.nodes.push(node);
    return node;
  }

  addProcessor(parents: GraphNode | readonly GraphNode[], name: string, operator: OperatorFactory, stores: string[] = []): ProcessorNode {
    const node: ProcessorNode = { kind: 'processor', name: this.claim(name), parents: [], children: [], operator, stores: [...stores] };
    this.connect(parents, node);
    this.nodes.push(node);
    return node;
  }

  addSink(
    parent: GraphNode | readonly GraphNode[],
    options: {
      name: string;
      topic: TopicChooser;
      internal?: boolean;
      keySerde?: Serde<unknown> | undefined;
      valueSerde?: Serde<unknown> | undefined;
      partitioner?: StreamPartitioner | undefined;
    },
  ): SinkNode {
    if (typeof options.topic === 'string' && !options.topic) throw new TopologyError('a sink topic must be a non-empty string');
    const node: SinkNode = {
      kind: 'sink',
      name: this.claim(options.name),
      parents: [],
      children: [],
      topic: options.topic,
      internal: options.internal ?? false,
      keySerde: options.keySerde,
      valueSerde: options.valueSerde,
      partitioner: options.partitioner,
    };
    this.connect(parent, node);
    this.nodes.push(node);
    return node;
  }

  addStore(spec: StoreSpec): void {
    if (this.stores.has(spec.name)) throw new TopologyError(`a store named '${spec.name}' already exists; store names must be unique`);
    this.stores.set(spec.name, spec);
  }

  /** Lets an existing processor use a store (e.g. a join reading a table's store). */
  connectStore(node: ProcessorNode, storeName: string): void {
    if (!node.stores.includes(storeName)) node.stores.push(storeName);
  }

  /** Declares that the sources feeding these nodes must have equal partition counts. */
  requireCopartition(nodes: readonly GraphNode[]): void {
    const sources = new Set<string>();
    for (const node of nodes) for (const source of upstreamSources(node)) sources.add(source.name);
    this.copartitionGroups.push(sources);
  }

  build(): Topology {
    for (const node of this.nodes) {
      if (node.kind === 'processor') {
        for (const store of node.stores) {
          if (!this.stores.has(store)) throw new TopologyError(`processor ${node.name} uses store '${store}', which was never added`);
        }
      }
    }
    return new Topology(this);
  }

  private connect(parents: GraphNode | readonly GraphNode[], child: GraphNode): void {
    for (const parent of Array.isArray(parents) ? parents : [parents as GraphNode]) {
      if (parent.kind === 'sink') throw new TopologyError(`sink ${parent.name} cannot have children`);
      parent.children.push(child);
      child.parents.push(parent);
    }
  }

  private claim(name: string): string {
    if (!name) throw new TopologyError('a processor name must be a non-empty string');
    if (this.names.has(name)) throw new TopologyError(`a node named '${name}' already exists in this topology; names must be unique`);
    this.names.add(name);
    return name;
  }
}

/** The source nodes a node reads from within its sub-topology. */
export function upstreamSources(node: GraphNode): SourceNode[] {
  const found = new Set<SourceNode>();
  const visit = (n: GraphNode) => {
    if (n.kind === 'source') found.add(n);
    for (const parent of n.parents) visit(parent);
  };
  visit(node);
  return [...found];
}
