import { HttpError } from './HttpError';
import type { RouteRequest, RouteResponse } from './Router';

/**
 * Marks a request one instance forwarded to another (its value: the forwarder's endpoint).
 * The receiver answers it from its own tasks and never forwards it again, so a request
 * makes at most one hop, even while two instances disagree about an owner.
 */
export const FORWARDED_HEADER = 'x-tributary-forwarded-by';
/** Names the instance that answered a store query (`host:port`). */
export const SERVED_BY_HEADER = 'x-tributary-served-by';
/** How long a forwarded request may take. */
export const FORWARD_TIMEOUT_MS = 10_000;

/** The endpoint that forwarded `request`, or `undefined` when a client sent it. */
export function forwardedBy(request: RouteRequest): string | undefined {
  const value = request.headers[FORWARDED_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends `request` on to the instance at `endpoint` and answers what it answered (status,
 * body and content type). An owner that cannot be reached is a 503: it probably stopped,
 * and the group will move its tasks.
 */
export async function forwardToOwner(request: RouteRequest, endpoint: string, self: string, what: string): Promise<RouteResponse> {
  const target = `http://${endpoint}${request.url.pathname}${request.url.search}`;
  let response: Response;
  try {
    response = await fetch(target, { headers: { [FORWARDED_HEADER]: self, accept: 'application/json' }, signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new HttpError(503, 'OWNER_UNREACHABLE', `${what} is served by the instance at ${endpoint}, which did not answer (${cause}); retry after the group has rebalanced`, { owner: endpoint });
  }
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: { 'content-type': response.headers.get('content-type') ?? 'application/json', [SERVED_BY_HEADER]: response.headers.get(SERVED_BY_HEADER) ?? endpoint },
    body,
  };
}
