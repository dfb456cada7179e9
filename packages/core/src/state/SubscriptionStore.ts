import type { KeyValue } from '../KeyValue';
import type { ReadOnlyKeyValueStore, ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger, StoreSpec } from './StateStore';
import { compareKeys, storeKey } from './storeKey';

/** What the foreign side of a foreign-key join is told to do with a subscription. */
export type SubscriptionInstruction =
  /** The primary row moved to another foreign key: forget it here, emit nothing. */
  | 'delete-no-propagate'
  /** The primary row is gone (or lost its foreign key): forget it and send back a `null` foreign value. */
  | 'delete-and-propagate'
  /** The foreign key changed: remember it and send back the foreign value, `null` if there is none. */
  | 'propagate-null-if-absent'
  /** A new primary row: remember it and send back the foreign value only if there is one. */
  | 'propagate-only-if-present';

/** A primary row's registration with the foreign side (Kafka Streams' `SubscriptionWrapper`). */
export interface Subscription {
  /** A hash of the primary value that sent it, `null` for a delete: stale responses are recognised by it. */
  readonly hash: string | null;
  readonly instruction: SubscriptionInstruction;
  readonly primaryKey: unknown;
  /** The partition of the primary row's task, where the response must go. */
  readonly primaryPartition: number;
}

interface Entry {
  readonly foreignKey: unknown;
  readonly primaryKey: unknown;
  readonly subscription: Subscription;
  readonly timestamp: number;
}

/**
 * The foreign side's index of which primary rows refer to which foreign key, for a
 * foreign-key join (Kafka Streams' subscription store, keyed by `(foreignKey, primaryKey)`).
 * A foreign update scans the entries of its key. Readable in tests as a key-value store
 * keyed by `[foreignKey, primaryKey]`.
 */
export class SubscriptionStore implements RestorableStore, ReadOnlyKeyValueStore<readonly [unknown, unknown], Subscription> {
  private readonly byForeignKey = new Map<unknown, Map<unknown, Entry>>();

  constructor(
    readonly name: string,
    private readonly logger?: StoreChangeLogger,
  ) {}

  getSubscription(foreignKey: unknown, primaryKey: unknown): ValueAndTimestamp<Subscription> | undefined {
    const entry = this.byForeignKey.get(storeKey(foreignKey))?.get(storeKey(primaryKey));
    return entry && { value: entry.subscription, timestamp: entry.timestamp };
  }

  putSubscription(foreignKey: unknown, primaryKey: unknown, subscription: Subscription, timestamp: number): void {
    this.write(foreignKey, primaryKey, subscription, timestamp);
    this.logger?.log([foreignKey, primaryKey], subscription, timestamp);
  }

  deleteSubscription(foreignKey: unknown, primaryKey: unknown, timestamp: number): void {
    this.write(foreignKey, primaryKey, null, timestamp);
    this.logger?.log([foreignKey, primaryKey], null, timestamp);
  }

  /** The subscriptions of `foreignKey`, by primary key. */
  subscribersOf(foreignKey: unknown): { primaryKey: unknown; subscription: Subscription }[] {
    const entries = this.byForeignKey.get(storeKey(foreignKey));
    if (!entries) return [];
    return [...entries.values()].sort((a, b) => compareKeys(a.primaryKey, b.primaryKey));
  }

  get([foreignKey, primaryKey]: readonly [unknown, unknown]): Subscription | undefined {
    return this.getSubscription(foreignKey, primaryKey)?.value;
  }

  getWithTimestamp([foreignKey, primaryKey]: readonly [unknown, unknown]): ValueAndTimestamp<Subscription> | undefined {
    return this.getSubscription(foreignKey, primaryKey);
  }

  all(): KeyValue<readonly [unknown, unknown], Subscription>[] {
    const out: KeyValue<readonly [unknown, unknown], Subscription>[] = [];
    const foreignKeys = [...this.byForeignKey.values()].map((entries) => [...entries.values()][0]!.foreignKey).sort(compareKeys);
    for (const foreignKey of foreignKeys) {
      for (const { primaryKey, subscription } of this.subscribersOf(foreignKey)) out.push([[foreignKey, primaryKey], subscription]);
    }
    return out;
  }

  range(from: readonly [unknown, unknown], to: readonly [unknown, unknown]): KeyValue<readonly [unknown, unknown], Subscription>[] {
    const order = (a: readonly [unknown, unknown], b: readonly [unknown, unknown]) => compareKeys(a[0], b[0]) || compareKeys(a[1], b[1]);
    return this.all().filter(([key]) => order(key, from) >= 0 && order(key, to) <= 0);
  }

  approximateNumEntries(): number {
    let n = 0;
    for (const entries of this.byForeignKey.values()) n += entries.size;
    return n;
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    const [foreignKey, primaryKey] = key as [unknown, unknown];
    this.write(foreignKey, primaryKey, (value as Subscription | null) ?? null, timestamp);
  }

  close(): void {
    this.byForeignKey.clear();
  }

  private write(foreignKey: unknown, primaryKey: unknown, subscription: Subscription | null, timestamp: number): void {
    const fk = storeKey(foreignKey);
    let entries = this.byForeignKey.get(fk);
    const pk = storeKey(primaryKey);
    if (subscription === null) {
      if (entries?.delete(pk) && entries.size === 0) this.byForeignKey.delete(fk);
      return;
    }
    if (!entries) {
      entries = new Map();
      this.byForeignKey.set(fk, entries);
    }
    entries.set(pk, { foreignKey, primaryKey, subscription, timestamp });
  }
}

/** The spec of a foreign-key join's subscription store. */
export function subscriptionStoreSpec(name: string, options: { logging: boolean }): StoreSpec {
  return {
    name,
    kind: 'keyValue',
    logging: options.logging,
    keySerde: undefined,
    valueSerde: undefined,
    create: (logger) => new SubscriptionStore(name, logger),
  };
}
