import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BROKER_LIMITERS } from './broker-transport.tokens';
import type { BrokerRateLimiters } from './broker-rate-limiters';

/**
 * Readiness of the rate limits: down while a shared ledger (the local file, Redis) cannot be reached,
 * because limiters then grant nothing (fail closed) and every broker call would wait and end in 429.
 * Include it in the readiness check of every app that calls brokers (it needs TerminusModule):
 *
 *   ready() { return this.health.check([() => this.rateLimits.check()]); }
 */
@Injectable()
export class RateLimitHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(BROKER_LIMITERS) private readonly limiters: BrokerRateLimiters,
  ) {}

  check(key = 'rate-limits'): HealthIndicatorResult {
    const session = this.indicators.check(key);
    const health = this.limiters.health();
    const brokers = Object.fromEntries(
      Object.entries(health.brokers).map(([brokerId, broker]) => [
        brokerId,
        { healthy: broker.healthy, detail: broker.detail },
      ]),
    );
    const data = { mode: health.mode, brokers };
    return health.healthy
      ? session.up(data)
      : session.down({ ...data, message: 'rate-limit ledger unreachable: failing closed' });
  }
}
