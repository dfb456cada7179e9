import { aggregateTable } from '../operators/groupTable';
import type { Serde } from '../serdes/Serde';
import { changeSerde } from '../serdes/changeSerde';
import { keyValueStoreSpec } from '../state/Stores';
import type { HandleState } from './HandleState';
import { KTable } from './KTable';
import type { MaterializedOptions } from './options';
import { checkFunction } from './validate';

/**
 * A table regrouped by `KTable.groupBy`, ready for an aggregation that adds new values and
 * subtracts old ones (Kafka Streams' `KGroupedTable`). Each aggregation reads the regrouped
 * changes through a repartition topic, keeps its results in a key-value store (named by
 * `{ name }`) and emits on every update.
 */
export class KGroupedTable<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly state: HandleState,
    private readonly repartitionName: string | undefined,
  ) {}

  /** Counts the rows per group; a row leaving a group decrements it. */
  count(options: MaterializedOptions<K, number> = {}): KTable<K, number> {
    return this.doAggregate(
      'KTABLE-AGGREGATE-',
      () => 0,
      (_k, _v, count) => (count as number) + 1,
      (_k, _v, count) => (count as number) - 1,
      options,
    );
  }

  /** Combines values per group with `adder(aggregate, value)`, removing old ones with `subtractor(aggregate, value)`. */
  reduce(adder: (aggregate: V, value: V) => V, subtractor: (aggregate: V, value: V) => V, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(adder, 'KGroupedTable.reduce', 'adder');
    checkFunction(subtractor, 'KGroupedTable.reduce', 'subtractor');
    return this.doAggregate(
      'KTABLE-REDUCE-',
      undefined,
      (_k, value, aggregate) => adder(aggregate as V, value as V),
      (_k, value, aggregate) => subtractor(aggregate as V, value as V),
      { valueSerde: this.state.valueSerde, ...options } as MaterializedOptions<K, V>,
    );
  }

  /** Folds values per group into `initializer()` with `adder(key, value, aggregate)`, removing old ones with `subtractor`. */
  aggregate<A>(
    initializer: () => A,
    adder: (key: K, value: V, aggregate: A) => A,
    subtractor: (key: K, value: V, aggregate: A) => A,
    options: MaterializedOptions<K, A> = {},
  ): KTable<K, A> {
    checkFunction(initializer, 'KGroupedTable.aggregate', 'initializer');
    checkFunction(adder, 'KGroupedTable.aggregate', 'adder');
    checkFunction(subtractor, 'KGroupedTable.aggregate', 'subtractor');
    return this.doAggregate('KTABLE-AGGREGATE-', initializer, adder as never, subtractor as never, options);
  }

  private doAggregate<A>(
    prefix: string,
    initializer: (() => unknown) | undefined,
    adder: (key: unknown, value: unknown, aggregate: unknown) => unknown,
    subtractor: (key: unknown, value: unknown, aggregate: unknown) => unknown,
    options: MaterializedOptions<K, A>,
  ): KTable<K, A> {
    const { builder } = this.state;
    // Kafka Streams names a grouped table's store KTABLE-AGGREGATE-STATE-STORE-<n> for reduce too (only the processor is KTABLE-REDUCE-).
    const storeName = options.name ?? builder.newStoreName('KTABLE-AGGREGATE-');
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const topic = `${this.repartitionName ?? storeName}-repartition`;
    // Kafka Streams' NamedInternal.suffixWithOrElseGet: a named operation names its sink and source after itself, still burning the indexes.
    const sinkName = builder.newName('KSTREAM-SINK-');
    const sourceName = builder.newName('KSTREAM-SOURCE-');
    const [sink, source] = options.name ? [`${options.name}-sink`, `${options.name}-source`] : [sinkName, sourceName];
    const processorName = options.name ?? builder.newName(prefix);
    const changes = changeSerde(this.state.valueSerde) as Serde<unknown>;
    builder.addSink(this.state.node, { name: sink, topic, internal: true, keySerde: this.state.keySerde, valueSerde: changes });
    const sourceNode = builder.addSource({ name: source, topics: [topic], internal: true, keySerde: this.state.keySerde, valueSerde: changes });
    builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    const node = builder.addProcessor(sourceNode, processorName, aggregateTable(storeName, initializer, adder, subtractor), [storeName]);
    return new KTable<K, A>({ builder, node, keySerde, valueSerde }, storeName);
  }
}
