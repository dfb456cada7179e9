import { TopologyError } from '../errors';
import { aggregateSessionWindows } from '../operators/sessionWindowAggregate';
import { windowCloseTrackerSpec } from '../operators/windowCloseTracker';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import { sessionStoreSpec } from '../state/windowedStoreSpecs';
import { EmitStrategy } from '../windows/EmitStrategy';
import type { SessionWindows } from '../windows/SessionWindows';
import { registerWindowGrace } from '../windows/windowGrace';
import type { Windowed } from '../windows/Windowed';
import { WindowedSerdes } from '../windows/WindowedSerdes';
import type { KGroupedStream } from './KGroupedStream';
import { KTable } from './KTable';
import { drawCountStoreName } from './countNaming';
import { checkFunction } from './validate';
import { storeRetention, type WindowedMaterializedOptions } from './windowedOptions';

/**
 * A grouped stream cut into sessions of activity, ready for an aggregation (Kafka
 * Streams' `SessionWindowedKStream`), from `groupByKey().windowedBy(SessionWindows...)`.
 * Each aggregation keeps its sessions in a session store (named by `{ name }`, read with
 * `driver.getSessionStore(name)`) and returns a table keyed by
 * `{ key, window: { start, end } }`. When a record merges sessions, the table receives a
 * tombstone for each old session, then the merged one.
 *
 * CAUTION: a record whose session would end before stream time - gap - grace is dropped
 * and counted in the `dropped-records` metric (reason `late`); see {@link SessionWindows}.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, SessionWindows } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, { page: string }>('clicks')
 *   .groupByKey()
 *   .windowedBy(SessionWindows.ofInactivityGapAndGrace('30m', '5m'))
 *   .aggregate(
 *     () => [] as string[],
 *     (_customer, click, pages) => [...pages, click.page],
 *     (_customer, left, right) => [...left, ...right],
 *     { name: 'visits' },
 *   );
 * ```
 */
export class SessionWindowedKStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly grouped: KGroupedStream<K, V>,
    /** @internal */ readonly windows: SessionWindows,
    /** @internal */ readonly strategy: EmitStrategy = EmitStrategy.onWindowUpdate(),
  ) {}

  /** Emit on every update (the default) or once per session when it closes. */
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    if (!(strategy instanceof EmitStrategy)) throw new TopologyError('emitStrategy takes EmitStrategy.onWindowUpdate() or EmitStrategy.onWindowClose()');
    return new SessionWindowedKStream(this.grouped, this.windows, strategy);
  }

  /** Counts the records per session; merged sessions add their counts. Stateful: a session store. */
  count(options: WindowedMaterializedOptions<K, number> = {}): KTable<Windowed<K>, number> {
    drawCountStoreName(this.grouped.state.builder, options);
    return this.doAggregate(
      'KSTREAM-AGGREGATE-',
      () => 0,
      (_key, _value, count) => (count as number) + 1,
      (_key, left, right) => (left as number) + (right as number),
      options,
    );
  }

  /** Combines the values per session with `reducer(aggregate, value)`; merged sessions are combined with it too. Stateful: a session store. */
  reduce(reducer: (aggregate: V, value: V) => V, options: WindowedMaterializedOptions<K, V> = {}): KTable<Windowed<K>, V> {
    checkFunction(reducer, 'reduce', 'reducer');
    const fold = (aggregate: unknown, value: unknown) => (aggregate === null || aggregate === undefined ? value : reducer(aggregate as V, value as V));
    return this.doAggregate(
      'KSTREAM-REDUCE-',
      () => null,
      (_key, value, aggregate) => fold(aggregate, value),
      (_key, left, right) => fold(left, right),
      { valueSerde: this.grouped.valueSerde as Serde<V> | undefined, ...options },
    );
  }

  /**
   * Folds the values per session into `initializer()` with `aggregator(key, value, aggregate)`;
   * when a record bridges sessions, `merger(key, aggregate1, aggregate2)` combines them.
   * Stateful: a session store.
   */
  aggregate<A>(
    initializer: () => A,
    aggregator: (key: K, value: V, aggregate: A) => A,
    merger: (key: K, aggregate1: A, aggregate2: A) => A,
    options: WindowedMaterializedOptions<K, A> = {},
  ): KTable<Windowed<K>, A> {
    checkFunction(initializer, 'aggregate', 'initializer');
    checkFunction(aggregator, 'aggregate', 'aggregator');
    checkFunction(merger, 'aggregate', 'merger');
    return this.doAggregate('KSTREAM-AGGREGATE-', initializer, aggregator as never, merger as never, options);
  }

  private doAggregate<A>(
    prefix: string,
    initializer: () => unknown,
    aggregator: (key: unknown, value: unknown, aggregate: unknown) => unknown,
    merger: (key: unknown, aggregate1: unknown, aggregate2: unknown) => unknown,
    options: WindowedMaterializedOptions<K, A>,
  ): KTable<Windowed<K>, A> {
    const { builder } = this.grouped.state;
    const { windows } = this;
    const storeName = options.name ?? builder.newStoreName(prefix);
    const processorName = options.name ?? builder.newName(prefix);
    const keySerde = (options.keySerde ?? this.grouped.keySerde) as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    const retentionMs = storeRetention(options.retention, windows.retentionMs, {
      name: storeName,
      kind: 'session',
      covers: 'the inactivity gap plus the grace period',
    });
    const input = this.grouped.inputFor(storeName);
    const logging = options.store?.logging ?? true;
    builder.addStore(sessionStoreSpec(storeName, { retentionMs, keySerde, valueSerde, logging, type: options.store?.type }));
    const emitOnClose = this.strategy.type === 'onWindowClose';
    // onWindowClose keeps its last emitted close time across restarts, in a store describe() leaves out.
    const closeTracker = emitOnClose ? windowCloseTrackerSpec(storeName, logging) : undefined;
    if (closeTracker) builder.addStore(closeTracker);
    const operator = aggregateSessionWindows(windows, { storeName, initializer, aggregator, merger, emitOnClose, closeTrackerStore: closeTracker?.name });
    const node = builder.addProcessor(input, processorName, operator, closeTracker ? [storeName, closeTracker.name] : [storeName]);
    registerWindowGrace(node, windows.gapMs + windows.graceMs);
    const windowedKeySerde = WindowedSerdes.sessionWindowed(keySerde ?? Serdes.string()) as Serde<unknown>;
    return new KTable<Windowed<K>, A>({ builder, node, keySerde: windowedKeySerde, valueSerde }, storeName);
  }
}
