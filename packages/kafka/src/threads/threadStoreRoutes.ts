import { FORWARD_TIMEOUT_MS, SERVED_BY_HEADER } from '../http/forwardToOwner';
import { HttpError } from '../http/HttpError';
import type { Route, RouteRequest, RouteResponse } from '../http/Router';
import { storeRoutes, type StoreQuerySource } from '../http/storeRoutes';

/**
 * The interactive-query routes of a `StreamThreads` process. Its stream threads each serve
 * store queries on an HTTP server of their own and advertise it in the group assignment, as
 * separate instances do, so the existing routing (a key's owner answers, a range gathers every
 * owner's part) works across threads unchanged. The process's own server passes each store
 * request on, as it came, to one of its threads (`thread()` picks a live one), which answers
 * or forwards it to the owner.
 */
export function threadStoreRoutes(thread: () => string | undefined): Route[] {
  // Only the paths and descriptions of the store routes are used: every handler is replaced.
  return storeRoutes(UNUSED_SOURCE).map((route) => ({ ...route, handler: (request) => passOn(request, thread()) }));
}

async function passOn(request: RouteRequest, thread: string | undefined): Promise<RouteResponse> {
  if (!thread) throw new HttpError(503, 'NOT_AVAILABLE', 'no stream thread of this instance is running; retry shortly', {}, { 'retry-after': '1' });
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-tributary-') && typeof value === 'string') headers[name] = value;
  }
  let response: Response;
  try {
    response = await fetch(`${thread}${request.url.pathname}${request.url.search}`, { headers, signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new HttpError(503, 'NOT_AVAILABLE', `the stream thread at ${thread} did not answer (${cause}); retry shortly`, {}, { 'retry-after': '1' });
  }
  const kept: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/json' };
  for (const name of [SERVED_BY_HEADER, 'retry-after']) {
    const value = response.headers.get(name);
    if (value) kept[name] = value;
  }
  return {
    status: response.status,
    headers: kept,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

const UNUSED_SOURCE = new Proxy({} as StoreQuerySource, {
  get: () => {
    throw new Error('threadStoreRoutes does not query stores itself');
  },
});
