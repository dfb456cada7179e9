import { TopologyError } from '../errors';
import type { GraphNode, OperatorFactory, ProcessorNode } from '../graph/GraphNode';
import type { TopologyBuilder } from '../graph/TopologyBuilder';
import { passThrough } from '../operators/passThrough';
import { registerWindowGrace } from '../windows/windowGrace';
import { KGroupedStream } from './KGroupedStream';
import { addRepartition } from './repartitionInternals';
import { checkFunction } from './validate';

/** An input of a cogroup's aggregator: `(key, value, aggregate) => aggregate`, each input with its own value type. */
export type CogroupAggregator = (key: unknown, value: unknown, aggregate: unknown) => unknown;

/** What one aggregation of a cogroup adds: its store (already added), its name, and the step each input runs. */
export interface CogroupAggregation {
  readonly storeName: string;
  /** The user's `{ name }`: names the processors `<name>-cogroup-agg-<i>` and `<name>-cogroup-merge`. */
  readonly name: string | undefined;
  /** The aggregation step for one input, writing into the shared store. */
  readonly stepFor: (aggregator: CogroupAggregator) => OperatorFactory;
  /** For windowed cogroups: when their windows close after their end (sessions: gap + grace), for `suppress`. */
  readonly graceMs?: number;
}

/**
 * The grouped streams of a cogroup and their aggregators, and the nodes that aggregate them
 * (Kafka Streams' `CogroupedStreamAggregateBuilder`): one aggregation processor per input,
 * all writing one shared store, and a merge processor forwarding what any of them emits.
 * Inputs whose key may have changed go through a repartition topic first, named after the
 * grouping's `{ name }`, else the store. Shared by a `CogroupedKStream` and its windowed
 * forms, so a second aggregation reuses the repartition topics of the first, as in Kafka.
 */
export class CogroupInputs {
  /** Insertion order is the order of the aggregation processors; re-adding an input replaces its aggregator in place. */
  readonly patterns = new Map<KGroupedStream<unknown, unknown>, CogroupAggregator>();
  private readonly parents = new Map<KGroupedStream<unknown, unknown>, GraphNode>();

  add(grouped: unknown, aggregator: unknown, operation: string): void {
    if (!(grouped instanceof KGroupedStream)) throw new TopologyError(`${operation}: takes a KGroupedStream (from groupByKey() or groupBy())`);
    checkFunction(aggregator, operation, 'aggregator');
    if (this.patterns.size > 0 && this.builder !== grouped.state.builder) throw new TopologyError(`${operation}: takes a KGroupedStream of the same StreamsBuilder`);
    this.patterns.set(grouped as KGroupedStream<unknown, unknown>, aggregator as CogroupAggregator);
  }

  /** The first grouped stream: its builder and key serde are the cogroup's. */
  private get first(): KGroupedStream<unknown, unknown> {
    return this.patterns.keys().next().value!;
  }

  get builder(): TopologyBuilder {
    return this.first.state.builder;
  }

  /** The key serde of the cogroup's keys: the first grouped stream's. */
  get keySerde() {
    return this.first.keySerde;
  }

  /** Adds the repartitions, the aggregation processors and the merge processor; returns the merge processor. */
  build(aggregation: CogroupAggregation): ProcessorNode {
    const { builder } = this;
    this.addRepartitions(aggregation.storeName);
    const steps: ProcessorNode[] = [];
    let index = 0;
    for (const [grouped, aggregator] of this.patterns) {
      const name = aggregation.name === undefined ? builder.newName('COGROUPKSTREAM-AGGREGATE-') : `${aggregation.name}-cogroup-agg-${index}`;
      index++;
      const step = builder.addProcessor(this.parents.get(grouped)!, name, aggregation.stepFor(aggregator), [aggregation.storeName]);
      if (aggregation.graceMs !== undefined) registerWindowGrace(step, aggregation.graceMs);
      steps.push(step);
    }
    const mergeName = aggregation.name === undefined ? builder.newName('COGROUPKSTREAM-MERGE-') : `${aggregation.name}-cogroup-merge`;
    return builder.addProcessor(steps, mergeName, passThrough());
  }

  private addRepartitions(storeName: string): void {
    const { builder } = this;
    for (const grouped of this.patterns.keys()) {
      if (!grouped.repartitionRequired) {
        this.parents.set(grouped, grouped.state.node);
        continue;
      }
      if (this.parents.has(grouped)) {
        // Kafka Streams draws the repartition's three names even when it reuses the topic.
        for (const prefix of ['KSTREAM-SINK-', 'KSTREAM-FILTER-', 'KSTREAM-SOURCE-']) builder.newName(prefix);
        continue;
      }
      this.parents.set(grouped, addRepartition(builder, grouped.state.node, grouped.grouped.name ?? storeName, grouped.keySerde, grouped.valueSerde));
    }
    // Every input is read by the same task: their topics must have equal partition counts.
    builder.requireCopartition([...this.parents.values()]);
  }
}
