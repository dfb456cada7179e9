import { TopologyError } from '../errors';
import { aggregateSlidingWindows } from '../operators/slidingWindowAggregate';
import { aggregateTimeWindows } from '../operators/windowAggregate';
import { windowCloseTrackerSpec } from '../operators/windowCloseTracker';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { windowStoreSpec } from '../state/windowedStoreSpecs';
import { EmitStrategy } from '../windows/EmitStrategy';
import { SlidingWindows } from '../windows/SlidingWindows';
import type { TimeWindows } from '../windows/TimeWindows';
import { registerWindowGrace } from '../windows/windowGrace';
import type { Windowed } from '../windows/Windowed';
import { WindowedSerdes } from '../windows/WindowedSerdes';
import type { KGroupedStream } from './KGroupedStream';
import { KTable } from './KTable';
import { aggregationOldValues } from './OldValues';
import { drawCountStoreName } from './countNaming';
import { checkFunction } from './validate';
import { storeRetention, type WindowedMaterializedOptions } from './windowedOptions';

/**
 * A grouped stream cut into time or sliding windows, ready for an aggregation (Kafka
 * Streams' `TimeWindowedKStream`), from `groupByKey().windowedBy(TimeWindows...)` or
 * `windowedBy(SlidingWindows...)`. Each aggregation keeps its results in a window store
 * (named by `{ name }`, read with `driver.getWindowStore(name)`) and returns a table keyed
 * by `{ key, window: { start, end } }`. It emits on every update unless
 * `emitStrategy(EmitStrategy.onWindowClose())` asks for one final result per window (see
 * {@link EmitStrategy} for the windows a far jump of stream time skips).
 *
 * CAUTION: records later than their window's end + grace are dropped and counted in the
 * `dropped-records` metric (reason `late`); see {@link TimeWindows} and {@link SlidingWindows}.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, TimeWindows, EmitStrategy } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, { amount: number }>('payments')
 *   .groupByKey()
 *   .windowedBy(TimeWindows.ofSizeAndGrace('1m', '10s'))
 *   .emitStrategy(EmitStrategy.onWindowClose())
 *   .aggregate(() => 0, (_customer, payment, total) => total + payment.amount, { name: 'spend-per-minute' })
 *   .toStream()
 *   .to('spend-per-minute');
 * ```
 */
export class TimeWindowedKStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly grouped: KGroupedStream<K, V>,
    /** @internal */ readonly windows: TimeWindows | SlidingWindows,
    /** @internal */ readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /** Emit on every update (the default) or once per window when it closes. */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    if (!(strategy instanceof EmitStrategy)) throw new TopologyError('emitStrategy takes EmitStrategy.onWindowUpdate() or EmitStrategy.onWindowClose()');
    return new TimeWindowedKStream(this.grouped, this.windows, strategy);
  }

  /** Counts the records per key and window. Stateful: a window store of counts. */
  count(options: WindowedMaterializedOptions<K, number> = {}): KTable<Windowed<K>, number> {
    if (!(this.windows instanceof SlidingWindows)) drawCountStoreName(this.grouped.state.builder, options);
    return this.doAggregate('KSTREAM-AGGREGATE-', () => 0, (_key, _value, count) => (count as number) + 1, options);
  }

  /** Combines the values per key and window with `reducer(aggregate, value)`; a window's first value is its first aggregate. Stateful: a window store. */
  reduce(reducer: (aggregate: V, value: V) => V, options: WindowedMaterializedOptions<K, V> = {}): KTable<Windowed<K>, V> {
    checkFunction(reducer, 'reduce', 'reducer');
    return this.doAggregate(
      'KSTREAM-REDUCE-',
      () => null,
      (_key, value, aggregate) => (aggregate === null || aggregate === undefined ? value : reducer(aggregate as V, value as V)),
      { valueSerde: this.grouped.valueSerde as Serde<V> | undefined, ...options },
    );
  }

  /** Folds the values per key and window into `initializer()` with `aggregator(key, value, aggregate)`. Stateful: a window store. */
  aggregate<A>(
    initializer: () => A,
    aggregator: (key: K, value: V, aggregate: A) => A,
    options: WindowedMaterializedOptions<K, A> = {},
  ): KTable<Windowed<K>, A> {
    checkFunction(initializer, 'aggregate', 'initializer');
    checkFunction(aggregator, 'aggregate', 'aggregator');
    return this.doAggregate('KSTREAM-AGGREGATE-', initializer, aggregator as never, options);
  }

  private doAggregate<A>(
    prefix: string,
    initializer: () => unknown,
    aggregator: (key: unknown, value: unknown, aggregate: unknown) => unknown,
    options: WindowedMaterializedOptions<K, A>,
  ): KTable<Windowed<K>, A> {
    const { builder } = this.grouped.state;
    const { windows } = this;
    const sliding = windows instanceof SlidingWindows;
    const storeName = options.name ?? builder.newStoreName(prefix);
    const processorName = options.name ?? builder.newName(prefix);
    const keySerde = (options.keySerde ?? this.grouped.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const windowSizeMs = sliding ? windows.timeDifferenceMs : windows.sizeMs;
    const retentionMs = storeRetention(options.retention, windows.retentionMs, {
      name: storeName,
      kind: 'window',
      covers: sliding ? '2 x the time difference plus the grace period' : 'its window size plus the grace period',
    });
    const input = this.grouped.inputFor(storeName);
    const logging = options.store?.logging ?? true;
    builder.addStore(windowStoreSpec(storeName, { retentionMs, windowSizeMs, keySerde, valueSerde, logging, type: options.store?.type }));
    const emitOnClose = this.strategy.type === 'onWindowClose';
    // onWindowClose keeps its last emitted close time across restarts, in a store describe() leaves out.
    const closeTracker = emitOnClose ? windowCloseTrackerSpec(storeName, logging) : undefined;
    if (closeTracker) builder.addStore(closeTracker);
    const oldValues = aggregationOldValues();
    const aggregation = { storeName, initializer, aggregator, emitOnClose, sendOldValues: () => oldValues.enabled, closeTrackerStore: closeTracker?.name };
    const operator = sliding ? aggregateSlidingWindows(windows, aggregation) : aggregateTimeWindows(windows, aggregation);
    const node = builder.addProcessor(input, processorName, operator, closeTracker ? [storeName, closeTracker.name] : [storeName]);
    registerWindowGrace(node, windows.graceMs);
    const windowedKeySerde = WindowedSerdes.timeWindowed(keySerde ?? Serdes.string(), windowSizeMs) as Serde<unknown>;
    return new KTable<Windowed<K>, A>({ builder, node, keySerde: windowedKeySerde, valueSerde }, storeName, oldValues);
  }
}
