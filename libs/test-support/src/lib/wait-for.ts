export interface WaitForOptions {
  /** Give up after this long; default 5_000 ms. */
  timeoutMs?: number;
  /** Time between attempts; default 50 ms. */
  intervalMs?: number;
  /** Named in the timeout error, e.g. 'broker kis CONNECTED'. */
  description?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (resolved with it) or the timeout passes (rejects
 * naming what was awaited and the last value or error). A predicate that throws counts as "not yet".
 * Bounded in time; for integration tests that wait on real processes and sockets.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 5_000, intervalMs = 50, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) {
        return value as NonNullable<T>;
      }
      last = value;
    } catch (error) {
      last = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const detail = last instanceof Error ? `last error: ${last.message}` : `last value: ${String(last)}`;
      throw new Error(`waitFor: ${description} not met within ${timeoutMs} ms (${detail})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
  }
}
