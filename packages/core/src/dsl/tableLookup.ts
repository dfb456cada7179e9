import type { GraphNode } from '../graph/GraphNode';
import { materializeChanges } from '../operators/materializeChanges';
import { keyValueStoreSpec } from '../state/Stores';
import type { HandleState } from './HandleState';

const materialized = new WeakMap<GraphNode, string>();

/**
 * Gives a table without a store and without a value getter (an operation that cannot be
 * looked up through its parent) a store to be joined against: a processor under the
 * table's node writes each change into a generated store. Done once per table.
 */
export function materializeForLookup(state: HandleState): string {
  const existing = materialized.get(state.node);
  if (existing) return existing;
  const { builder } = state;
  const name = builder.newName('KTABLE-MATERIALIZE-');
  const storeName = `${name}-store`;
  builder.addStore(keyValueStoreSpec(storeName, { keySerde: state.keySerde, valueSerde: state.valueSerde, logging: true }));
  builder.addProcessor(state.node, name, materializeChanges(storeName), [storeName]);
  materialized.set(state.node, storeName);
  return storeName;
}
