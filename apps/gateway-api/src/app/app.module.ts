import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { PlatformConfigModule } from '@qts/platform-config';
import { BrokerAccessModule } from './brokers/broker-access.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { GatewayExceptionFilter } from './errors/gateway-exception.filter';
import { GrpcApiModule } from './grpc/grpc-api.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RestModule } from './rest/rest.module';
import { SecurityModule } from './security/security.module';
import { createGatewayValidationPipe } from './validation/gateway-validation-pipe';

/**
 * The gateway. The global pipeline is registered as providers (APP_PIPE, APP_FILTER, and APP_GUARD in the
 * security module) so every test that builds this module gets exactly the production pipeline.
 */
@Module({
  imports: [
    PlatformConfigModule.forRoot(),
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    SecurityModule,
    BrokerAccessModule,
    RestModule,
    HealthModule,
    DashboardModule,
    GrpcApiModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createGatewayValidationPipe },
    { provide: APP_FILTER, useClass: GatewayExceptionFilter },
  ],
})
export class AppModule {}
