import {
  StreamsError,
  type KeyValueStore,
  type ReadOnlyKeyValueStore,
  type ReadOnlyVersionedKeyValueStore,
  type VersionedKeyValueStore,
  type ReadOnlySessionStore,
  type ReadOnlyWindowStore,
  type SessionStore,
  type StateStore,
  type StoreKind,
  type Topology,
  type WindowStore,
} from '@tributary/core';
import { mergedKeyValueStore, mergedSessionStore, mergedVersionedKeyValueStore, mergedWindowStore } from '@tributary/core/runtime';
import type { StreamTask } from '../processing/StreamTask';

/**
 * Interactive queries (design section 6): read-only views of a store over the tasks this
 * instance runs. Each call reads the tasks as they are then, so a view follows rebalances;
 * tasks still restoring are left out (their state is incomplete). Keys held by other
 * instances are not visible here. With `staleReads`, the standby copies this instance keeps
 * are read too (Kafka Streams' `enableStaleStores`): they may lag behind their active tasks.
 */
export class LocalStores {
  constructor(
    private readonly topology: Topology,
    private readonly tasks: () => Iterable<StreamTask>,
    private readonly globalStore: (name: string) => StateStore | undefined,
    private readonly standbyStores: (name: string) => readonly StateStore[] = () => [],
  ) {}

  keyValue<K, V>(name: string, options: StoreQueryOptions = {}): ReadOnlyKeyValueStore<K, V> {
    const parts = this.parts<KeyValueStore<K, V>>(name, 'keyValue', options);
    return {
      get: (key) => mergedKeyValueStore(parts()).get(key),
      all: () => mergedKeyValueStore(parts()).all(),
      range: (from, to) => mergedKeyValueStore(parts()).range(from, to),
      approximateNumEntries: () => mergedKeyValueStore(parts()).approximateNumEntries(),
    };
  }

  versionedKeyValue<K, V>(name: string, options: StoreQueryOptions = {}): ReadOnlyVersionedKeyValueStore<K, V> {
    const parts = this.parts<VersionedKeyValueStore<K, V>>(name, 'versioned', options);
    return {
      get: (key: K, asOfTimestamp?: number) =>
        asOfTimestamp === undefined ? mergedVersionedKeyValueStore(parts()).get(key) : mergedVersionedKeyValueStore(parts()).get(key, asOfTimestamp),
    };
  }

  window<K, V>(name: string, options: StoreQueryOptions = {}): ReadOnlyWindowStore<K, V> {
    const parts = this.parts<WindowStore<K, V>>(name, 'window', options);
    const view = () => mergedWindowStore(parts());
    return {
      fetch: ((key: K, from: number, to?: number) => (to === undefined ? view().fetch(key, from) : view().fetch(key, from, to))) as ReadOnlyWindowStore<K, V>['fetch'],
      fetchWithTimestamp: (key, windowStart) => view().fetchWithTimestamp(key, windowStart),
      backwardFetch: (key, from, to) => view().backwardFetch(key, from, to),
      fetchAll: (from, to) => view().fetchAll(from, to),
      all: () => view().all(),
    };
  }

  session<K, V>(name: string, options: StoreQueryOptions = {}): ReadOnlySessionStore<K, V> {
    const parts = this.parts<SessionStore<K, V>>(name, 'session', options);
    const view = () => mergedSessionStore(parts());
    return {
      fetch: ((key: K, from?: number, to?: number) => (from === undefined || to === undefined ? view().fetch(key) : view().fetch(key, from, to))) as ReadOnlySessionStore<K, V>['fetch'],
      findSessions: (key, earliestSessionEnd, latestSessionStart) => view().findSessions(key, earliestSessionEnd, latestSessionStart),
      fetchSession: (key, start, end) => view().fetchSession(key, start, end),
      all: () => view().all(),
    };
  }

  private parts<S extends StateStore>(name: string, kind: StoreKind, options: StoreQueryOptions): () => S[] {
    const spec = this.topology.stores.get(name) ?? this.topology.globalStores.find((g) => g.store.name === name)?.store;
    if (!spec) throw new StreamsError(`no store named '${name}' (stores: ${[...this.topology.stores.keys()].join(', ') || 'none'})`);
    if (spec.kind !== kind) throw new StreamsError(`store '${name}' is a ${spec.kind} store, not a ${kind} store`);
    return () => {
      const found: S[] = [];
      const seen = new Set<unknown>();
      const global = this.globalStore(name) as S | undefined;
      if (global) {
        seen.add(global);
        found.push(global);
      }
      for (const task of this.tasks()) {
        if (task.state !== 'running') continue;
        const store = task.task.getStore<S>(name);
        // A global store is shared by every task: read it once.
        if (store && !seen.has(store)) {
          seen.add(store);
          found.push(store);
        }
      }
      if (options.staleReads) for (const store of this.standbyStores(name)) found.push(store as S);
      return found;
    };
  }
}

/** How a local store view reads (Kafka Streams' `StoreQueryParameters`). */
export interface StoreQueryOptions {
  /** Also read the standby copies this instance keeps (`numStandbyReplicas`), which may lag. Defaults to `false`. */
  readonly staleReads?: boolean;
}
