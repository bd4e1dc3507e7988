import type { RateLimiter } from '@qts/rate-limit';
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
  estimateWaitMs?(operation: RestOperation): number | Promise<number>;
}

/** What this library needs of a RateLimiter of @qts/rate-limit: its leases and its wait estimate. */
export type LeasingLimiter = Pick<RateLimiter, 'acquireLease' | 'estimateWaitMs'>;

/**
 * The permits of a broker's limiter (@qts/rate-limit, any backend): a permit is the limiter's lease, settled
 * with how the request ended, so the slot stays held from the grant until the answer plus one window, or
 * until the limiter's hold of unanswered requests ends for a request abandoned on its way. (A REST request
 * travels on a connection of its own: no later answer proves an abandoned one arrived.)
 */
export function permitsFromRateLimiter(limiter: LeasingLimiter): RestCallPermits {
  return {
    async acquire(operation, options) {
      const lease = await limiter.acquireLease(operation, {
        timeoutMs: options.timeoutMs,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      return lease === null ? undefined : { complete: (outcome) => lease.settle(outcome) };
    },
    estimateWaitMs: (operation) => limiter.estimateWaitMs(operation),
  };
}
