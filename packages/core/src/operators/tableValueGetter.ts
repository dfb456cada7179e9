import type { ProcessorNodeContext } from '../runtime/ProcessorNodeContext';
import type { KeyValueStore, ValueAndTimestamp } from '../state/KeyValueStore';
import { isVersionedStore } from '../state/VersionedKeyValueStore';

/**
 * Reads a table's current value and timestamp for a key, inside one task; `undefined` when
 * absent. A versioned table answers as of `asOfTimestamp` when one is given (a stream-table
 * join passes the stream record's timestamp); other tables ignore it.
 */
export type TableValueGetter = (key: unknown, asOfTimestamp?: number) => ValueAndTimestamp<unknown> | undefined;

/**
 * How a join looks up a table (Kafka Streams' `KTableValueGetterSupplier`): from the
 * table's store when it has one, otherwise through its parent's getter and the operation
 * that derives it, so an unmaterialized `filter` or `mapValues` needs no store of its own.
 */
export interface TableValueGetterSupplier {
  /** Stores the looking-up processor must be connected to. */
  readonly storeNames: readonly string[];
  /** True when the table is read from a versioned store, so lookups can be made as of a timestamp (Kafka Streams' `isVersioned()`). */
  readonly versioned?: boolean;
  create(context: ProcessorNodeContext): TableValueGetter;
}

/** Reads a key-value store (a materialized table, or a global table's shared store), or a versioned one. */
export function storeValueGetter(storeName: string, connect = true, versioned = false): TableValueGetterSupplier {
  return {
    storeNames: connect ? [storeName] : [],
    versioned,
    create: (context) => {
      const store = context.getStateStore(storeName);
      if (isVersionedStore(store)) {
        return (key, asOfTimestamp) => {
          if (key === null || key === undefined) return undefined;
          const found = asOfTimestamp === undefined ? store.get(key) : store.get(key, asOfTimestamp);
          return found && { value: found.value, timestamp: found.timestamp };
        };
      }
      const keyValue = store as KeyValueStore<unknown, unknown>;
      return (key) => (key === null || key === undefined ? undefined : keyValue.getWithTimestamp(key));
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
    versioned: parent.versioned,
    create: (context) => {
      const get = parent.create(context);
      return (key, asOfTimestamp) => {
        const found = get(key, asOfTimestamp);
        return found && derive(key, found);
      };
    },
  };
}
