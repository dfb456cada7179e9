import type { KeyValue } from '../KeyValue';
import type { Windowed } from '../windows/Windowed';
import type { SessionStore } from './SessionStore';
import type { RestorableStore, StoreChangeLogger } from './StateStore';
import { compareKeys, storeKey } from './storeKey';
import { TimeIndex } from './TimeIndex';

/** One session of one key. Replaced, never mutated. */
export interface SessionEntry<K, V> {
  readonly sessionKey: Windowed<K>;
  readonly value: V;
}

const startOf = (e: SessionEntry<unknown, unknown>) => e.sessionKey.window.start;
const endOf = (e: SessionEntry<unknown, unknown>) => e.sessionKey.window.end;

/**
 * A session store in memory, indexed by key (sessions sorted by end, then start) and by
 * session end (for expiry and emit-on-close scans). As in Kafka Streams, retention is
 * measured from the latest session end written: a session is visible while
 * `end > latestEnd - retention` and a write to an older session is ignored. A session
 * stays in memory one millisecond longer than it is visible, so an emit-on-close scan
 * still finds the session that just closed; for the same reason a write exactly at that
 * boundary (`end === latestEnd - retention`: a session the aggregation still accepts,
 * ending at the close time) is kept, as Kafka Streams' default (RocksDB) session stores
 * keep it, so `onWindowClose` emits its final result.
 */
