import { TopologyError } from '../errors';
import type { ProcessorNode } from '../graph/GraphNode';
import { splitBranch, splitRecords } from '../operators/split';
import { KStream } from './KStream';
import { checkFunction } from './validate';

export interface BranchOptions<K, V> {
  /** The branch's name; its key in the result is the split's name followed by this. Defaults to its 1-based index. */
  name?: string;
  /** Builds on the branch; what it returns (if a stream) goes into the result, else the branch is left out. Defaults to none: the branch itself goes in. */
  withChain?: (branch: KStream<K, V>) => KStream<K, V> | void;
}

/**
 * The branches of `KStream.split()`: each record goes to the first branch whose predicate
 * matches, or to the default branch, or nowhere. Record by record.
 */
export class BranchedKStream<K, V> {
  private readonly predicates: ((key: unknown, value: unknown) => boolean)[] = [];
  private readonly branches: Record<string, KStream<K, V>> = {};
  private readonly splitter: ProcessorNode;
  private readonly prefix: string;
  private hasDefault = false;
  private ended = false;

  /** @internal */
  constructor(
    private readonly parent: KStream<K, V>,
    name: string | undefined,
  ) {
    const { builder } = parent.state;
    const splitterName = name ?? builder.newName('KSTREAM-BRANCH-');
    this.prefix = name ?? splitterName;
    // Branches are added after the splitter: it reads the predicates and the default flag when a task runs.
    this.splitter = builder.addProcessor(parent.state.node, splitterName, splitRecords(splitterName, this.predicates, () => this.hasDefault));
  }

  /** Adds a branch for the records `predicate(key, value)` matches and no earlier branch took. */
  branch(predicate: (key: K, value: V) => boolean, options: BranchOptions<K, V> = {}): this {
    this.checkOpen('branch');
    checkFunction(predicate, 'branch', 'predicate');
    const index = this.predicates.length;
    // Add the node first: a rejected branch (duplicate name) must leave no predicate behind.
    this.addBranch(index, options.name ?? String(index + 1), options);
    this.predicates.push(predicate as (key: unknown, value: unknown) => boolean);
    return this;
  }

  /** Adds the branch for records no predicate matched, and returns all branches by name. */
  defaultBranch(options: BranchOptions<K, V> = {}): Record<string, KStream<K, V>> {
    this.checkOpen('defaultBranch');
    this.hasDefault = true;
    this.addBranch(this.predicates.length, options.name ?? '0', options);
    this.ended = true;
    return { ...this.branches };
  }

  /** Returns all branches by name; records no predicate matched are dropped. */
  noDefaultBranch(): Record<string, KStream<K, V>> {
    this.checkOpen('noDefaultBranch');
    this.ended = true;
    return { ...this.branches };
  }

  private addBranch(index: number, suffix: string, options: BranchOptions<K, V>): void {
    const { builder, keySerde, valueSerde } = this.parent.state;
    const name = `${this.prefix}${suffix}`;
    if (this.branches[name]) throw new TopologyError(`split(): a branch named '${name}' already exists`);
    // Kafka Streams burns an index per branch (newProcessorName), so later generated names match its own.
    builder.newName(name);
    const node = builder.addProcessor(this.splitter, name, splitBranch(this.splitter.name, index));
    const branch = new KStream<K, V>({ builder, node, keySerde, valueSerde }, this.parent.keyChanged);
    // A chain that returns nothing consumed the branch (Kafka Streams' `withConsumer`): it is left out of the result.
    const result = options.withChain ? options.withChain(branch) : branch;
    if (result instanceof KStream) this.branches[name] = result;
  }

  private checkOpen(method: string): void {
    if (this.ended) throw new TopologyError(`split(): ${method}() after defaultBranch() or noDefaultBranch()`);
  }
}
