import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health';
import { RequiredBrokersHealthIndicator } from './required-brokers.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly brokers: RequiredBrokersHealthIndicator,
  ) {}

  /** Liveness checks the process only: a broker outage must never make Kubernetes restart the worker. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the intents database and the brokers configured as required. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database.check(), () => this.brokers.check()]);
  }
}
