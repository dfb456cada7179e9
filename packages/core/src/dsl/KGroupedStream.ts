import type { Serde } from '../serdes/Serde';
import { aggregateStream } from '../operators/aggregate';
import { keyValueStoreSpec } from '../state/Stores';
import type { HandleState } from './HandleState';
import { KTable } from './KTable';
import { aggregationOldValues } from './OldValues';
import { drawCountStoreName } from './countNaming';
import type { GroupedOptions, MaterializedOptions } from './options';
import { addRepartition } from './repartitionInternals';
import { checkFunction } from './validate';
import { TopologyError } from '../errors';
import { SessionWindows } from '../windows/SessionWindows';
import { SlidingWindows } from '../windows/SlidingWindows';
import { TimeWindows } from '../windows/TimeWindows';
import { SessionWindowedKStream } from './SessionWindowedKStream';
import { TimeWindowedKStream } from './TimeWindowedKStream';
import { CogroupedKStream } from './CogroupedKStream';
import { CogroupInputs } from './cogroupInternals';

/**
 * A stream grouped by key, ready for an aggregation (Kafka Streams' `KGroupedStream`).
 * Each aggregation keeps its results in a key-value store (named by `{ name }`), emits an
 * update downstream on every record, and drops records with a `null` key or value.
 */
export class KGroupedStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly state: HandleState,
    /** @internal */ readonly repartitionRequired: boolean,
    /** @internal */ readonly grouped: GroupedOptions<K, V>,
  ) {}

  /** Counts the records per key. Stateful: a key-value store of counts, named by `{ name }`. */
  count(options: MaterializedOptions<K, number> = {}): KTable<K, number> {
    drawCountStoreName(this.state.builder, options);
    return this.doAggregate('KSTREAM-AGGREGATE-', () => 0, (_key, _value, count) => (count as number) + 1, options);
  }

  /** Combines the values per key with `reducer(aggregate, value)`; the first value is the first aggregate. Stateful: a key-value store. */
  reduce(reducer: (aggregate: V, value: V) => V, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(reducer, 'reduce', 'reducer');
    return this.doAggregate('KSTREAM-REDUCE-', undefined, (_key, value, aggregate) => reducer(aggregate as V, value as V), {
      valueSerde: this.grouped.valueSerde ?? this.state.valueSerde,
      ...options,
    } as MaterializedOptions<K, V>);
  }

  /** Folds the values per key into `initializer()` with `aggregator(key, value, aggregate)`. Stateful: a key-value store. */
  aggregate<A>(initializer: () => A, aggregator: (key: K, value: V, aggregate: A) => A, options: MaterializedOptions<K, A> = {}): KTable<K, A> {
    checkFunction(initializer, 'aggregate', 'initializer');
    checkFunction(aggregator, 'aggregate', 'aggregator');
    return this.doAggregate('KSTREAM-AGGREGATE-', initializer, aggregator as never, options);
  }

  /**
   * Starts a cogroup (Kafka Streams' `cogroup`): this stream's records fold into a shared
   * aggregate per key with `aggregator(key, value, aggregate)`; `.cogroup(other, aggregator)`
   * adds more grouped streams, each with its own value type, and `.aggregate(initializer)`
   * (or `.windowedBy(windows).aggregate(...)`) makes the table. See {@link CogroupedKStream}.
   *
   * ## Example
   * ```ts
   * const activity = clicks
   *   .cogroup((_customer, _click, total: number) => total + 1)
   *   .cogroup(payments, (_customer, payment, total) => total + payment.amount)
   *   .aggregate(() => 0, { name: 'activity' });
   * ```
   */
  cogroup<VOut>(aggregator: (key: K, value: V, aggregate: VOut) => VOut): CogroupedKStream<K, VOut> {
    const inputs = new CogroupInputs();
    inputs.add(this, aggregator, 'cogroup');
    return new CogroupedKStream<K, VOut>(inputs);
  }

  /**
   * Cuts the groups into windows for a windowed aggregation: `TimeWindows` (tumbling or
   * hopping) and `SlidingWindows` give a {@link TimeWindowedKStream}, `SessionWindows` a
   * {@link SessionWindowedKStream}. Results are keyed by `{ key, window: { start, end } }`.
   */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStream<K, V>(this, windows);
    if (windows instanceof TimeWindows || windows instanceof SlidingWindows) return new TimeWindowedKStream<K, V>(this, windows);
    throw new TopologyError('windowedBy takes TimeWindows, SlidingWindows or SessionWindows (e.g. TimeWindows.ofSizeWithNoGrace(\'5m\'))');
  }

  /** @internal the key serde of the grouped records */
  get keySerde(): Serde<unknown> | undefined {
    return (this.grouped.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
  }

  /** @internal the value serde of the grouped records */
  get valueSerde(): Serde<unknown> | undefined {
    return (this.grouped.valueSerde ?? this.state.valueSerde) as Serde<unknown> | undefined;
  }

  /** @internal the node an aggregation reads: the grouped node, or the source of its repartition topic. */
  inputFor(storeName: string) {
    if (!this.repartitionRequired) return this.state.node;
    return addRepartition(this.state.builder, this.state.node, this.grouped.name ?? storeName, this.keySerde, this.valueSerde);
  }

  private doAggregate<A>(
    prefix: string,
    initializer: (() => unknown) | undefined,
    aggregator: (key: unknown, value: unknown, aggregate: unknown) => unknown,
    options: MaterializedOptions<K, A>,
  ): KTable<K, A> {
    const { builder } = this.state;
    const storeName = options.name ?? builder.newStoreName(prefix);
    const processorName = options.name ?? builder.newName(prefix);
    const keySerde = (options.keySerde ?? this.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const input = this.inputFor(storeName);
    builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    const oldValues = aggregationOldValues();
    const node = builder.addProcessor(input, processorName, aggregateStream(storeName, initializer, aggregator, () => oldValues.enabled), [storeName]);
    return new KTable<K, A>({ builder, node, keySerde, valueSerde }, storeName, oldValues);
  }
}
