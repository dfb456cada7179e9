/**
 * What a table forwards: the value after an update and the value before it (`null` when
 * the key was absent or is deleted). Downstream table operators need both, e.g. the
 * subtractor of `KTable.groupBy().aggregate()`.
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

export const change = <V>(newValue: V | null, oldValue: V | null): Change<V> => ({ newValue, oldValue });
