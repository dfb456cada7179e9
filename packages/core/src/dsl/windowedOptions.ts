import type { Duration } from '../duration';
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
