import type { StoreKind, StoreSpec, Topology } from '@tributary/core';

/** A store interactive queries can read. */
export interface QueryableStore {
  readonly spec: StoreSpec;
  /** A global store: every instance holds all of it. */
  readonly global: boolean;
}

/** The kinds of store with a read-only query view (a suppression buffer has none). */
const QUERYABLE: ReadonlySet<StoreKind> = new Set<StoreKind>(['keyValue', 'window', 'session', 'versioned']);

/** The topology's queryable stores by name: its own and its global stores, without internal bookkeeping stores. */
export function queryableStores(topology: Topology): ReadonlyMap<string, QueryableStore> {
  const stores = new Map<string, QueryableStore>();
  for (const spec of topology.stores.values()) if (QUERYABLE.has(spec.kind) && !spec.hidden) stores.set(spec.name, { spec, global: false });
  for (const { store } of topology.globalStores) if (QUERYABLE.has(store.kind)) stores.set(store.name, { spec: store, global: true });
  return stores;
}
