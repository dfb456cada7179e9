import type { Windowed } from '../windows/Windowed';
import { AbstractSessionStore, type SessionEntry } from './AbstractSessionStore';
import { compareKeys, storeKey } from './storeKey';
import { TimeIndex } from './TimeIndex';

const startOf = (e: SessionEntry<unknown, unknown>) => e.sessionKey.window.start;
const endOf = (e: SessionEntry<unknown, unknown>) => e.sessionKey.window.end;

/**
 * A session store in memory, with {@link AbstractSessionStore}'s retention, indexed by key
 * (sessions sorted by end, then start) and by session end (for expiry and emit-on-close scans).
 */
export class InMemorySessionStore<K, V> extends AbstractSessionStore<K, V> {
  private readonly byKey = new Map<unknown, SessionEntry<K, V>[]>();
  private readonly byEnd = new Map<number, SessionEntry<K, V>[]>();
  /** Session ends present in `byEnd`. */
  private readonly ends = new TimeIndex();

  protected storedSession(key: K, start: number, end: number): V | undefined {
    const sessions = this.byKey.get(storeKey(key));
    if (!sessions) return undefined;
    const i = indexOf(sessions, end, start);
    const found = sessions[i];
    return found && endOf(found) === end && startOf(found) === start ? found.value : undefined;
  }

  protected storedSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[] {
    const sessions = this.byKey.get(storeKey(key));
    if (!sessions) return [];
    const found: SessionEntry<K, V>[] = [];
    for (let i = indexOf(sessions, earliestSessionEnd, Number.NEGATIVE_INFINITY); i < sessions.length; i++) {
      if (startOf(sessions[i]!) <= latestSessionStart) found.push(sessions[i]!);
    }
    return found;
  }

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

  protected write(sessionKey: Windowed<K>, value: V | null): void {
    if (value === null) this.delete(sessionKey);
    else this.set(sessionKey, value);
  }

  private set(sessionKey: Windowed<K>, value: V): void {
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
  protected expire(threshold: number): void {
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
