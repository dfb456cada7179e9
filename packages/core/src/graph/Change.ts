/**
 * What a table forwards: the value after an update and the value before it (`null` when
 * the key was absent or is deleted). Downstream table operators need both, e.g. the
 * subtractor of `KTable.groupBy().aggregate()`.
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
  /**
   * Set only below a versioned table: `false` for an out-of-order update, older than the
   * key's latest version (it changed the history, not the current value), which table-table
   * joins, `groupBy` and foreign-key joins ignore, as in Kafka Streams (KIP-914).
   */
  readonly isLatest?: boolean;
}

export const change = <V>(newValue: V | null, oldValue: V | null, isLatest?: boolean): Change<V> =>
  isLatest === undefined ? { newValue, oldValue } : { newValue, oldValue, isLatest };
