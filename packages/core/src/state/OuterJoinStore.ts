import type { RestorableStore, StoreChangeLogger, StoreSpec } from './StateStore';
import { compareKeys, storeKey } from './storeKey';

/** Which input of a stream-stream join a record came from. */
export type JoinSide = 'left' | 'right';

/** A record of a left or outer stream-stream join still waiting for a partner. */
export interface PendingJoinRecord {
  readonly timestamp: number;
  readonly side: JoinSide;
  readonly key: unknown;
  /** The values with this timestamp, side and key, in arrival order. */
  readonly values: unknown[];
}

/**
 * The records of a left or outer stream-stream join that have found no partner yet, shared
 * by both sides of the join (Kafka Streams' "outer join store", a list-value key-value
 * store). Ordered as Kafka Streams' serialized keys are: by timestamp, then right before
 * left, then by key. The join emits `joiner(value, null)` for a record once its window and
 * grace have passed, and deletes the record when a partner arrives first.
 */
export class OuterJoinStore implements RestorableStore {
  /** Sorted as described above. */
  private readonly entries: PendingJoinRecord[] = [];
  private readonly byId = new Map<string, PendingJoinRecord>();

  constructor(
    readonly name: string,
    private readonly logger?: StoreChangeLogger,
  ) {}

  /** Adds `value` to the list under (timestamp, side, key). */
  add(timestamp: number, side: JoinSide, key: unknown, value: unknown): void {
    const id = idOf(timestamp, side, key);
    let entry = this.byId.get(id);
    if (!entry) {
      entry = { timestamp, side, key, values: [] };
      this.byId.set(id, entry);
      this.entries.splice(this.insertionPoint(entry), 0, entry);
    }
    entry.values.push(value);
    this.logger?.log({ timestamp, side, key }, [...entry.values], timestamp);
  }

  /** Deletes the whole list under (timestamp, side, key), if there is one. */
  delete(timestamp: number, side: JoinSide, key: unknown): void {
    const id = idOf(timestamp, side, key);
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.remove(entry);
    this.logger?.log({ timestamp, side, key }, null, timestamp);
  }

  /** The pending records in store order (a snapshot: deleting while iterating is safe). */
  all(): readonly PendingJoinRecord[] {
    return [...this.entries];
  }

  approximateNumEntries(): number {
    return this.entries.length;
  }

  restore(key: unknown, value: unknown, _timestamp?: number): void {
    const { timestamp, side, key: userKey } = key as { timestamp: number; side: JoinSide; key: unknown };
    const id = idOf(timestamp, side, userKey);
    const existing = this.byId.get(id);
    if (existing) {
      this.byId.delete(id);
      this.remove(existing);
    }
    if (value === null || value === undefined) return;
    const entry: PendingJoinRecord = { timestamp, side, key: userKey, values: [...(value as unknown[])] };
    this.byId.set(id, entry);
    this.entries.splice(this.insertionPoint(entry), 0, entry);
  }

  close(): void {
    this.entries.length = 0;
    this.byId.clear();
  }

  private remove(entry: PendingJoinRecord): void {
    let i = this.bisect(entry, false);
    while (this.entries[i] !== entry) i++;
    this.entries.splice(i, 1);
  }

  /** Where `entry` belongs: after every entry that orders before it, and (`afterEqual`) after those equal to it. */
  private bisect(entry: PendingJoinRecord, afterEqual: boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = compare(this.entries[mid]!, entry);
      if (order < 0 || (afterEqual && order === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertionPoint(entry: PendingJoinRecord): number {
    return this.bisect(entry, true);
  }
}

function idOf(timestamp: number, side: JoinSide, key: unknown): string {
  return `${timestamp}\u0000${side}\u0000${String(storeKey(key))}\u0000${typeof key}`;
}

/** Kafka Streams' byte order of `<timestamp><left-flag><key>`: right (0) sorts before left (1). */
function compare(a: PendingJoinRecord, b: PendingJoinRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.side !== b.side) return a.side === 'right' ? -1 : 1;
  return compareKeys(a.key, b.key);
}

/** The spec of the shared store of a left or outer stream-stream join. */
export function outerJoinStoreSpec(name: string, options: { logging: boolean; retentionMs: number }): StoreSpec {
  return {
    name,
    kind: 'keyValue',
    logging: options.logging,
    keySerde: undefined,
    valueSerde: undefined,
    retentionMs: options.retentionMs,
    create: (logger) => new OuterJoinStore(name, logger),
  };
}
