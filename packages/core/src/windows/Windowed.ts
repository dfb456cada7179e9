/**
 * A window's bounds in milliseconds since the epoch. For time windows `end` is exclusive
 * (`[start, end)`); for sliding and session windows both bounds are inclusive
 * (`[start, end]`), as in Kafka Streams.
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * The key of a windowed aggregation's result: the grouping key and the window it was
 * aggregated over (Kafka Streams' `Windowed<K>`).
 *
 * ## Example
 * ```ts
 * import type { Windowed } from '@tributary/core';
 *
 * const key: Windowed<string> = { key: 'alice', window: { start: 0, end: 60_000 } };
 * ```
 */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

/** @internal a windowed key; one allocation, as the hot path creates one per output. */
export function windowed<K>(key: K, start: number, end: number): Windowed<K> {
  return { key, window: { start, end } };
}
