import type { RestorableStore, StoreChangeLogger } from './StateStore';
import { storeKey } from './storeKey';
import {
  PUT_RETURN_CODE_NOT_PUT,
  PUT_RETURN_CODE_VALID_TO_UNDEFINED,
  type VersionedKeyValueStore,
  type VersionedRecord,
} from './VersionedKeyValueStore';

/** A version of a key: `null` marks a delete, which ends the version before it. */
interface Version<V> {
  readonly timestamp: number;
  value: V | null;
}

interface History<K, V> {
  readonly key: K;
  /** Ascending by timestamp, one version per timestamp. */
  readonly versions: Version<V>[];
}

/**
 * A versioned key-value store in memory, with the semantics of Kafka Streams'
 * `RocksDBVersionedStore`: every version of a key is kept until a newer one has replaced it
 * for longer than `historyRetentionMs` (measured from stream time, the largest timestamp
 * written); writes older than stream time minus history retention are refused; the latest
 * version never expires. Each accepted write goes to the changelog logger with its
 * timestamp, so a restore replays the history.
 */
export class InMemoryVersionedKeyValueStore<K, V> implements VersionedKeyValueStore<K, V>, RestorableStore {
  private readonly histories = new Map<unknown, History<K, V>>();
  /** Kafka Streams starts at -1 (no timestamp yet). */
  private observedStreamTime = -1;
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly historyRetentionMs: number,
    private readonly logger?: StoreChangeLogger,
  ) {}

  put(key: K, value: V | null, timestamp: number): number {
    const validTo = this.write(key, value ?? null, timestamp);
    if (validTo !== PUT_RETURN_CODE_NOT_PUT) this.logger?.log(key, value ?? null, timestamp);
    return validTo;
  }

  delete(key: K, timestamp: number): VersionedRecord<V> | undefined {
    if (this.tooOld(timestamp)) return undefined;
    const existing = this.get(key, timestamp);
    this.put(key, null, timestamp);
    return existing;
  }

  get(key: K, asOfTimestamp?: number): VersionedRecord<V> | undefined {
    const versions = this.histories.get(storeKey(key))?.versions;
    if (!versions) return undefined;
    const latest = versions[versions.length - 1]!;
    if (asOfTimestamp === undefined) return latest.value === null ? undefined : { value: latest.value, timestamp: latest.timestamp };
    if (asOfTimestamp < this.observedStreamTime - this.historyRetentionMs) {
      // Beyond the history retention only the latest version, which never expires, can answer.
      return latest.value !== null && latest.timestamp <= asOfTimestamp ? { value: latest.value, timestamp: latest.timestamp } : undefined;
    }
    const index = lastAtOrBefore(versions, asOfTimestamp);
    const found = versions[index];
    if (!found || found.value === null) return undefined;
    const next = versions[index + 1];
    return next ? { value: found.value, timestamp: found.timestamp, validTo: next.timestamp } : { value: found.value, timestamp: found.timestamp };
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    this.write(key as K, (value ?? null) as V | null, timestamp);
  }

  close(): void {
    this.histories.clear();
  }

  private tooOld(timestamp: number): boolean {
    return timestamp < this.observedStreamTime - this.historyRetentionMs;
  }

  /** Adds a version and returns its validTo (or a put return code), as `put` documents. */
  private write(key: K, value: V | null, timestamp: number): number {
    if (this.tooOld(timestamp)) return PUT_RETURN_CODE_NOT_PUT;
    this.observedStreamTime = Math.max(this.observedStreamTime, timestamp);
    const id = storeKey(key);
    let history = this.histories.get(id);
    if (!history) {
      history = { key, versions: [] };
      this.histories.set(id, history);
    }
    const { versions } = history;
    let at = lastAtOrBefore(versions, timestamp);
    if (versions[at]?.timestamp === timestamp) versions[at]!.value = value;
    else versions.splice(++at, 0, { timestamp, value });
    const next = versions[at + 1];
    this.expire(id, history);
    this.sweep();
    return next ? next.timestamp : PUT_RETURN_CODE_VALID_TO_UNDEFINED;
  }

  /**
   * Drops the versions of one key that no query can return any more: those replaced at or
   * before stream time minus history retention, and a latest delete that old.
   */
  private expire(id: unknown, history: History<K, V>): void {
    const { versions } = history;
    const horizon = this.observedStreamTime - this.historyRetentionMs;
    let drop = 0;
    while (drop + 1 < versions.length && versions[drop + 1]!.timestamp <= horizon) drop++;
    if (drop > 0) versions.splice(0, drop);
    const only = versions[0];
    if (versions.length === 1 && only!.value === null && only!.timestamp <= horizon) this.histories.delete(id);
  }

  /**
   * Expires every key's history now and then: once per history retention of stream time, at
   * most once a second of it. Only memory depends on it; reads never see expired versions.
   */
  private sweep(): void {
    if (this.observedStreamTime < this.nextSweep) return;
    this.nextSweep = this.observedStreamTime + Math.max(this.historyRetentionMs, 1_000);
    for (const [id, history] of this.histories) this.expire(id, history);
  }
}

/** The index of the last version with a timestamp `<= timestamp`, or -1 when none. */
function lastAtOrBefore(versions: readonly Version<unknown>[], timestamp: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.timestamp <= timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
