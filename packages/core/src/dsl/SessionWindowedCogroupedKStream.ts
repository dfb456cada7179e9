import { aggregateSessionWindows } from '../operators/sessionWindowAggregate';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { sessionStoreSpec } from '../state/windowedStoreSpecs';
import type { SessionWindows } from '../windows/SessionWindows';
import type { Windowed } from '../windows/Windowed';
import { WindowedSerdes } from '../windows/WindowedSerdes';
import type { CogroupInputs } from './cogroupInternals';
import { KTable } from './KTable';
import { checkFunction } from './validate';
import { storeRetention, type WindowedMaterializedOptions } from './windowedOptions';

/**
 * A cogroup cut into sessions of activity (Kafka Streams' `SessionWindowedCogroupedKStream`),
 * from `cogrouped.windowedBy(SessionWindows...)`: records of every input extend and merge
 * the same sessions, each folded in with its input's aggregator.
 *
 * CAUTION: a record whose session would end before stream time - gap - grace is dropped
 * and counted in the `dropped-records` metric (reason `late`). As in Kafka Streams, each
 * input's aggregation keeps its own stream time (the largest timestamp of that input).
 *
 * ## Example
 * ```ts
 * import { SessionWindows } from '@tributary/core';
 *
 * clicks
 *   .cogroup((_customer, click, pages: string[]) => [...pages, click.page])
 *   .cogroup(searches, (_customer, search, pages) => [...pages, `?${search.query}`])
 *   .windowedBy(SessionWindows.ofInactivityGapAndGrace('30m', '5m'))
 *   .aggregate(() => [], (_customer, left, right) => [...left, ...right], { name: 'visits' });
 * ```
 */
export class SessionWindowedCogroupedKStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly inputs: CogroupInputs,
    /** @internal */ readonly windows: SessionWindows,
  ) {}

  /**
   * Folds the records of every input into `initializer()` per session; when a record
   * bridges sessions, `merger(key, aggregate1, aggregate2)` combines them. Stateful: one
   * session store named by `{ name }` (else `COGROUPKSTREAM-AGGREGATE-STATE-STORE-<n>`),
   * retained for gap + grace unless `{ retention }` raises it. Emits on every update: a
   * tombstone for each session a record merged or extended, then the new session. Records
   * with a `null` key are dropped.
   */
  aggregate(initializer: () => V, merger: (key: K, aggregate1: V, aggregate2: V) => V, options: WindowedMaterializedOptions<K, V> = {}): KTable<Windowed<K>, V> {
    checkFunction(initializer, 'aggregate', 'initializer');
    checkFunction(merger, 'aggregate', 'merger');
    const { windows, inputs } = this;
    const { builder } = inputs;
    const storeName = options.name ?? builder.newStoreName('COGROUPKSTREAM-AGGREGATE-');
    const keySerde = (options.keySerde ?? inputs.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const retentionMs = storeRetention(options.retention, windows.retentionMs, {
      name: storeName,
      kind: 'session',
      covers: 'the inactivity gap plus the grace period',
    });
    builder.addStore(sessionStoreSpec(storeName, { retentionMs, keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    const node = inputs.build({
      storeName,
      name: options.name,
      graceMs: windows.gapMs + windows.graceMs,
      stepFor: (aggregator) =>
        aggregateSessionWindows(windows, { storeName, initializer, aggregator, merger: merger as never, emitOnClose: false }),
    });
    const windowedKeySerde = WindowedSerdes.sessionWindowed(keySerde ?? Serdes.string()) as Serde<unknown>;
    return new KTable<Windowed<K>, V>({ builder, node, keySerde: windowedKeySerde, valueSerde }, storeName);
  }
}
