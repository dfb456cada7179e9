import { TopologyError } from '../errors';
import type { Duration } from '../duration';
import { windowMillis } from './windowArguments';
import type { Windowed } from './Windowed';

type Strictness = 'strict' | 'eager';

/**
 * How much a suppression buffer may hold and what happens when it is full (Kafka Streams'
 * `Suppressed.BufferConfig`). A strict config never emits early: it is unbounded, or it
 * fails the task when full (`shutDownWhenFull`). An eager one emits the oldest entries
 * early when full (`emitEarlyWhenFull`). The buffer's changelog is on unless
 * `withLoggingDisabled()`.
 */
export class BufferConfig<S extends Strictness = Strictness> {
  /** @internal phantom: strict or eager, for the compiler. */
  declare readonly strictness?: S;

  private constructor(
    /** Largest number of keys held. Defaults to unbounded. */
    readonly maxRecords: number,
    /** Largest estimated size in bytes. Defaults to unbounded. */
    readonly maxBytes: number,
    readonly whenFull: 'emitEarly' | 'shutDown',
    readonly logging: boolean,
  ) {
    checkLimit(maxRecords, 'maxRecords');
    checkLimit(maxBytes, 'maxBytes');
  }

  /** No limit; a strict config. */
  static unbounded(): BufferConfig<'strict'> {
    return new BufferConfig(Infinity, Infinity, 'shutDown', true);
  }

  /** At most `recordLimit` keys, emitting the oldest early when full. */
  static maxRecords(recordLimit: number): BufferConfig<'eager'> {
    return new BufferConfig(recordLimit, Infinity, 'emitEarly', true);
  }

  /** At most `byteLimit` estimated bytes, emitting the oldest early when full. */
  static maxBytes(byteLimit: number): BufferConfig<'eager'> {
    return new BufferConfig(Infinity, byteLimit, 'emitEarly', true);
  }

  /** The same config, holding at most `recordLimit` keys. */
  withMaxRecords(recordLimit: number): BufferConfig<S> {
    return new BufferConfig(recordLimit, this.maxBytes, this.whenFull, this.logging);
  }

  /** The same config, holding at most `byteLimit` estimated bytes. */
  withMaxBytes(byteLimit: number): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, byteLimit, this.whenFull, this.logging);
  }

  /** Removes both limits; a strict config. */
  withNoBound(): BufferConfig<'strict'> {
    return new BufferConfig(Infinity, Infinity, 'shutDown', this.logging);
  }

  /** When full, fail the task rather than emit early; a strict config. */
  shutDownWhenFull(): BufferConfig<'strict'> {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'shutDown', this.logging);
  }

  /** When full, emit the oldest entries early; an eager config. */
  emitEarlyWhenFull(): BufferConfig<'eager'> {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'emitEarly', this.logging);
  }

  /** The same config without a changelog: the buffer is not restored after a restart. */
  withLoggingDisabled(): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, this.maxBytes, this.whenFull, false);
  }

  /** The same config with its changelog `<applicationId>-<store>-changelog` (the default). */
  withLoggingEnabled(): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, this.maxBytes, this.whenFull, true);
  }
}

function checkLimit(limit: number, what: string): void {
  if (!(limit >= 0) || (limit !== Infinity && !Number.isSafeInteger(limit))) {
    throw new TopologyError(`Suppressed.BufferConfig: ${what} must be a non-negative integer, got ${limit}`);
  }
}

/**
 * Holds back a table's updates and forwards only the latest per key later (Kafka
 * Streams' `Suppressed`), for `KTable.suppress`.
 *
 * - `untilWindowCloses(bufferConfig)`: on a windowed table, exactly one final result per
 *   window, forwarded when stream time (the largest timestamp the suppression has seen)
 *   reaches the window's end plus the aggregation's grace (for sessions: plus gap and
 *   grace). Tombstones of merged sessions are dropped, not forwarded.
 * - `untilTimeLimit(timeToWait, bufferConfig)`: the latest update per key, forwarded once
 *   stream time is `timeToWait` past the first buffered update's timestamp.
 *
 * CAUTION: results come only as records arrive and move stream time; the last windows
 * stay buffered until later records close them. A late record dropped by the aggregation
 * never reaches the buffer.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, Suppressed, TimeWindows } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, number>('clicks')
 *   .groupByKey()
 *   .windowedBy(TimeWindows.ofSizeAndGrace('1m', '10s'))
 *   .count()
 *   .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
 *   .toStream()
 *   .to('clicks-per-minute-final');
 * ```
 */
export class Suppressed<K> {
  /** @internal phantom: which table keys this suppression applies to. */
  declare readonly keyType?: (key: K) => void;

  /** The buffer configuration classes (`Suppressed.BufferConfig.unbounded()`). */
  static readonly BufferConfig = BufferConfig;

  private constructor(
    readonly kind: 'untilWindowCloses' | 'untilTimeLimit',
    /** For `untilTimeLimit`; `untilWindowCloses` takes the aggregation's grace. */
    readonly timeToWaitMs: number,
    readonly bufferConfig: BufferConfig,
    /** Names the suppression node; its buffer store is `<name>-store`. */
    readonly name?: string,
  ) {}

  /** Final results of a windowed table. The buffer must be strict: unbounded, or `shutDownWhenFull()`. */
  static untilWindowCloses(bufferConfig: BufferConfig<'strict'>): Suppressed<Windowed<any>> {
    if (!(bufferConfig instanceof BufferConfig)) throw new TopologyError('Suppressed.untilWindowCloses takes a Suppressed.BufferConfig');
    if (bufferConfig.whenFull !== 'shutDown') {
      throw new TopologyError('Suppressed.untilWindowCloses needs a strict buffer (unbounded() or shutDownWhenFull()): emitting early would not be final');
    }
    return new Suppressed<Windowed<any>>('untilWindowCloses', 0, bufferConfig);
  }

  /** The latest update per key once `timeToWaitForMoreEvents` of stream time has passed since it was first buffered. */
  static untilTimeLimit<K = unknown>(timeToWaitForMoreEvents: Duration, bufferConfig: BufferConfig): Suppressed<K> {
    if (!(bufferConfig instanceof BufferConfig)) throw new TopologyError('Suppressed.untilTimeLimit takes a Suppressed.BufferConfig');
    return new Suppressed<K>('untilTimeLimit', windowMillis(timeToWaitForMoreEvents, 'Suppressed.untilTimeLimit: timeToWaitForMoreEvents'), bufferConfig);
  }

  /** Names the suppression node; its buffer store is `<name>-store`. Defaults to `KTABLE-SUPPRESS-<n>`. */
  withName(name: string): Suppressed<K> {
    if (!name || typeof name !== 'string') throw new TopologyError('Suppressed.withName: the name must be a non-empty string');
    return new Suppressed<K>(this.kind, this.timeToWaitMs, this.bufferConfig, name);
  }
}
