import { StreamsError, type ReadOnlyKeyValueStore, type ReadOnlySessionStore, type ReadOnlyVersionedKeyValueStore, type ReadOnlyWindowStore, type StoreKind } from '@tributary/core';
import type { StreamsMetadataState } from '../queries/StreamsMetadataState';
import { UnknownStoreError } from '../queries/UnknownStoreError';
import { forwardedBy, forwardToOwner, SERVED_BY_HEADER } from './forwardToOwner';
import { HttpError } from './HttpError';
import { keyFormat, parseKey, parseLimit, parseTime, required } from './queryParameters';
import { json, type Route, type RouteHandler, type RouteRequest, type RouteResponse } from './Router';

/** What the store routes read: where keys live, this instance's tasks and its local store views. */
export interface StoreQuerySource {
  readonly metadata: StreamsMetadataState;
  /** This instance's advertised endpoint, `host:port`. */
  self(): string;
  /** The tasks this instance runs now, by id. */
  localTasks(): ReadonlyMap<string, 'restoring' | 'running' | 'closed'>;
  /** The tasks this instance keeps standby copies of. */
  standbyTasks(): ReadonlySet<string>;
  /** Views over the running tasks' stores; with `stale`, over the standby copies too. */
  keyValue(store: string, stale?: boolean): ReadOnlyKeyValueStore<unknown, unknown>;
  versioned(store: string, stale?: boolean): ReadOnlyVersionedKeyValueStore<unknown, unknown>;
  window(store: string, stale?: boolean): ReadOnlyWindowStore<unknown, unknown>;
  session(store: string, stale?: boolean): ReadOnlySessionStore<unknown, unknown>;
}

/** Part of a range or `all` answer: what one instance holds. */
interface Entries {
  readonly entries: readonly Record<string, unknown>[];
  readonly truncated: boolean;
}

/**
 * Interactive queries over HTTP. A key query is answered by the instance whose task holds
 * the key's partition: here when that is this instance, otherwise forwarded to it (one hop).
 * `range` and `all` gather every instance's part (`?scope=local`: this instance's only),
 * sorted by key and bounded by `limit`. While the group rebalances, or when the owner
 * advertises no endpoint, the answer is a 503 saying why; an unknown store is a 404 listing
 * the known ones. Keys are strings in the path, or JSON with `?keyFormat=json`. A key query
 * with `?stale=true` is answered here from a standby copy of the key's task when this
 * instance keeps one (Kafka Streams' `enableStaleStores`): possibly behind the owner, but
 * answered while the owner is away; the answer says `"stale": true`.
 */
