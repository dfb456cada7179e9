import { StreamsError } from '@tributary/core';
import { storeKey } from '@tributary/core/runtime';

/**
 * A store key as LMDB orders it: strings and numbers as they are, other keys (objects,
 * arrays, Buffers) in the canonical JSON form the in-memory stores compare them by. LMDB
 * orders numbers numerically, before strings, and strings by their UTF-8 bytes.
 */
export function keyId(key: unknown, store: string): string | number {
  const id = storeKey(key);
  if (typeof id === 'string' || typeof id === 'number') return id;
  throw new StreamsError(`store '${store}': a ${id === null ? 'null' : 'missing'} key cannot be stored`);
}
