import type { Duration } from '../duration';
import { TopologyError } from '../errors';
import { windowMillis } from '../windows/windowArguments';
import type { MaterializedOptions } from './options';

/**
 * Names a windowed aggregation and its store (Kafka Streams' `Materialized` for window
 * and session stores). `keySerde` is the serde of the grouping key inside the windowed key.
 */
export interface WindowedMaterializedOptions<K, V> extends MaterializedOptions<K, V> {
  /**
   * How long the store keeps a window (sessions: after their end). Defaults to window
   * size + grace (sliding: 2 x time difference + grace; sessions: gap + grace), the least
   * allowed.
   */
  retention?: Duration;
}

/**
 * The retention of a windowed aggregation's store: `least` (what its windows need, `covers`
 * says what that is) unless `retention` raises it; a smaller `retention` is a TopologyError.
 */
export function storeRetention(retention: Duration | undefined, least: number, store: { name: string; kind: 'window' | 'session'; covers: string }): number {
  if (retention === undefined) return least;
  const ms = windowMillis(retention, `the retention of store '${store.name}'`);
  if (ms < least) {
    throw new TopologyError(`the retention of ${store.kind} store '${store.name}' must be no smaller than ${store.covers} (${least} ms), got ${ms} ms`);
  }
  return ms;
}
