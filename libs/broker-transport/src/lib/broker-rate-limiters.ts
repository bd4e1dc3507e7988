import type { RateLimitBackend, RateLimiter, RateLimiterHealth, RateLimitMode } from '@qts/rate-limit';

/** Health of every broker's limiter, for readiness. */
export interface BrokerRateLimitHealth {
  mode: RateLimitMode;
  /** False while a shared ledger cannot be reached by some broker's limiter (it grants nothing then). */
  healthy: boolean;
  brokers: Record<string, RateLimiterHealth>;
}

/**
 * The limiters of this process, one per broker (JTS and REST), all of one backend (memory, local, redis or
 * split), with the backend that owns what they share. A read-only map by broker id.
 */
export class BrokerRateLimiters implements ReadonlyMap<string, RateLimiter> {
  constructor(
    private readonly limiters: ReadonlyMap<string, RateLimiter>,
    readonly backend: RateLimitBackend,
  ) {}

  get mode(): RateLimitMode {
    return this.backend.mode;
  }

  get size(): number {
    return this.limiters.size;
  }

  get(brokerId: string): RateLimiter | undefined {
    return this.limiters.get(brokerId);
  }

  has(brokerId: string): boolean {
    return this.limiters.has(brokerId);
  }

  keys(): MapIterator<string> {
    return this.limiters.keys();
  }

  values(): MapIterator<RateLimiter> {
    return this.limiters.values();
  }

  entries(): MapIterator<[string, RateLimiter]> {
    return this.limiters.entries();
  }

  forEach(
    callback: (limiter: RateLimiter, brokerId: string, map: ReadonlyMap<string, RateLimiter>) => void,
  ): void {
    this.limiters.forEach((limiter, brokerId) => callback(limiter, brokerId, this));
  }

  [Symbol.iterator](): MapIterator<[string, RateLimiter]> {
    return this.limiters.entries();
  }

  health(): BrokerRateLimitHealth {
    const brokers = Object.fromEntries(
      [...this.limiters].map(([brokerId, limiter]) => [brokerId, limiter.health()]),
    );
    return { mode: this.mode, healthy: Object.values(brokers).every((health) => health.healthy), brokers };
  }

  /** Closes every limiter and the shared ledger. */
  close(): Promise<void> {
    return this.backend.close();
  }
}
