import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * Readiness checks beyond the database and the required brokers, added by the modules that own them (a degraded
 * rate limiter, a migration still running ...). GET /health/ready runs every one of them.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: HealthIndicatorFunction[] = [];

  add(check: HealthIndicatorFunction): void {
    this.checks.push(check);
  }

  list(): readonly HealthIndicatorFunction[] {
    return this.checks;
  }
}
