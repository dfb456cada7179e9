import { aggregateSlidingWindows } from '../operators/slidingWindowAggregate';
import { aggregateTimeWindows } from '../operators/windowAggregate';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { windowStoreSpec } from '../state/windowedStoreSpecs';
import { SlidingWindows } from '../windows/SlidingWindows';
import type { TimeWindows } from '../windows/TimeWindows';
import type { Windowed } from '../windows/Windowed';
import { WindowedSerdes } from '../windows/WindowedSerdes';
import type { CogroupInputs } from './cogroupInternals';
import { KTable } from './KTable';
import { aggregationOldValues } from './OldValues';
import { checkFunction } from './validate';
import { storeRetention, type WindowedMaterializedOptions } from './windowedOptions';

/**
 * A cogroup cut into time or sliding windows (Kafka Streams' `TimeWindowedCogroupedKStream`),
 * from `cogrouped.windowedBy(TimeWindows...)` or `windowedBy(SlidingWindows...)`: the
 * records of every input fold into the same window aggregates, each with its own aggregator.
 *
 * CAUTION: records later than their window's end + grace are dropped and counted in the
 * `dropped-records` metric (reason `late`). As in Kafka Streams, each input's aggregation
 * keeps its own stream time (the largest timestamp of that input), so a record is late
 * only against the records of its own input.
 *
 * ## Example
 * ```ts
 * import { TimeWindows } from '@tributary/core';
 *
 * clicks
 *   .cogroup((_customer, _click, visits: number) => visits + 1)
 *   .cogroup(orders, (_customer, _order, visits) => visits + 10)
 *   .windowedBy(TimeWindows.ofSizeAndGrace('1h', '5m'))
 *   .aggregate(() => 0, { name: 'engagement-per-hour' });
 * ```
 */
export class TimeWindowedCogroupedKStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly inputs: CogroupInputs,
    /** @internal */ readonly windows: TimeWindows | SlidingWindows,
  ) {}

  /**
   * Folds the records of every input into `initializer()` per key and window. Stateful: one
   * window store named by `{ name }` (else `COGROUPKSTREAM-AGGREGATE-STATE-STORE-<n>`),
   * retained for window size + grace (sliding: 2 x time difference + grace) unless
   * `{ retention }` raises it. Emits on every update, keyed by `{ key, window }`; records
   * with a `null` key are dropped (sliding windows also drop `null` values).
   */
  aggregate(initializer: () => V, options: WindowedMaterializedOptions<K, V> = {}): KTable<Windowed<K>, V> {
    checkFunction(initializer, 'aggregate', 'initializer');
    const { windows, inputs } = this;
    const { builder } = inputs;
    const sliding = windows instanceof SlidingWindows;
    const storeName = options.name ?? builder.newStoreName('COGROUPKSTREAM-AGGREGATE-');
    const keySerde = (options.keySerde ?? inputs.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const windowSizeMs = sliding ? windows.timeDifferenceMs : windows.sizeMs;
    const retentionMs = storeRetention(options.retention, windows.retentionMs, {
      name: storeName,
      kind: 'window',
      covers: sliding ? '2 x the time difference plus the grace period' : 'its window size plus the grace period',
    });
    builder.addStore(windowStoreSpec(storeName, { retentionMs, windowSizeMs, keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    // A downstream need for old values reaches every input's aggregation, as for TimeWindowedKStream.
    const oldValues = aggregationOldValues();
    const node = inputs.build({
      storeName,
      name: options.name,
      graceMs: windows.graceMs,
      stepFor: (aggregator) => {
        const aggregation = { storeName, initializer, aggregator, emitOnClose: false, sendOldValues: () => oldValues.enabled };
        return sliding ? aggregateSlidingWindows(windows, aggregation) : aggregateTimeWindows(windows, aggregation);
      },
    });
    const windowedKeySerde = WindowedSerdes.timeWindowed(keySerde ?? Serdes.string(), windowSizeMs) as Serde<unknown>;
    return new KTable<Windowed<K>, V>({ builder, node, keySerde: windowedKeySerde, valueSerde }, storeName, oldValues);
  }
}
