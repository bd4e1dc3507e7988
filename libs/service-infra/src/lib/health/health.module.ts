import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { HealthController } from './health.controller';
import { ReadinessChecks } from './readiness-checks';

export interface HealthModuleOptions {
  /** Modules that export the BrokerRegistry (not needed when BrokerGrpcModule is global). */
  imports?: ModuleMetadata['imports'];
}

/**
 * GET /health/live, /health/ready (database ping through Terminus' TypeOrmHealthIndicator, required brokers and
 * the ReadinessChecks modules add) and /health/brokers/:brokerId.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [BrokerHealthIndicator, ReadinessChecks],
      exports: [BrokerHealthIndicator, ReadinessChecks],
    };
  }
}
