import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RateLimitHealthIndicator } from '@qts/broker-grpc';
import { DatabaseHealthIndicator } from './database.health';
import { RequiredBrokersHealthIndicator } from './required-brokers.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly brokers: RequiredBrokersHealthIndicator,
    private readonly rateLimits: RateLimitHealthIndicator,
  ) {}

  /** Liveness checks the process only: a broker outage must never make Kubernetes restart the worker. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the intents database, the brokers configured as required, and the shared rate-limit ledger. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.check(), () => this.brokers.check(), () => this.rateLimits.check()]);
  }
}
