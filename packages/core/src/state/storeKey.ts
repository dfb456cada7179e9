/**
 * A Map key for any store key: strings and numbers are used as they are (the fast path);
 * objects get a canonical JSON form with sorted properties, so equal keys meet.
 */
export function storeKey(key: unknown): unknown {
  const type = typeof key;
  if (type === 'string' || type === 'number' || key === null || key === undefined) return key;
  return canonicalJson(key);
}

function canonicalJson(value: unknown): string {
  if (Buffer.isBuffer(value)) return `b:${value.toString('base64')}`;
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Orders store keys as a range query expects: numbers numerically, the rest by string form. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : String(storeKey(a));
  const y = typeof b === 'string' ? b : String(storeKey(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
