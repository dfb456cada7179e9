/**
 * A failed request, answered with `status` and a JSON body `{ error: code, message, ...details }`.
 * Route handlers throw it; the server turns anything else into a 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** A stable, machine-readable name: `UNKNOWN_STORE`, `NOT_AVAILABLE`, ... */
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    /** Response headers, e.g. `allow` for a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
