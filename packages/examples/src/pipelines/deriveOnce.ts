/** The in-memory stores already derived, by store object: one per task, gone with the task. */
const derived = new WeakSet<object>();

/**
 * Derives an in-memory store (no changelog) from restored ones once per task, on the first
 * record any of the processors sharing it sees: that record comes after the task's stores
 * were restored. A task created again has new store objects, so it derives them again.
 */
export function deriveOnce(store: object, derive: () => void): void {
  if (derived.has(store)) return;
  derived.add(store);
  derive();
}