export function storeRoutes(source: StoreQuerySource): Route[] {
  const route = (path: string, description: string, handler: RouteHandler): Route => ({ method: 'GET', path, description, handler: answeringStoreErrors(handler) });
  return [
    route('/stores', 'the queryable stores and their kinds', () =>
      json(200, { stores: [...source.metadata.stores.values()].map(({ spec, global }) => ({ name: spec.name, kind: spec.kind, global })) }),
    ),
    route('/metadata', 'every instance: endpoint, tasks, partitions, stores', () => json(200, { instances: source.metadata.allMetadata() })),
    route('/stores/:store/metadata', 'the instances holding parts of a store', ({ params }) => json(200, { instances: source.metadata.allMetadataForStore(params.store!) })),
    route('/stores/:store/keys/:key/metadata', 'the instance that serves a key', ({ params, url }) => {
      const key = parseKey(params.key!, keyFormat(url));
      return json(200, { store: params.store, key, metadata: source.metadata.metadataForKey(params.store!, key) ?? null });
    }),
    route('/stores/:store/keys/:key', 'a key of a key-value store (?asOf= for a versioned one)', (request) => {
      const store = params(request).store;
      const kind = kindOf(source, store, ['keyValue', 'versioned'], '/stores/<name>/windows/<key> or /stores/<name>/sessions/<key>');
      const key = parseKey(request.params.key!, keyFormat(request.url));
      return atOwner(source, request, store, key, (stale) => {
        if (kind === 'versioned') {
          const asOf = request.url.searchParams.has('asOf') ? parseTime(request.url, 'asOf', 0) : undefined;
          const found = asOf === undefined ? source.versioned(store, stale).get(key) : source.versioned(store, stale).get(key, asOf);
          if (!found) throw keyNotFound(store, key, asOf);
          return { store, key, value: found.value, timestamp: found.timestamp, ...(found.validTo === undefined ? {} : { validTo: found.validTo }) };
        }
        const value = source.keyValue(store, stale).get(key);
        if (value === undefined) throw keyNotFound(store, key);
        return { store, key, value };
      });
    }),
    route('/stores/:store/windows/:key', 'the windows of a key (?from=&to=, ms or ISO 8601, on window start)', (request) => {
      const { store, key } = keyParams(request);
      kindOf(source, store, ['window'], '/stores/<name>/keys/<key>');
      const from = parseTime(request.url, 'from', 0);
      const to = parseTime(request.url, 'to', Number.MAX_SAFE_INTEGER);
      const size = source.metadata.store(store).spec.windowSizeMs;
      return atOwner(source, request, store, key, (stale) => ({
        store,
        key,
        windows: source.window(store, stale).fetch(key, from, to).map(([start, value]) => ({ start, ...(size === undefined ? {} : { end: start + size }), value })),
      }));
    }),
    route('/stores/:store/sessions/:key', 'the sessions of a key', (request) => {
      const { store, key } = keyParams(request);
      kindOf(source, store, ['session'], '/stores/<name>/keys/<key>');
      return atOwner(source, request, store, key, (stale) => ({
        store,
        key,
        sessions: source.session(store, stale).fetch(key).map(([k, value]) => ({ start: k.window.start, end: k.window.end, value })),
      }));
    }),
    route('/stores/:store/range', 'the entries with from <= key <= to (?from=&to=&limit=&keyFormat=)', (request) => {
      const store = params(request).store;
      kindOf(source, store, ['keyValue'], '/stores/<name>/all');
      const format = keyFormat(request.url);
      const hint = "give both ends of the range, e.g. '?from=a&to=m'";
      const from = parseKey(required(request.url, 'from', hint), format, 'from key');
      const to = parseKey(required(request.url, 'to', hint), format, 'to key');
      const limit = parseLimit(request.url);
      return gather(source, request, store, limit, () => bounded(source.keyValue(store).range(from, to).map(([key, value]) => ({ key, value })), limit));
    }),
    route('/stores/:store/all', 'every entry, sorted by key (?limit=, at most 10000)', (request) => {
      const store = params(request).store;
      const kind = kindOf(source, store, ['keyValue', 'window', 'session'], '/stores/<name>/keys/<key>');
      const limit = parseLimit(request.url);
      return gather(source, request, store, limit, () => {
        if (kind === 'keyValue') return bounded(source.keyValue(store).all().map(([key, value]) => ({ key, value })), limit);
        const windowed = kind === 'window' ? source.window(store).all() : source.session(store).all();
        return bounded(windowed.map(([k, value]) => ({ key: k.key, window: { start: k.window.start, end: k.window.end }, value })), limit);
      });
    }),
  ];
}

function params(request: RouteRequest): { store: string } {
  return { store: request.params.store! };
}

function keyParams(request: RouteRequest): { store: string; key: unknown } {
  return { store: request.params.store!, key: parseKey(request.params.key!, keyFormat(request.url)) };
}

/** The store's kind, when it is one of `kinds`; otherwise a 400 naming the route for it. */
function kindOf(source: StoreQuerySource, store: string, kinds: readonly StoreKind[], instead: string): StoreKind {
  const { kind } = source.metadata.store(store).spec;
  if (!kinds.includes(kind)) throw new HttpError(400, 'WRONG_STORE_KIND', `store '${store}' is a ${kind} store: query it with ${instead}`, { kind });
  return kind;
}

/**
 * Answers here when this instance serves the key (and its task is running), or, with
 * `?stale=true`, keeps a standby copy of the key's task; otherwise forwards to the owner.
 */
async function atOwner(source: StoreQuerySource, request: RouteRequest, store: string, key: unknown, answer: (stale: boolean) => Record<string, unknown>): Promise<RouteResponse> {
  const self = source.self();
  const stale = request.url.searchParams.get('stale');
  if (stale !== null && stale !== 'true' && stale !== 'false') throw new HttpError(400, 'BAD_REQUEST', `stale must be 'true' or 'false', got '${stale}'`);
  const taskId = source.metadata.taskOf(store, key);
  if (stale === 'true' && taskId !== undefined && source.standbyTasks().has(taskId)) {
    return json(200, { ...answer(true), stale: true }, { [SERVED_BY_HEADER]: self });
  }
  const owner = source.metadata.ownerOf(store, key);
  if (owner.kind === 'unavailable') throw notAvailable(owner.reason);
  if (owner.kind === 'owner' && owner.endpoint !== self) {
    const by = forwardedBy(request);
    if (by) {
      throw notAvailable(`${by} forwarded this query here, but this instance's assignment puts task ${owner.taskId} at ${owner.endpoint}: the instances see different assignments while the group rebalances`);
    }
    return forwardToOwner(request, owner.endpoint, self, `the key's task ${owner.taskId}`);
  }
  if (owner.kind === 'owner') {
    const state = source.localTasks().get(owner.taskId);
    if (state !== 'running') throw notAvailable(`task ${owner.taskId}, which holds the key, is ${state === 'restoring' ? 'restoring its stores' : 'not running yet'} on this instance`);
  }
  return json(200, answer(false), { [SERVED_BY_HEADER]: self });
}

