import { TopologyError } from '../errors';
import type { GraphNode } from '../graph/GraphNode';
import type { Serde } from '../serdes/Serde';
import type { StoreOptions, StoreSpec } from '../state/StateStore';
import { keyValueStoreSpec } from '../state/Stores';
import { isVersionedStoreSpec, type VersionedStoreSpec } from '../state/versionedStoreSpec';

/**
 * Which table nodes are versioned (Kafka Streams' `GraphNode.isOutputVersioned`): a table
 * kept in a versioned store, and the unmaterialized `filter`/`mapValues` of one. Every other
 * table (aggregations, joins, suppress, tables in key-value stores) is not.
 */
const versionedNodes = new WeakSet<GraphNode>();

/** Whether the table at `node` is versioned, or derived without a store of its own from one that is. */
export function isVersionedTable(node: GraphNode): boolean {
  return versionedNodes.has(node);
}

/** Records that `child`, a table derived from the table at `parent`, is versioned when it has no store and its parent is. */
export function deriveTableVersioning(parent: GraphNode, child: GraphNode, materialized: boolean): void {
  if (!materialized && versionedNodes.has(parent)) versionedNodes.add(child);
}

/**
 * The store of a table read from a topic or a stream (`builder.table`, `toTable`): the
 * versioned store `store` names, with the table's serdes where it has none, or a key-value
 * store named `storeName()`. Marks the table node versioned once it exists (`mark`).
 */
export function tableStore(
  store: StoreOptions | VersionedStoreSpec | undefined,
  storeName: () => string,
  serdes: { keySerde: Serde<unknown> | undefined; valueSerde: Serde<unknown> | undefined },
): { spec: StoreSpec; mark: (node: GraphNode) => void } {
  if (isVersionedStoreSpec(store)) {
    const spec: VersionedStoreSpec = { ...store, keySerde: store.keySerde ?? serdes.keySerde, valueSerde: store.valueSerde ?? serdes.valueSerde };
    return { spec, mark: (node) => versionedNodes.add(node) };
  }
  if (store !== undefined && (typeof store !== 'object' || store === null)) throw new TopologyError(`store must be { type, logging } or a Stores.versionedKeyValueStore(...) spec`);
  return { spec: keyValueStoreSpec(storeName(), { ...serdes, logging: store?.logging ?? true, type: store?.type }), mark: () => {} };
}

/** Kafka Streams refuses `suppress()` on a versioned table (its out-of-order updates have no place in a buffer of latest values). */
export function checkNotVersioned(node: GraphNode, operation: string): void {
  if (isVersionedTable(node)) {
    throw new TopologyError(`${operation} is only supported for non-versioned KTables (note that version semantics might be inherited from upstream)`);
  }
}
