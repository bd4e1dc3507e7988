import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { HealthController } from './health.controller';
import { ReadinessChecks } from './readiness-checks';

/** A readiness check a service adds beside the database and the brokers, e.g. broker-transport's RateLimitHealthIndicator. */
export interface ReadinessIndicator {
  check(): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}

export interface HealthModuleOptions {
  /** Modules that export the BrokerRegistry and what the readiness indicators need. */
  imports?: ModuleMetadata['imports'];
  /** Indicators /health/ready runs too, in this order (after the database ping). */
  readiness?: Array<Type<ReadinessIndicator>>;
}

const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

/**
 * GET /health/live, /health/ready (database ping through Terminus' TypeOrmHealthIndicator, the service's readiness
 * indicators and any check a module adds to ReadinessChecks, required brokers) and /health/brokers/:brokerId.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        BrokerHealthIndicator,
        ReadinessChecks,
        ...(options.readiness ?? []),
        {
          provide: READINESS_INDICATORS,
          inject: [ReadinessChecks, ...(options.readiness ?? [])],
          useFactory: (checks: ReadinessChecks, ...indicators: ReadinessIndicator[]) => {
            for (const indicator of indicators) checks.add(() => indicator.check());
            return indicators;
          },
        },
      ],
      exports: [BrokerHealthIndicator, ReadinessChecks],
    };
  }
}
