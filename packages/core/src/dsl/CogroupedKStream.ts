import { TopologyError } from '../errors';
import { aggregateStream } from '../operators/aggregate';
import type { Serde } from '../serdes/Serde';
import { keyValueStoreSpec } from '../state/Stores';
import { SessionWindows } from '../windows/SessionWindows';
import { SlidingWindows } from '../windows/SlidingWindows';
import { TimeWindows } from '../windows/TimeWindows';
import type { CogroupInputs } from './cogroupInternals';
import type { KGroupedStream } from './KGroupedStream';
import { KTable } from './KTable';
import { aggregationOldValues } from './OldValues';
import type { MaterializedOptions } from './options';
import { SessionWindowedCogroupedKStream } from './SessionWindowedCogroupedKStream';
import { TimeWindowedCogroupedKStream } from './TimeWindowedCogroupedKStream';
import { checkFunction } from './validate';

/**
 * Several grouped streams aggregated into one table (Kafka Streams' `CogroupedKStream`),
 * from `grouped.cogroup(aggregator)`: each input has its own value type and its own
 * aggregator `(key, value, aggregate) => aggregate`, and all of them fold into one
 * aggregate per key, kept in one store. Cheaper and simpler than aggregating each stream
 * and joining the tables.
 *
 * The inputs must have the same key type and be co-partitioned; an input whose key may
 * have changed (`groupBy`, `selectKey().groupByKey()`) goes through a repartition topic
 * named after its grouping's `{ name }`, else the store. `cogroup` adds an input to this
 * cogroup and returns it (adding the same grouped stream again replaces its aggregator), as
 * in Kafka Streams.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder } from '@tributary/core';
 *
 * interface Activity { clicks: number; spend: number }
 * const builder = new StreamsBuilder();
 * const clicks = builder.stream<string, { page: string }>('clicks').groupByKey();
 * const payments = builder.stream<string, { amount: number }>('payments').groupByKey();
 * clicks
 *   .cogroup((_customer, _click, activity: Activity) => ({ ...activity, clicks: activity.clicks + 1 }))
 *   .cogroup(payments, (_customer, payment, activity) => ({ ...activity, spend: activity.spend + payment.amount }))
 *   .aggregate(() => ({ clicks: 0, spend: 0 }), { name: 'activity' })
 *   .toStream()
 *   .to('customer-activity');
 * ```
 */
export class CogroupedKStream<K, VOut> {
  /** @internal */
  constructor(/** @internal */ readonly inputs: CogroupInputs) {}

  /** Adds `grouped` to the cogroup: its records fold into the same aggregates with `aggregator(key, value, aggregate)`. */
  cogroup<VIn>(grouped: KGroupedStream<K, VIn>, aggregator: (key: K, value: VIn, aggregate: VOut) => VOut): CogroupedKStream<K, VOut> {
    this.inputs.add(grouped, aggregator, 'cogroup');
    return this;
  }

  /**
   * Folds the records of every input into `initializer()` per key, each with its own
   * aggregator, and returns the aggregates as a table. Stateful: one key-value store named
   * by `{ name }` (else `COGROUPKSTREAM-AGGREGATE-STATE-STORE-<n>`), logged to its
   * changelog; one processor per input (`COGROUPKSTREAM-AGGREGATE-<n>`, or
   * `<name>-cogroup-agg-<i>`) and a merge processor (`COGROUPKSTREAM-MERGE-<n>`, or
   * `<name>-cogroup-merge`). Emits on every update; records with a `null` key or value are
   * dropped. The output timestamp is the largest timestamp of the records in the aggregate.
   */
  aggregate(initializer: () => VOut, options: MaterializedOptions<K, VOut> = {}): KTable<K, VOut> {
    checkFunction(initializer, 'aggregate', 'initializer');
    const { builder } = this.inputs;
    const storeName = options.name ?? builder.newStoreName('COGROUPKSTREAM-AGGREGATE-');
    const keySerde = (options.keySerde ?? this.inputs.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    // A downstream need for old values reaches every input's aggregation (Kafka Streams' KTablePassThrough).
    const oldValues = aggregationOldValues();
    const node = this.inputs.build({
      storeName,
      name: options.name,
      stepFor: (aggregator) => aggregateStream(storeName, initializer, aggregator, () => oldValues.enabled),
    });
    return new KTable<K, VOut>({ builder, node, keySerde, valueSerde }, storeName, oldValues);
  }

  /**
   * Cuts the cogroup into windows: `TimeWindows` and `SlidingWindows` give a
   * {@link TimeWindowedCogroupedKStream}, `SessionWindows` a {@link SessionWindowedCogroupedKStream}.
   * Results are keyed by `{ key, window: { start, end } }` and emitted on every update.
   */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VOut>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedCogroupedKStream<K, VOut> | SessionWindowedCogroupedKStream<K, VOut> {
    if (windows instanceof SessionWindows) return new SessionWindowedCogroupedKStream<K, VOut>(this.inputs, windows);
    if (windows instanceof TimeWindows || windows instanceof SlidingWindows) return new TimeWindowedCogroupedKStream<K, VOut>(this.inputs, windows);
    throw new TopologyError('windowedBy takes TimeWindows, SlidingWindows or SessionWindows (e.g. TimeWindows.ofSizeWithNoGrace(\'5m\'))');
  }
}