export class InMemorySessionStore<K, V> implements SessionStore<K, V>, RestorableStore {
  private readonly byKey = new Map<unknown, SessionEntry<K, V>[]>();
  private readonly byEnd = new Map<number, SessionEntry<K, V>[]>();
  /** Session ends present in `byEnd`. */
  private readonly ends = new TimeIndex();
  private latestEnd = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    private readonly logger?: StoreChangeLogger,
  ) {}

  /** @return false when the session had already expired and the write was ignored. */
  put(sessionKey: Windowed<K>, aggregate: V | null): boolean {
    if (!this.accept(sessionKey.window.end)) return false;
    if (aggregate === null || aggregate === undefined) this.delete(sessionKey);
    else this.write(sessionKey, aggregate);
    this.logger?.log(sessionKey, aggregate ?? null, sessionKey.window.end);
    return true;
  }

  remove(sessionKey: Windowed<K>): void {
    this.delete(sessionKey);
    this.logger?.log(sessionKey, null, sessionKey.window.end);
  }

  restore(key: unknown, value: unknown, _timestamp: number): void {
    const sessionKey = key as Windowed<K>;
    if (!this.accept(sessionKey.window.end)) return;
    if (value === null || value === undefined) this.delete(sessionKey);
    else this.write(sessionKey, value as V);
  }

  fetch(key: K, from?: number, to?: number): KeyValue<Windowed<K>, V>[] {
    return this.findSessions(key, from ?? Number.NEGATIVE_INFINITY, to ?? Number.POSITIVE_INFINITY);
  }

  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[] {
    return this.entriesFor(key, earliestSessionEnd, latestSessionStart).map((e) => [e.sessionKey, e.value] as const);
  }

  fetchSession(key: K, start: number, end: number): V | undefined {
    if (end <= this.latestEnd - this.retentionMs) return undefined;
    const sessions = this.byKey.get(storeKey(key));
    if (!sessions) return undefined;
    const i = indexOf(sessions, end, start);
    const found = sessions[i];
    return found && endOf(found) === end && startOf(found) === start ? found.value : undefined;
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.entriesEndingBetween(this.latestEnd - this.retentionMs + 1, Number.POSITIVE_INFINITY).map((e) => [e.sessionKey, e.value] as const);
  }

  /** @internal `key`'s visible sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`, by end then start. */
  entriesFor(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[] {
    const sessions = this.byKey.get(storeKey(key));
    if (!sessions) return [];
    const lowest = Math.max(earliestSessionEnd, this.latestEnd - this.retentionMs + 1);
    const found: SessionEntry<K, V>[] = [];
    for (let i = indexOf(sessions, lowest, Number.NEGATIVE_INFINITY); i < sessions.length; i++) {
      if (startOf(sessions[i]!) <= latestSessionStart) found.push(sessions[i]!);
    }
    return found;
  }

  /**
   * @internal every session with `from <= end <= to` still in memory (including the one
   * that just left retention), by end, then start, then key: what an emit-on-close scan reads
   * (the order of Kafka Streams' time-ordered session store: end and start bytes, then key bytes).
   */
  entriesEndingBetween(from: number, to: number): SessionEntry<K, V>[] {
    const found: SessionEntry<K, V>[] = [];
    this.ends.forEachBetween(from, to, (end) => {
      const sessions = this.byEnd.get(end);
      if (!sessions || sessions.length === 0) return;
      const ordered = sessions.length > 1 ? [...sessions].sort((a, b) => startOf(a) - startOf(b) || compareKeys(a.sessionKey.key, b.sessionKey.key)) : sessions;
      for (const entry of ordered) found.push(entry);
    });
    return found;
  }

  close(): void {
    this.byKey.clear();
    this.byEnd.clear();
    this.ends.clear();
  }

  private accept(end: number): boolean {
    if (end > this.latestEnd) {
      this.latestEnd = end;
      this.expire(end - this.retentionMs);
    }
    return end >= this.latestEnd - this.retentionMs;
  }

  private write(sessionKey: Windowed<K>, value: V): void {
    const { start, end } = sessionKey.window;
    const entry: SessionEntry<K, V> = { sessionKey, value };
    const id = storeKey(sessionKey.key);
    let sessions = this.byKey.get(id);
    if (!sessions) this.byKey.set(id, (sessions = []));
    const i = indexOf(sessions, end, start);
    const existing = sessions[i];
    if (existing && endOf(existing) === end && startOf(existing) === start) sessions[i] = entry;
    else sessions.splice(i, 0, entry);
    let sameEnd = this.byEnd.get(end);
    if (!sameEnd) {
      this.byEnd.set(end, (sameEnd = []));
      this.ends.add(end);
    }
    const j = sameEnd.findIndex((e) => startOf(e) === start && storeKey(e.sessionKey.key) === id);
    if (j >= 0) sameEnd[j] = entry;
    else sameEnd.push(entry);
  }

  private delete(sessionKey: Windowed<K>): void {
    const { start, end } = sessionKey.window;
    const id = storeKey(sessionKey.key);
    const sessions = this.byKey.get(id);
    if (sessions) {
      const i = indexOf(sessions, end, start);
      const existing = sessions[i];
      if (existing && endOf(existing) === end && startOf(existing) === start) sessions.splice(i, 1);
      if (sessions.length === 0) this.byKey.delete(id);
    }
    const sameEnd = this.byEnd.get(end);
    if (sameEnd) {
      const j = sameEnd.findIndex((e) => startOf(e) === start && storeKey(e.sessionKey.key) === id);
      if (j >= 0) sameEnd.splice(j, 1);
    }
  }

  /** Removes sessions with `end < threshold` from memory. */
  private expire(threshold: number): void {
    this.ends.removeBelow(threshold, (end) => {
      const sessions = this.byEnd.get(end);
      this.byEnd.delete(end);
      for (const entry of sessions ?? []) {
        const id = storeKey(entry.sessionKey.key);
        const ofKey = this.byKey.get(id);
        if (!ofKey) continue;
        const i = ofKey.indexOf(entry);
        if (i >= 0) ofKey.splice(i, 1);
        if (ofKey.length === 0) this.byKey.delete(id);
      }
    });
  }
}

/** Index of the first session at or after `(end, start)` in a list sorted by end, then start. */
function indexOf(sessions: readonly SessionEntry<unknown, unknown>[], end: number, start: number): number {
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = sessions[mid]!;
    if (endOf(e) < end || (endOf(e) === end && startOf(e) < start)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
