import type { RestOperation } from '../http/rest-call';

/**
 * How a request that held a permit ended:
 * - `answered`: an HTTP answer came back (a success or an error the broker sent);
 * - `abandoned`: it ended without an answer after it may have left (deadline, connection lost, cancelled):
 *   it may still reach the broker later, e.g. when a stalled broker resumes;
 * - `unsent`: it certainly never left this process (connection refused, DNS, TLS, nothing written).
 */
export type RestCallOutcome = 'answered' | 'abandoned' | 'unsent';

/**
 * The right to send one request. Held from before the request leaves until the broker's answer (or the
 * failure) arrives: a limiter that counts a request until it is complete can never let a burst through when
 * a stalled broker answers late.
 */
export interface RestCallPermit {
  /**
   * The answer or the failure arrived. Called exactly once, with how the request ended, so a limiter can free
   * the slot of an unsent request at once and keep that of an abandoned one until the broker must have seen it.
   */
  complete(outcome: RestCallOutcome): void;
}

export interface RestCallPermitOptions {
  /** How long to wait for a permit; 0 = only if one is free now. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The rate limiter as this library needs it: a lease per request, keyed by the operation the request serves
 * (`getQuote`, `placeOrder` ..., and `issueToken` for token issuance, which KIS limits by its own rule).
 * Resolves undefined when no permit came within the timeout or the signal aborted: nothing may be sent then.
 */
export interface RestCallPermits {
  acquire(operation: RestOperation, options: RestCallPermitOptions): Promise<RestCallPermit | undefined>;
  /** Milliseconds until a permit for `operation` would probably be free (for Retry-After); optional. */
  estimateWaitMs?(operation: RestOperation): number;
}

/** A limiter whose acquire resolves a plain yes/no, such as SlidingWindowLimiter of @qts/rate-limit. */
export interface GrantingLimiter {
  acquire(operation: string, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<boolean>;
  estimateWaitMs?(operation: string): number;
}

const NOTHING_TO_RELEASE: RestCallPermit = Object.freeze({ complete: () => undefined });

/**
 * Leases over a limiter that counts a request from the moment it is granted (its permits need no release).
 */
export function permitsFromGrantingLimiter(limiter: GrantingLimiter): RestCallPermits {
  return {
    async acquire(operation, options) {
      const granted = await limiter.acquire(operation, { timeoutMs: options.timeoutMs, signal: options.signal });
      return granted ? NOTHING_TO_RELEASE : undefined;
    },
    ...(limiter.estimateWaitMs === undefined
      ? {}
      : { estimateWaitMs: (operation: RestOperation) => (limiter.estimateWaitMs as (op: string) => number)(operation) }),
  };
}
