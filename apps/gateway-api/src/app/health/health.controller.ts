import { Controller, Get, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { RateLimitHealthIndicator } from '@qts/broker-grpc';
import type { ServerResponse } from 'node:http';
import { BrokerDirectory } from '../brokers/broker-directory';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator';
import { BrokerParams } from '../rest/dto/route-params';
import { PublicRoute } from '../security/route-access.decorators';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { DatabaseHealthIndicator } from './database-health.indicator';

/** Kubernetes probes and per-broker health, in Terminus' format. No API key. */
@ApiTags('health')
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly directory: BrokerDirectory,
    private readonly brokers: BrokerHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly rateLimits: RateLimitHealthIndicator,
  ) {}

  /** The process only: a broker or database outage must never make Kubernetes restart the gateway. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Database reachable, every `required: true` broker CONNECTED or DEGRADED, and the rate-limit ledger
   * reachable (while it is not, no broker call is granted); 503 otherwise.
   */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database, every required broker, the shared rate-limit ledger' })
  @ApiResponse({ status: 503, description: 'Not ready (Terminus body naming what is down)' })
  ready(@Res({ passthrough: true }) response: ServerResponse): Promise<HealthCheckResult> {
    const required = this.directory.list().filter((broker) => broker.required);
    return this.answer(response, [
      () => this.database.ping(),
      () => this.rateLimits.check(),
      ...required.map((broker) => () => this.brokers.check(broker.id)),
    ]);
  }

  @Get('brokers/:brokerId')
  @HealthCheck()
  @ApiOperation({ summary: "One broker's connection, with its rate-limit usage" })
  @ApiResponse({ status: 503, description: 'The broker is CONNECTING or DISCONNECTED' })
  @ApiErrorResponses(400, 404)
  broker(@Param() params: BrokerParams, @Res({ passthrough: true }) response: ServerResponse): Promise<HealthCheckResult> {
    this.directory.requireBroker(params.brokerId);
    return this.answer(response, [() => this.brokers.check(params.brokerId)]);
  }

  /** Terminus throws its 503 body; it is answered as is (not as an error body), as probes expect. */
  private async answer(
    response: ServerResponse,
    checks: Parameters<HealthCheckService['check']>[0],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.statusCode = 503;
      return error.getResponse() as HealthCheckResult;
    }
  }
}