/**
 * This instance's part when the request was forwarded here, asks for `scope=local`, or reads
 * a global store; otherwise every owner's part, merged in key order and cut at `limit`.
 */
async function gather(source: StoreQuerySource, request: RouteRequest, store: string, limit: number, local: () => Entries): Promise<RouteResponse> {
  const self = source.self();
  const scope = request.url.searchParams.get('scope') ?? 'all';
  if (scope !== 'all' && scope !== 'local') throw new HttpError(400, 'BAD_REQUEST', `scope must be 'all' or 'local', got '${scope}'`);
  const owners = source.metadata.ownersOf(store);
  const localPart = (): Entries => {
    if (owners.kind !== 'global') requireLocalTasks(source, store, self);
    return local();
  };
  if (owners.kind === 'global' || scope === 'local' || forwardedBy(request)) return json(200, { store, ...localPart() }, { [SERVED_BY_HEADER]: self });
  if (owners.kind === 'unavailable') throw notAvailable(owners.reason);
  const parts = await Promise.all(owners.endpoints.map((endpoint) => (endpoint === self ? localPart() : remotePart(request, endpoint, self))));
  const entries = parts.flatMap((p) => p.entries).sort(byKeyAndWindow);
  return json(200, { store, entries: entries.slice(0, limit), truncated: entries.length > limit || parts.some((p) => p.truncated) }, { [SERVED_BY_HEADER]: owners.endpoints.join(',') });
}

/** Every task of `store` the assignment puts here must run here, restored, for the local part to be whole. */
function requireLocalTasks(source: StoreQuerySource, store: string, self: string): void {
  const tasks = source.metadata.tasksAt(self, store);
  if (!tasks) throw notAvailable(`which tasks of store '${store}' run here is not known while the group rebalances`);
  const local = source.localTasks();
  const missing = tasks.filter((t) => local.get(t) !== 'running');
  if (missing.length > 0) throw notAvailable(`tasks ${missing.join(', ')} of store '${store}' are restoring or not running yet on this instance`);
}

async function remotePart(request: RouteRequest, endpoint: string, self: string): Promise<Entries> {
  const response = await forwardToOwner(request, endpoint, self, 'part of the store');
  const body = JSON.parse(response.body.toString()) as Partial<Entries> & { error?: string; message?: string };
  if (response.status !== 200 || !Array.isArray(body.entries)) {
    throw new HttpError(response.status === 200 ? 502 : response.status, body.error ?? 'OWNER_FAILED', `the instance at ${endpoint} answered ${response.status}: ${body.message ?? 'no entries'}`, { owner: endpoint });
  }
  return { entries: body.entries, truncated: body.truncated === true };
}

function bounded(entries: readonly Record<string, unknown>[], limit: number): Entries {
  return { entries: entries.slice(0, limit), truncated: entries.length > limit };
}

function notAvailable(reason: string): HttpError {
  return new HttpError(503, 'NOT_AVAILABLE', `${reason}; retry shortly`, {}, { 'retry-after': '1' });
}

function keyNotFound(store: string, key: unknown, asOf?: number): HttpError {
  const when = asOf === undefined ? '' : ` as of ${new Date(asOf).toISOString()}`;
  return new HttpError(404, 'KEY_NOT_FOUND', `store '${store}' has no value for key ${JSON.stringify(key)}${when}`, { store, key });
}

/** An unknown store is a 404 listing the known ones; a key the store's serde cannot write (or similar) a 400. */
function answeringStoreErrors(handler: RouteHandler): RouteHandler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof UnknownStoreError) throw new HttpError(404, 'UNKNOWN_STORE', error.message, { store: error.store, stores: error.known });
      if (error instanceof StreamsError) throw new HttpError(400, 'BAD_REQUEST', error.message);
      throw error;
    }
  };
}

/** Key order across instances (numbers numerically, strings by code unit, other keys by their JSON), then window start. */
function byKeyAndWindow(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return compareKeys(a.key, b.key) || ((a.window as { start: number } | undefined)?.start ?? 0) - ((b.window as { start: number } | undefined)?.start ?? 0);
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
