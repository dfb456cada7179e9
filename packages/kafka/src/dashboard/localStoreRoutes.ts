import { StreamsError, type StreamsApplication, type Topology } from '@tributary/core';
import { HttpError } from '../http/HttpError';
import { keyFormat, parseKey, parseLimit, required } from '../http/queryParameters';
import { json, type Route, type RouteRequest } from '../http/Router';
import { queryableStores } from '../queries/queryableStores';

/**
 * The key-value part of the `/stores` routes for an application of one process (the embedded
 * engine, or any {@link StreamsApplication}), read through `app.store(name)`: the same paths
 * and answers as a `KafkaStreams` server's, so the dashboard's store browser works on both.
 * Window, session and versioned stores are not listed: `StreamsApplication` has no view of them.
 */
export function localStoreRoutes(app: Pick<StreamsApplication, 'store'>, topology: Topology): Route[] {
  const stores = [...queryableStores(topology).values()].filter((s) => s.spec.kind === 'keyValue');
  const names = stores.map((s) => s.spec.name).sort();
  const view = (request: RouteRequest) => {
    const name = request.params.store!;
    if (!names.includes(name)) throw new HttpError(404, 'UNKNOWN_STORE', `no key-value store named '${name}' (stores: ${names.join(', ') || 'none'})`, { store: name, stores: names });
    try {
      return { name, store: app.store(name) };
    } catch (error) {
      if (error instanceof StreamsError) throw new HttpError(503, 'NOT_AVAILABLE', `${error.message}; retry shortly`, {}, { 'retry-after': '1' });
      throw error;
    }
  };
  return [
    {
      method: 'GET',
      path: '/stores',
      description: 'the queryable key-value stores',
      handler: () => json(200, { stores: stores.map(({ spec, global }) => ({ name: spec.name, kind: spec.kind, global })) }),
    },
    {
      method: 'GET',
      path: '/stores/:store/keys/:key',
      description: 'a key of a key-value store',
      handler: (request) => {
        const { name, store } = view(request);
        const key = parseKey(request.params.key!, keyFormat(request.url));
        const value = store.get(key);
        if (value === undefined) throw new HttpError(404, 'KEY_NOT_FOUND', `store '${name}' has no value for key ${JSON.stringify(key)}`, { store: name, key });
        return json(200, { store: name, key, value });
      },
    },
    {
      method: 'GET',
      path: '/stores/:store/range',
      description: 'the entries with from <= key <= to (?from=&to=&limit=&keyFormat=)',
      handler: (request) => {
        const { name, store } = view(request);
        const format = keyFormat(request.url);
        const hint = "give both ends of the range, e.g. '?from=a&to=m'";
        const from = parseKey(required(request.url, 'from', hint), format, 'from key');
        const to = parseKey(required(request.url, 'to', hint), format, 'to key');
        return entries(name, store.range(from, to), parseLimit(request.url));
      },
    },
    {
      method: 'GET',
      path: '/stores/:store/all',
      description: 'every entry, sorted by key (?limit=, at most 10000)',
      handler: (request) => {
        const { name, store } = view(request);
        return entries(name, store.all(), parseLimit(request.url));
      },
    },
  ];
}

function entries(store: string, all: readonly (readonly [unknown, unknown])[], limit: number) {
  return json(200, { store, entries: all.slice(0, limit).map(([key, value]) => ({ key, value })), truncated: all.length > limit });
}
