import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamsError, type Logger } from '@tributary/core';
import { HttpError } from './HttpError';
import { json, type RouteResponse, type Router } from './Router';

/** Where the server listens once started. */
export interface HttpAddress {
  /** The address bound, e.g. `127.0.0.1`, `0.0.0.0` or `::`. */
  readonly host: string;
  /** The port bound: the one asked for, or the one the system chose for port `0`. */
  readonly port: number;
  /** A URL to reach it from this machine (a wildcard address is reached on the loopback address). */
  readonly url: string;
}

/**
 * The HTTP server of an application (`http` option), on Node's `node:http`: it hands every
 * request to the {@link Router} and writes what the handler answers. A handler's
 * {@link HttpError} becomes its status and JSON body; any other exception a 500 naming it.
 */
export class StreamsHttpServer {
  private server: Server | undefined;
  private bound: HttpAddress | undefined;

  constructor(
    private readonly router: Router,
    private readonly logger: Logger,
  ) {}

  /** Listens on `host:port`; rejects naming the address when it cannot (in use, not local). */
  async listen(port: number, host: string): Promise<HttpAddress> {
    if (this.server) throw new StreamsError('the HTTP server is already listening');
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new StreamsError(`the HTTP server cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`, { cause: error })),
      );
      server.listen(port, host, () => resolve());
    });
    server.on('error', (error) => this.logger.error(`HTTP server: ${error.message}`));
    const address = server.address() as AddressInfo;
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    const reachable = wildcard ? '127.0.0.1' : address.address;
    this.server = server;
    this.bound = { host: address.address, port: address.port, url: `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}` };
    return this.bound;
  }

  /** `undefined` before `listen()` and after `close()`. */
  get address(): HttpAddress | undefined {
    return this.bound;
  }

  /** Lets the process exit while the server still listens (it reports a failed application until `close()`). */
  unref(): void {
    this.server?.unref();
  }

  /** Stops listening and ends open connections (kept-alive ones too). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.bound = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: RouteResponse;
    try {
      answer = await this.dispatch(request);
    } catch (error) {
      if (error instanceof HttpError) {
        answer = json(error.status, { error: error.code, message: error.message, ...error.details }, error.headers);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(`HTTP ${request.method} ${request.url} failed: ${message}`);
        answer = json(500, { error: 'INTERNAL_ERROR', message });
      }
    }
    // A request body is never read: drop it rather than leave it in the socket.
    request.resume();
    response.writeHead(answer.status, { 'cache-control': 'no-store', ...answer.headers });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }

  private async dispatch(request: IncomingMessage): Promise<RouteResponse> {
    const target = request.url ?? '/';
    // The raw path, not the URL parser's: a key such as `a%2Fb` stays one segment.
    const pathname = target.split('?')[0]!;
    const url = new URL(target, 'http://localhost');
    const method = request.method === 'HEAD' ? 'GET' : request.method ?? 'GET';
    const found = this.router.match(method, pathname);
    if (found.kind === 'wrong-method') {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}; allowed: ${found.allow.join(', ')}`, { allow: found.allow }, { allow: found.allow.join(', ') });
    }
    if (found.kind === 'not-found') {
      throw new HttpError(404, 'NOT_FOUND', `no route for ${method} ${pathname}`, {
        routes: this.router.routes.map((r) => `${r.method} ${r.path}${r.description ? ` - ${r.description}` : ''}`),
      });
    }
    return found.route.handler({ method, url, params: found.params, headers: request.headers });
  }
}
