/**
 * What a gateway needs from a rate limiter (SlidingWindowLimiter of @qts/rate-limit fits): a permit per
 * call, keyed by the domain's BrokerOperation name, and a wait estimate for Retry-After.
 */
export interface RateLimitPermits {
  acquire(operation: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<boolean>;
  estimateWaitMs(operation: string): number;
}
