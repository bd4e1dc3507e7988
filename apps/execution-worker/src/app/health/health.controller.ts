import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthCheckService) {}

  /** Liveness checks the process only: a broker outage must never make Kubernetes restart the worker. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }
}
