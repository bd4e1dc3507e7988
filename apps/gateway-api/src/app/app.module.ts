import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { RateLimitHealthIndicator } from '@qts/broker-transport';
import { PlatformConfigModule } from '@qts/platform-config';
import {
  createRequestValidationPipe,
  DatabaseModule,
  ErrorResponseFilter,
  HealthModule,
  LoggingModule,
  MetricsModule,
} from '@qts/service-infra';
import { BrokerAccessModule } from './brokers/broker-access.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { GATEWAY_DATABASE } from './database/data-source';
import { GrpcApiModule } from './grpc/grpc-api.module';
import { HttpMetricsModule } from './metrics/http-metrics.module';
import { RestModule } from './rest/rest.module';
import { SecurityModule } from './security/security.module';

/**
 * The gateway. The global pipeline is registered as providers (APP_PIPE, APP_FILTER, and the API-key APP_GUARD
 * of the security module), for REST routes and gRPC methods alike, so every test that builds this module gets
 * exactly the production pipeline.
 */
@Module({
  imports: [
    PlatformConfigModule.forRoot(),
    LoggingModule,
    DatabaseModule.forRoot(GATEWAY_DATABASE),
    MetricsModule.forRoot(),
    HttpMetricsModule,
    SecurityModule,
    BrokerAccessModule,
    RestModule,
    HealthModule.forRoot({ imports: [BrokerAccessModule], readiness: [RateLimitHealthIndicator] }),
    DashboardModule,
    GrpcApiModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createRequestValidationPipe },
    { provide: APP_FILTER, useClass: ErrorResponseFilter },
  ],
})
export class AppModule {}
