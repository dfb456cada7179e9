import { StreamsError } from '../errors';
import type { StateStore } from './StateStore';

/** The methods that write to a store, across key-value, window and session stores. */
const writes = new Set<PropertyKey>(['put', 'putIfAbsent', 'putAll', 'delete', 'remove', 'putEntry', 'restore']);
const views = new WeakMap<StateStore, StateStore>();

/**
 * A view of a global store for the processors of stream tasks (Kafka Streams' read-only
 * store decorators): reads go through, writes throw. Only the global store's own
 * processor, in the global task, writes it.
 */
export function readOnlyGlobalStore<S extends StateStore>(store: S): S {
  let view = views.get(store);
  if (!view) {
    // Methods are bound once (lookups on the hot path of a global-table join allocate nothing).
    const methods = new Map<PropertyKey, unknown>();
    view = new Proxy(store, {
      get(target, property) {
        let method = methods.get(property);
        if (method === undefined) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          method = writes.has(property)
            ? () => {
                throw new StreamsError(`global store '${target.name}' is read-only: only its global processor writes it`);
              }
            : (value as (...args: unknown[]) => unknown).bind(target);
          methods.set(property, method);
        }
        return method;
      },
    });
    views.set(store, view);
  }
  return view as S;
}
