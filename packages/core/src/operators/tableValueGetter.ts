import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';
import type { KeyValueStore, ValueAndTimestamp } from '../state/KeyValueStore';

/** Reads a table's current value and timestamp for a key, inside one task; `undefined` when absent. */
export type TableValueGetter = (key: unknown) => ValueAndTimestamp<unknown> | undefined;

/**
 * How a join looks up a table (Kafka Streams' `KTableValueGetterSupplier`): from the
 * table's store when it has one, otherwise through its parent's getter and the operation
 * that derives it, so an unmaterialized `filter` or `mapValues` needs no store of its own.
 */
export interface TableValueGetterSupplier {
  /** Stores the looking-up processor must be connected to. */
  readonly storeNames: readonly string[];
  create(context: ProcessorNodeContext): TableValueGetter;
}

/** Reads a key-value store (a materialized table, or a global table's shared store). */
export function storeValueGetter(storeName: string, connect = true): TableValueGetterSupplier {
  return {
    storeNames: connect ? [storeName] : [],
    create: (context) => {
      const store = context.getStateStore<KeyValueStore<unknown, unknown>>(storeName);
      return (key) => (key === null || key === undefined ? undefined : store.getWithTimestamp(key));
    },
  };
}

/** `KTable.filter/filterNot` without a store: the parent's value if it passes, else absent. */
export function filterValueGetter(
  parent: TableValueGetterSupplier,
  predicate: (key: unknown, value: unknown) => boolean,
  negate: boolean,
): TableValueGetterSupplier {
  return derivedValueGetter(parent, (key, found) => (Boolean(predicate(key, found.value)) !== negate ? found : undefined));
}

/** `KTable.mapValues` without a store: the parent's value mapped, timestamp kept. */
export function mapValuesValueGetter(parent: TableValueGetterSupplier, mapper: (value: unknown, key: unknown) => unknown): TableValueGetterSupplier {
  return derivedValueGetter(parent, (key, found) => {
    const value = mapper(found.value, key);
    return value === null || value === undefined ? undefined : { value, timestamp: found.timestamp };
  });
}

/** Reads the parent table and derives this table's value from what it found (an absent key stays absent). */
function derivedValueGetter(
  parent: TableValueGetterSupplier,
  derive: (key: unknown, found: ValueAndTimestamp<unknown>) => ValueAndTimestamp<unknown> | undefined,
): TableValueGetterSupplier {
  return {
    storeNames: parent.storeNames,
    create: (context) => {
      const get = parent.create(context);
      return (key) => {
        const found = get(key);
        return found && derive(key, found);
      };
    },
  };
}
