import { StreamsError, type KeyValueStore, type ReadOnlyKeyValueStore, type StateStore, type Topology } from '@tributary/core';
import { mergedKeyValueStore } from '@tributary/core/runtime';
import type { StreamTask } from '../processing/StreamTask';

/**
 * Interactive queries (design section 6): a read-only view of a key-value store over the
 * tasks this instance runs. Each call reads the tasks as they are then, so a view follows
 * rebalances; tasks still restoring are left out (their state is incomplete). Keys held by
 * other instances are not visible here.
 */
export function localKeyValueStore<K, V>(
  topology: Topology,
  tasks: () => Iterable<StreamTask>,
  name: string,
  globalStore: () => StateStore | undefined = () => undefined,
): ReadOnlyKeyValueStore<K, V> {
  const spec = topology.stores.get(name) ?? topology.globalStores.find((g) => g.store.name === name)?.store;
  if (!spec) throw new StreamsError(`no store named '${name}' (stores: ${[...topology.stores.keys()].join(', ') || 'none'})`);
  if (spec.kind !== 'keyValue') throw new StreamsError(`store '${name}' is a ${spec.kind} store; only key-value stores can be queried so far`);
  const parts = () => {
    const found: KeyValueStore<K, V>[] = [];
    const seen = new Set<unknown>();
    const global = globalStore() as KeyValueStore<K, V> | undefined;
    if (global) {
      seen.add(global);
      found.push(global);
    }
    for (const task of tasks()) {
      if (task.state !== 'running') continue;
      const store = task.task.getStore<KeyValueStore<K, V>>(name);
      // A global store is shared by every task: read it once.
      if (store && !seen.has(store)) {
        seen.add(store);
        found.push(store);
      }
    }
    return mergedKeyValueStore<K, V>(found);
  };
  return {
    get: (key) => parts().get(key),
    all: () => parts().all(),
    range: (from, to) => parts().range(from, to),
    approximateNumEntries: () => parts().approximateNumEntries(),
  };
}
