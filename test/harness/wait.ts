// Polling helpers: integration tests wait for a condition, never for a fixed time.

export interface WaitForOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Time between two checks (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout error ("3 members in group g"); a function is called at timeout. */
  description?: string | (() => string);
}

export class WaitForTimeoutError extends Error {
  override name = 'WaitForTimeoutError';
}

/**
 * Resolves with the first truthy value `predicate` returns (sync or async), checking every
 * `intervalMs`. Errors thrown by the predicate count as "not yet" (the broker may still be
 * electing a leader) and the last one is reported if the wait times out.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 50, description = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = typeof description === 'function' ? description() : description;
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new WaitForTimeoutError(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
