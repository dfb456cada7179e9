import { StreamsError } from '@tributary/core';
import { MultipleErrors } from '@platformatic/kafka';

/** The broker's error name (`REBALANCE_IN_PROGRESS`, `PRODUCER_FENCED`) anywhere in a client error, if any. */
export function brokerErrorName(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): string | undefined => {
    if (!(e instanceof Error) || depth > 10 || seen.has(e)) return undefined;
    seen.add(e);
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string' && apiId !== 'NONE') return apiId;
    if (MultipleErrors.isMultipleErrors(e)) {
      for (const inner of e.errors as unknown[]) {
        const found = visit(inner, depth + 1);
        if (found) return found;
      }
    }
    return visit(e.cause, depth + 1);
  };
  return visit(error, 0);
}

/**
 * A client error as the runtime reads errors: `type` is the broker's error name (what
 * `taskMigration.ts` looks for, as on KafkaJS errors), `retriable` whether trying again may
 * help, and the message says what failed and why, with the client's error as `cause`.
 */
export function asKafkaError(what: string, error: unknown): StreamsError {
  if (error instanceof StreamsError) return error;
  const type = brokerErrorName(error);
  const canRetry = (error as { canRetry?: unknown }).canRetry;
  const reason = type ?? (error as Error)?.message ?? String(error);
  const failure = new StreamsError(`${what} failed: ${reason}${type && (error as Error).message ? ` (${(error as Error).message})` : ''}`, {
    cause: error,
    retriable: canRetry !== false,
  });
  if (type) Object.defineProperty(failure, 'type', { value: type, enumerable: true });
  return failure;
}
