/**
 * Whether a table forwards the old value with each change, and how a downstream need for
 * old values reaches upstream (Kafka Streams' `enableSendingOldValues(forceMaterialization)`).
 *
 * `groupBy`, `suppress` and the kept side of a left or outer join force old values: their
 * parents send them, and a source table is materialized to have them. A `filter` asks its
 * parent without forcing when it is built: a parent that has its values at hand (an
 * aggregation, a table-table join, a materialized source) then sends old values, and the
 * filter drops a change from "absent" to "absent" instead of forwarding a tombstone. An
 * unmaterialized source table declines, and the filter forwards those tombstones, as in
 * Kafka Streams.
 */
export interface OldValues {
  /** Whether this table's processor forwards old values (Kafka Streams' `sendOldValues`). */
  readonly enabled: boolean;
  /**
   * Asks this table to forward old values. Without `forceMaterialization`, a table that would
   * have to be materialized for it declines and returns false.
   */
  enable(forceMaterialization: boolean): boolean;
  /** Something looks the table up (a join, a value getter): a source table counts as materialized from now on. */
  materialize(): void;
}

/** An aggregation's table: always materialized, so it sends old values whenever asked. */
export function aggregationOldValues(): OldValues {
  let enabled = false;
  return {
    get enabled() {
      return enabled;
    },
    enable() {
      enabled = true;
      return true;
    },
    materialize() {},
  };
}

/**
 * A source table (`builder.table`, `toTable`, a foreign-key join's result): materialized when
 * named, when looked up, or when old values are forced. `onMaterialize` runs once, when an
 * unnamed one must keep its values from then on.
 */
export function sourceOldValues(named: boolean, onMaterialize?: () => void): OldValues {
  let enabled = false;
  let materialized = named;
  const materialize = () => {
    if (materialized) return;
    materialized = true;
    onMaterialize?.();
  };
  return {
    get enabled() {
      return enabled;
    },
    enable(forceMaterialization) {
      if (enabled) return true;
      if (!forceMaterialization && !materialized) return false;
      materialize();
      enabled = true;
      return true;
    },
    materialize,
  };
}

/**
 * `filter`/`mapValues` on a table: a named one keeps its own store and sends old values on
 * request; an unnamed one sends them when its parent does. `initiallyEnabled` is what the
 * parent answered when the operation was built (a filter asks at once).
 */
export function derivedOldValues(parent: OldValues, named: boolean, initiallyEnabled = false): OldValues {
  let enabled = initiallyEnabled;
  return {
    get enabled() {
      return enabled;
    },
    enable(forceMaterialization) {
      if (named) {
        enabled = true;
        return true;
      }
      if (parent.enable(forceMaterialization)) enabled = true;
      return enabled;
    },
    // Lookups reach the parent through the derived table's value getter.
    materialize() {},
  };
}

/** A table-table join: its lookups need both inputs materialized, so it sends old values whenever asked, and so do both inputs. */
export function joinOldValues(left: OldValues, right: OldValues): OldValues {
  let enabled = false;
  return {
    get enabled() {
      return enabled;
    },
    enable() {
      left.enable(true);
      right.enable(true);
      enabled = true;
      return true;
    },
    materialize() {},
  };
}

/** `suppress`: passes requests to its parent, which it asked for old values when it was built. */
export function suppressOldValues(parent: OldValues): OldValues {
  return {
    get enabled() {
      return parent.enabled;
    },
    enable: (forceMaterialization) => parent.enable(forceMaterialization),
    materialize() {},
  };
}
