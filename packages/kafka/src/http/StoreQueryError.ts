import { StreamsError } from '@tributary/core';

/**
 * A store query over HTTP that failed: the instance's status and error code (`UNKNOWN_STORE`,
 * `NOT_AVAILABLE`, `OWNER_UNREACHABLE`, `BAD_KEY`, ...) and its message. A 503 is retriable:
 * the group is rebalancing, or a store is restoring.
 */
export class StoreQueryError extends StreamsError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The rest of the error body, e.g. `stores` (the known store names) for `UNKNOWN_STORE`. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, { retriable: status === 503 });
  }
}
