import type { RateLimitLease } from './rate-limit-lease';
import type { EffectiveRateLimitRule } from './rate-limit-ledger';
import type { AcquireOptions } from './rate-limit-options';
import type { RateLimiterHealth, RateLimitUsageSnapshot } from './rate-limit-usage';

/**
 * What callers of a broker's limiter use, whatever keeps the grants (this process, a shared file,
 * Redis). Broker calls take a lease and settle it when the answer (or failure) arrives.
 */
export interface RateLimiter {
  readonly name?: string;
  /** The rules as enforced. */
  readonly rules: readonly EffectiveRateLimitRule[];
  /** Acquires of this process waiting for a grant. */
  readonly waiting: number;
  /** Leases of this process that ended without an answer and still hold their slots. */
  readonly unanswered: number;
  /**
   * A lease for one request of `operation`, or null when none could be granted within the timeout
   * (0 = only if there is room now), when the signal aborted, or when the limiter closed.
   */
  acquireLease(operation: string, options?: AcquireOptions): Promise<RateLimitLease | null>;
  /** A grant counted from now for one window (a lease answered at once), for work with no answer to wait for. */
  acquire(operation: string, options?: AcquireOptions): Promise<boolean>;
  /** Milliseconds until an acquire of `operation` made now would likely be granted (for Retry-After). */
  estimateWaitMs(operation: string): number | Promise<number>;
  /** Usage per rule (shared backends: as last read from the ledger). */
  usage(): RateLimitUsageSnapshot;
  health(): RateLimiterHealth;
  /** The limiter's clock, for {@link confirmProgress}. */
  now(): number;
  /**
   * The broker answered a request sent at `sentAt` (limiter time) that took no lease, e.g. a health
   * check on the same connection: every abandoned lease sent before it has reached the broker.
   */
  confirmProgress(sentAt: number): void;
  /** Refuses new acquires, resolves waiting ones, gives back what it holds where that is safe. */
  close(): Promise<void> | void;
}
