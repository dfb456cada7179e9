import { StreamsError } from '@tributary/core';
import { StoreQueryError } from './StoreQueryError';

export interface StoreClientOptions {
  /** How long one request may take. Defaults to `10000`. */
  timeoutMs?: number;
  /** Headers sent with every request (e.g. authorization in front of the instances). Defaults to none. */
  headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use. Defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** One entry of a key-value store. */
export interface StoreEntry<K, V> {
  readonly key: K;
  readonly value: V;
}

/** One entry of a window or session store: the key and its window. */
export interface WindowedStoreEntry<K, V> extends StoreEntry<K, V> {
  readonly window: { readonly start: number; readonly end: number };
}

/** What a range or `all` query returns: at most `limit` entries in key order, and whether there were more. */
export interface StoreEntries<E> {
  readonly entries: readonly E[];
  readonly truncated: boolean;
}

/** One window of a key: its start, its end when the store knows the window size, and the value. */
export interface WindowValue<V> {
  readonly start: number;
  readonly end?: number;
  readonly value: V;
}

/** A time bound: ms since the epoch, a `Date`, or an ISO 8601 string. */
export type TimeBound = number | Date | string;

/**
 * A typed client for the interactive queries an application serves over HTTP (its `http`
 * option). Any instance answers any key: it forwards to the owner when the key is elsewhere.
 * String keys travel as they are; other keys (numbers, objects) as JSON (`keyFormat=json`).
 *
 * ## Example
 * ```ts
 * import { StoreClient } from '@tributary/kafka';
 *
 * const client = new StoreClient('http://orders-1.internal:8080');
 * const total = await client.get<number>('order-totals', 'customer-42'); // undefined when absent
 * const { entries } = await client.all<number>('order-totals', { limit: 100 });
 * ```
 */
export class StoreClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(
    baseUrl: string,
    private readonly options: StoreClientOptions = {},
  ) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new StreamsError(`StoreClient needs an http(s) URL such as 'http://localhost:8080', got '${baseUrl}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StreamsError(`StoreClient needs an http(s) URL, got '${baseUrl}'`);
    this.base = url.href.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * The value of `key` in a key-value store (as of `asOf` in a versioned one); `undefined`
   * when there is none. `staleReads`: the instance asked may answer from its standby copy
   * of the key's task, which may lag behind the owner.
   */
  async get<V = unknown, K = string>(store: string, key: K, options: { asOf?: TimeBound; staleReads?: boolean } = {}): Promise<V | undefined> {
    const { path, query } = keyPath(key);
    const extra = { ...(options.asOf === undefined ? {} : { asOf: time(options.asOf) }), ...(options.staleReads ? { stale: 'true' } : {}) };
    const body = await this.request<{ value: V }>(`/stores/${segment(store)}/keys/${path}`, { ...query, ...extra }, true);
    return body?.value;
  }

  /** The entries with `from <= key <= to`, across all instances, in key order. */
  async range<V = unknown, K = string>(store: string, from: K, to: K, options: { limit?: number } = {}): Promise<StoreEntries<StoreEntry<K, V>>> {
    const json = typeof from !== 'string' || typeof to !== 'string';
    const query = { from: json ? JSON.stringify(from) : (from as string), to: json ? JSON.stringify(to) : (to as string), ...(json ? { keyFormat: 'json' } : {}), ...limit(options.limit) };
    return entries(await this.request<StoreEntries<StoreEntry<K, V>>>(`/stores/${segment(store)}/range`, query));
  }

  /** Every entry of a store across all instances, in key order (window and session stores: with their windows). */
  async all<V = unknown, K = string>(store: string, options: { limit?: number } = {}): Promise<StoreEntries<StoreEntry<K, V> | WindowedStoreEntry<K, V>>> {
    return entries(await this.request<StoreEntries<StoreEntry<K, V>>>(`/stores/${segment(store)}/all`, limit(options.limit)));
  }

  /** The windows of `key` in a window store whose start lies in `[from, to]` (defaults: all of them). */
  async windows<V = unknown, K = string>(store: string, key: K, options: { from?: TimeBound; to?: TimeBound } = {}): Promise<WindowValue<V>[]> {
    const { path, query } = keyPath(key);
    const bounds = { ...(options.from === undefined ? {} : { from: time(options.from) }), ...(options.to === undefined ? {} : { to: time(options.to) }) };
    return (await this.request<{ windows: WindowValue<V>[] }>(`/stores/${segment(store)}/windows/${path}`, { ...query, ...bounds }))!.windows;
  }

  /** The sessions of `key` in a session store. */
  async sessions<V = unknown, K = string>(store: string, key: K): Promise<WindowValue<V>[]> {
    const { path, query } = keyPath(key);
    return (await this.request<{ sessions: WindowValue<V>[] }>(`/stores/${segment(store)}/sessions/${path}`, query))!.sessions;
  }

  /** `undefined` for a 404 KEY_NOT_FOUND when `absentIsUndefined`; other failures throw a {@link StoreQueryError}. */
  private async request<T>(path: string, query: Record<string, string>, absentIsUndefined = false): Promise<T | undefined> {
    const search = new URLSearchParams(query).toString();
    const url = `${this.base}${path}${search ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await this.fetch(url, { headers: { accept: 'application/json', ...this.options.headers }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new StoreQueryError(503, 'UNREACHABLE', `${url} did not answer: ${cause}`);
    }
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new StoreQueryError(response.status, 'NOT_JSON', `${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (response.ok) return body as T;
    const { error: code, message, ...details } = body;
    if (absentIsUndefined && response.status === 404 && code === 'KEY_NOT_FOUND') return undefined;
    throw new StoreQueryError(response.status, typeof code === 'string' ? code : 'HTTP_ERROR', typeof message === 'string' ? message : `${url} answered ${response.status}`, details);
  }
}

function entries<E>(body: StoreEntries<E> | undefined): StoreEntries<E> {
  return { entries: body?.entries ?? [], truncated: body?.truncated === true };
}

/** A string key as it is (unless the URL parser would take it for `.` or `..`); any other key as JSON. */
function keyPath(key: unknown): { path: string; query: Record<string, string> } {
  if (typeof key === 'string' && key !== '.' && key !== '..' && key !== '') return { path: segment(key), query: {} };
  return { path: segment(JSON.stringify(key)), query: { keyFormat: 'json' } };
}

function segment(text: string): string {
  return encodeURIComponent(text);
}

function time(bound: TimeBound): string {
  return bound instanceof Date ? String(bound.getTime()) : String(bound);
}

function limit(value: number | undefined): Record<string, string> {
  return value === undefined ? {} : { limit: String(value) };
}
