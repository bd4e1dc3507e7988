import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerGrpcModule, RateLimitHealthIndicator, type BrokerGrpcModuleOptions } from '@qts/broker-grpc';
import { PLATFORM_CONFIG, PlatformConfigModule, rateLimitBackendSettings, type PlatformConfig } from '@qts/platform-config';
import { FailSafeAdminController } from './admin/fail-safe-admin.controller';
import { WORKER_SETTINGS, type WorkerSettings } from './config/worker-settings';
import { WorkerSettingsModule, type WorkerSettingsModuleOptions } from './config/worker-settings.module';
import { BROKER_FACTORY, ExecutionEngineModule, type BrokerFactory } from './execution';
import { AdminApiKey } from './grpc/admin-api-key';
import { ExecutionGrpcService } from './grpc/execution-grpc.service';
import { WorkerGrpcServer } from './grpc/worker-grpc-server';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { RequiredBrokersHealthIndicator } from './health/required-brokers.health';
import { MetricsController } from './metrics/metrics.controller';
import { WorkerMetrics } from './metrics/worker-metrics';
import { ExecutionStore } from './persistence/execution-store';
import { PersistenceModule } from './persistence/persistence.module';
import { InFlightRecovery } from './processing/in-flight-recovery';
import { IntentExecutionService } from './processing/intent-execution.service';
import { KeyedSerialQueue } from './processing/keyed-serial-queue';
import { OpenOrderTracker } from './processing/open-order-tracker';
import { OrderReconciler } from './processing/order-reconciler';
import { ReconciliationSweep } from './processing/reconciliation-sweep';

export interface AppModuleOptions extends WorkerSettingsModuleOptions {
  /** A ready configuration (tests); absent: loaded and validated from BROKERS_CONFIG and the environment. */
  config?: PlatformConfig;
}

/**
 * The execution worker: gRPC ExecutionService (started by WorkerGrpcServer), HTTP health, metrics and admin,
 * persistence, and the broker engines of ExecutionEngineModule over BrokerGrpcModule's registry.
 *
 * Rate limits: RATE_LIMIT_MODE says how the worker shares each broker's budget with the gateway and other replicas
 * (one shared ledger, or `WORKER_RATE_LIMIT_SHARE` of it in the static split); see docs/operations.md.
 */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformConfigModule.forRoot(options.config === undefined ? {} : { config: options.config }),
        WorkerSettingsModule.forRoot(options),
        BrokerGrpcModule.forRootAsync({
          isGlobal: true,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig): BrokerGrpcModuleOptions => ({
            brokers: config.brokers,
            deadlineMs: config.brokerDeadlineMs,
            healthIntervalMs: config.brokerHealthIntervalMs,
            rateLimit: rateLimitBackendSettings(config, 'worker'),
          }),
        }),
        ExecutionEngineModule.forRoot(),
        PersistenceModule,
        TerminusModule,
      ],
      controllers: [HealthController, MetricsController, FailSafeAdminController],
      providers: [
        { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
        {
          provide: KeyedSerialQueue,
          inject: [WORKER_SETTINGS],
          useFactory: (settings: WorkerSettings) => new KeyedSerialQueue(settings.maxConcurrency),
        },
        {
          provide: WorkerMetrics,
          inject: [ExecutionStore, BROKER_FACTORY],
          useFactory: (store: ExecutionStore, brokers: BrokerFactory) => {
            const metrics = new WorkerMetrics();
            metrics.useSources({
              ordersByStatus: () => store.countOrdersByStatus(),
              failSafeStatus: () => brokers.failSafeStatus(),
            });
            return metrics;
          },
        },
        AdminApiKey,
        OrderReconciler,
        IntentExecutionService,
        InFlightRecovery,
        ReconciliationSweep,
        OpenOrderTracker,
        ExecutionGrpcService,
        WorkerGrpcServer,
        DatabaseHealthIndicator,
        RequiredBrokersHealthIndicator,
        RateLimitHealthIndicator,
      ],
    };
  }
}
