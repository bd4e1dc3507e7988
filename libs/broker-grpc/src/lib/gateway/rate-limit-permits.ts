import type { RateLimiter } from '@qts/rate-limit';

/**
 * What a gateway needs from its broker's limiter (every RateLimiter of @qts/rate-limit fits): a lease
 * per call, keyed by the domain's BrokerOperation name and settled when the call ends; a wait estimate
 * for Retry-After; and the clock and proof hook for calls that ended without an answer.
 */
export type RateLimitPermits = Pick<RateLimiter, 'acquireLease' | 'estimateWaitMs' | 'now' | 'confirmProgress' | 'unanswered'>;
