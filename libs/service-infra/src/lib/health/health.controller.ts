import { Controller, Get, Optional, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { ServerResponse } from 'node:http';
import { PublicRoute } from '../api-keys/route-access.decorators';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { BrokerParams } from '../validation/broker-params';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { ServiceShutdown } from '../shutdown/service-shutdown';
import { ReadinessChecks } from './readiness-checks';

/** How long the database may take to answer the readiness ping. */
export const DATABASE_PING_TIMEOUT_MS = 2_000;

/** Kubernetes probes and per-broker health, in Terminus' format. No API key. */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly brokers: BrokerHealthIndicator,
    private readonly readiness: ReadinessChecks,
    private readonly indicators: HealthIndicatorService,
    @Optional() private readonly shutdown?: ServiceShutdown,
  ) {}

  /** The process only: a broker or database outage must never make Kubernetes restart the service. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): HealthCheckResult {
    // Not through HealthCheckService: Terminus answers every check 503 once shutdown hooks begin, and a draining
    // process is alive (a failed liveness probe would restart it mid-drain).
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /**
   * Database reachable, the checks the service's modules added (the rate-limit ledger: while it is unreachable no
   * broker call is granted) up, every `required: true` broker CONNECTED or DEGRADED; 503 otherwise, and from the
   * first moment of a shutdown (`shutdown: down`), so that load balancers stop sending before the servers close.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database, the shared rate-limit ledger, every required broker' })
  @ApiResponse({ status: 503, description: 'Not ready (Terminus body naming what is down)' })
  ready(@Res({ passthrough: true }) response: ServerResponse): Promise<HealthCheckResult> {
    const stopping = this.shutdown?.isStopping === true;
    return this.answer(response, [
      ...(stopping ? [() => this.indicators.check('shutdown').down({ message: 'the service is shutting down' })] : []),
      () => this.database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
      ...this.readiness.list(),
      ...this.brokers.requiredBrokerIds().map((brokerId) => () => this.brokers.check(brokerId)),
    ]);
  }

  @Get('brokers/:brokerId')
  @HealthCheck()
  @ApiOperation({ summary: "One broker's connection, with its rate-limit usage" })
  @ApiResponse({ status: 503, description: 'The broker is CONNECTING or DISCONNECTED' })
  @ApiErrorResponses(400, 404)
  broker(@Param() params: BrokerParams, @Res({ passthrough: true }) response: ServerResponse): Promise<HealthCheckResult> {
    // Unknown broker: a 404 from the indicator, before Terminus would turn it into a 503.
    this.brokers.check(params.brokerId);
    return this.answer(response, [() => this.brokers.check(params.brokerId)]);
  }

  /** Terminus throws its 503 body; it is answered as is (not as an error body), as probes expect. */
  private async answer(response: ServerResponse, checks: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.statusCode = 503;
      return error.getResponse() as HealthCheckResult;
    }
  }
}
