import type { KeyValue } from '../KeyValue';
import type { Windowed } from '../windows/Windowed';
import type { AggregationSessionStore } from './aggregationStores';
import type { RestorableStore, StoreChangeLogger } from './StateStore';

/** One session of one key. Replaced, never mutated. */
export interface SessionEntry<K, V> {
  readonly sessionKey: Windowed<K>;
  readonly value: V;
}

/**
 * What every session store does over its storage: Kafka Streams' retention, the queries and
 * the changelog. Retention is measured from the latest session end written: a session is
 * visible while `end > latestEnd - retention` and a write to an older session is ignored.
 * A session is kept one millisecond longer than it is visible, so an emit-on-close scan
 * still finds the session that just closed; for the same reason a write exactly at that
 * boundary (`end === latestEnd - retention`: a session the aggregation still accepts,
 * ending at the close time) is kept, as Kafka Streams' default (RocksDB) session stores
 * keep it, so `onWindowClose` emits its final result. An implementation (in memory,
 * `@tributary/lmdb`) supplies how sessions are stored, found and expired.
 */
export abstract class AbstractSessionStore<K, V> implements AggregationSessionStore<K, V>, RestorableStore {
  /** The latest session end written; a persistent store finds it again when it opens. */
  protected latestEnd = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    protected readonly logger?: StoreChangeLogger,
  ) {}

  /** @return false when the session had already expired and the write was ignored. */
  put(sessionKey: Windowed<K>, aggregate: V | null): boolean {
    if (!this.accept(sessionKey.window.end)) return false;
    this.write(sessionKey, aggregate ?? null);
    this.logger?.log(sessionKey, aggregate ?? null, sessionKey.window.end);
    return true;
  }

  remove(sessionKey: Windowed<K>): void {
    this.write(sessionKey, null);
    this.logger?.log(sessionKey, null, sessionKey.window.end);
  }

  restore(key: unknown, value: unknown, _timestamp: number): void {
    const sessionKey = key as Windowed<K>;
    if (this.accept(sessionKey.window.end)) this.write(sessionKey, (value ?? null) as V | null);
  }

  fetch(key: K, from?: number, to?: number): KeyValue<Windowed<K>, V>[] {
    return this.findSessions(key, from ?? Number.NEGATIVE_INFINITY, to ?? Number.POSITIVE_INFINITY);
  }

  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[] {
    return this.entriesFor(key, earliestSessionEnd, latestSessionStart).map((e) => [e.sessionKey, e.value] as const);
  }

  fetchSession(key: K, start: number, end: number): V | undefined {
    if (end <= this.latestEnd - this.retentionMs) return undefined;
    return this.storedSession(key, start, end);
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.entriesEndingBetween(this.latestEnd - this.retentionMs + 1, Number.POSITIVE_INFINITY).map((e) => [e.sessionKey, e.value] as const);
  }

  /** @internal `key`'s visible sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`, by end then start. */
  entriesFor(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[] {
    return this.storedSessions(key, Math.max(earliestSessionEnd, this.latestEnd - this.retentionMs + 1), latestSessionStart);
  }

  /**
   * @internal every session with `from <= end <= to` still kept (including the one that just
   * left retention), by end, then start, then key: what an emit-on-close scan reads (the
   * order of Kafka Streams' time-ordered session store: end and start bytes, then key bytes).
   */
  abstract entriesEndingBetween(from: number, to: number): SessionEntry<K, V>[];
  abstract close(): void;

  /** The value of `key`'s stored session `[start, end]` (a visible one: the caller checked). */
  protected abstract storedSession(key: K, start: number, end: number): V | undefined;
  /** `key`'s stored sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`, by end then start. */
  protected abstract storedSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[];
  /** Stores a session, or deletes it when `value` is `null`; logs nothing. */
  protected abstract write(sessionKey: Windowed<K>, value: V | null): void;
  /** Drops the sessions with `end < threshold`. */
  protected abstract expire(threshold: number): void;

  /** Advances the latest end, drops what fell out of retention, and says whether a session ending at `end` is still kept. */
  private accept(end: number): boolean {
    if (end > this.latestEnd) {
      this.latestEnd = end;
      this.expire(end - this.retentionMs);
    }
    return end >= this.latestEnd - this.retentionMs;
  }
}
