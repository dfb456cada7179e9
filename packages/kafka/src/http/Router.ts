import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './HttpError';

/** A request as a route handler sees it: path parameters decoded, the query in `url.searchParams`. */
export interface RouteRequest {
  readonly method: string;
  readonly url: URL;
  /** `:name` segments of the route's path, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
}

export interface RouteResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/stores/:store/keys/:key`: literal segments and `:name` parameters, one segment each. */
  readonly path: string;
  readonly handler: RouteHandler;
  /** One line for the route list of a 404 answer. */
  readonly description?: string;
}

/** What {@link Router.match} found. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'not-found' }
  /** The path exists, for other methods. */
  | { readonly kind: 'wrong-method'; readonly allow: readonly string[] };

interface Compiled {
  readonly route: Route;
  readonly segments: readonly { readonly literal?: string; readonly param?: string }[];
}

/**
 * Dispatches requests to route handlers by method and path. Each family of routes (health,
 * metrics, stores, a dashboard) comes as a list of {@link Route}s, so a family is added
 * without touching the others. A literal segment wins over a parameter where both match.
 */
export class Router {
  private readonly compiled: Compiled[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      if (!route.path.startsWith('/')) throw new Error(`route path '${route.path}' must start with '/'`);
      const segments = split(route.path).map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
      const clash = this.compiled.find((c) => c.route.method === route.method && sameShape(c.segments, segments));
      if (clash) throw new Error(`route ${route.method} ${route.path} clashes with ${clash.route.method} ${clash.route.path}`);
      this.compiled.push({ route, segments });
    }
    return this;
  }

  get routes(): readonly Route[] {
    return this.compiled.map((c) => c.route);
  }

  match(method: string, pathname: string): RouteMatch {
    let parts: string[];
    try {
      parts = split(pathname).map((p) => decodeURIComponent(p));
    } catch {
      throw new HttpError(400, 'BAD_PATH', `the path '${pathname}' is not valid URL encoding`);
    }
    let best: { compiled: Compiled; params: Record<string, string>; literals: number } | undefined;
    const allow = new Set<string>();
    for (const compiled of this.compiled) {
      const params = matchSegments(compiled.segments, parts);
      if (!params) continue;
      if (compiled.route.method !== method) {
        allow.add(compiled.route.method);
        continue;
      }
      const literals = compiled.segments.filter((s) => s.literal !== undefined).length;
      if (!best || literals > best.literals) best = { compiled, params, literals };
    }
    if (best) return { kind: 'found', route: best.compiled.route, params: best.params };
    return allow.size > 0 ? { kind: 'wrong-method', allow: [...allow].sort() } : { kind: 'not-found' };
  }
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): RouteResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(segments: Compiled['segments'], parts: readonly string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const { literal, param } = segments[i]!;
    if (literal !== undefined && literal !== parts[i]) return undefined;
    if (param !== undefined) params[param] = parts[i]!;
  }
  return params;
}

function sameShape(a: Compiled['segments'], b: Compiled['segments']): boolean {
  return a.length === b.length && a.every((s, i) => (s.literal ?? ':') === (b[i]!.literal ?? ':'));
}
