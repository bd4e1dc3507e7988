import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { BrokerTransportModule, RateLimitHealthIndicator, type BrokerTransportModuleOptions } from '@qts/broker-transport';
import { AccountDirectory, BrokerAccountsModule, MockBrokerAccountsSync } from '@qts/broker-accounts';
import { EXECUTION_PROTO_FILES, qtsExecutionV1 } from '@qts/grpc-contracts';
import { ConsoleUiModule } from '@qts/console-ui';
import {
  PLATFORM_CONFIG,
  PlatformConfigModule,
  rateLimitBackendSettings,
  type PlatformConfig,
  type WorkerSettings,
} from '@qts/platform-config';
import {
  ApiKeyAuthModule,
  createRequestValidationPipe,
  DatabaseModule,
  ErrorResponseFilter,
  GrpcServingModule,
  HealthModule,
  KeyedSerialQueue,
  LoggingModule,
  METRICS_REGISTRY,
  MetricsModule,
} from '@qts/service-infra';
import type { Registry } from 'prom-client';
import { WorkerAccountEntity } from './accounts/worker-account.entity';
import { WorkerAccountsController } from './accounts/worker-accounts.controller';
import { FailSafeAdminController } from './admin/fail-safe-admin.controller';
import { OrderSettlementAdminController } from './admin/order-settlement-admin.controller';
import { ExecutionConsoleController } from './console/execution-console.controller';
import { ExecutionConsoleService } from './console/execution-console.service';
import { ExecutionConsoleStreams } from './console/execution-console-streams';
import { WORKER_SETTINGS, workerSettingsProvider } from './config/worker-settings.provider';
import { BROKER_FACTORY, ExecutionEngineModule, type BrokerFactory } from './execution';
import { EXECUTION_SERVICE_NAME, ExecutionGrpcController } from './grpc/execution-grpc.controller';
import { WorkerMetrics } from './metrics/worker-metrics';
import { ExecutionStore } from './persistence/execution-store';
import { WorkerApiKeyEntity } from './persistence/entities/worker-api-key.entity';
import { PersistenceModule } from './persistence/persistence.module';
import { WORKER_DATABASE } from './persistence/worker-database';
import { InFlightRecovery } from './processing/in-flight-recovery';
import { IntentExecutionService } from './processing/intent-execution.service';
import { OpenOrderTracker } from './processing/open-order-tracker';
import { OrderReconciler } from './processing/order-reconciler';
import { ReconciliationGrace } from './processing/reconciliation-grace';
import { ReconciliationSweep } from './processing/reconciliation-sweep';
import { WorkerOwnership } from './processing/worker-ownership';
import { WorkerLeases } from './persistence/worker-leases';
import { SYSTEM_CLOCK, WORKER_CLOCK, type WorkerClock } from './processing/worker-clock';
import { WorkerLifecycle } from './worker-lifecycle';

export interface AppModuleOptions {
  /** A ready configuration (tests); absent: loaded and validated from BROKERS_CONFIG and the environment. */
  config?: PlatformConfig;
  /** Time as the worker sees it (tests substitute one that does not wait). */
  clock?: WorkerClock;
}

/**
 * The execution worker: gRPC ExecutionService, HTTP health, metrics and admin, persistence, and the broker engines
 * of ExecutionEngineModule over BrokerTransportModule's brokers (JTS gateways, REST order adapters). The global pipeline (validation pipe, exception filter,
 * API-key guard) serves the HTTP routes and the gRPC methods alike.
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
        LoggingModule,
        DatabaseModule.forRoot(WORKER_DATABASE),
        BrokerAccountsModule.forRoot({ entity: WorkerAccountEntity }),
        MetricsModule.forRoot({ defaultMetricsPrefix: 'execution_worker_' }),
        // Its own key store, on the gateway's semantics: `submit` for intents, keys bound to strategies.
        ApiKeyAuthModule.forRoot({
          store: { scopes: ['read', 'submit', 'admin'], strategyBinding: 'required', adminPath: 'admin/api-keys', entity: WorkerApiKeyEntity },
        }),
        BrokerTransportModule.forRootAsync({
          isGlobal: true,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig): BrokerTransportModuleOptions => ({
            brokers: config.brokers,
            deadlineMs: config.brokerDeadlineMs,
            healthIntervalMs: config.brokerHealthIntervalMs,
            rateLimit: rateLimitBackendSettings(config, 'worker'),
          }),
        }),
        GrpcServingModule.forService({
          services: { [EXECUTION_SERVICE_NAME]: qtsExecutionV1.ExecutionServiceService },
          protoFiles: EXECUTION_PROTO_FILES,
          servingHealthNames: [EXECUTION_SERVICE_NAME],
          port: (config) => config.worker.grpcPort,
          shutdownGraceMs: (config) => config.worker.shutdownGraceMs,
        }),
        HealthModule.forRoot({ readiness: [RateLimitHealthIndicator] }),
        ExecutionEngineModule.forRoot(),
        PersistenceModule,
        ConsoleUiModule.forPage('execution'),
      ],
      controllers: [
        ExecutionGrpcController,
        FailSafeAdminController,
        OrderSettlementAdminController,
        WorkerAccountsController,
        ExecutionConsoleController,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createRequestValidationPipe },
        { provide: APP_FILTER, useClass: ErrorResponseFilter },
        workerSettingsProvider,
        { provide: WORKER_CLOCK, useValue: options.clock ?? SYSTEM_CLOCK },
        {
          provide: KeyedSerialQueue,
          inject: [WORKER_SETTINGS],
          useFactory: (settings: WorkerSettings) => new KeyedSerialQueue(settings.maxConcurrency),
        },
        {
          provide: WorkerMetrics,
          inject: [METRICS_REGISTRY, ExecutionStore, BROKER_FACTORY, AccountDirectory, WORKER_CLOCK],
          useFactory: (registry: Registry, store: ExecutionStore, brokers: BrokerFactory, accounts: AccountDirectory, clock: WorkerClock) => {
            const metrics = new WorkerMetrics(registry);
            metrics.useSources({
              ordersByStatus: () => store.countOrdersByStatus(),
              ordersByOperatorFlag: () => store.countOrdersByOperatorFlag(),
              failSafeStatus: () =>
                brokers.failSafeStatus().map((guard) => ({ ...guard, account: accounts.metricLabel(guard.brokerId, guard.accountId) })),
              oldestUnknownOrders: () => store.oldestUnknownOrders(),
              now: () => clock.now(),
            });
            return metrics;
          },
        },
        ReconciliationGrace,
        OrderReconciler,
        IntentExecutionService,
        InFlightRecovery,
        ReconciliationSweep,
        OpenOrderTracker,
        WorkerLeases,
        WorkerOwnership,
        WorkerLifecycle,
        MockBrokerAccountsSync,
        ExecutionConsoleService,
        ExecutionConsoleStreams,
      ],
    };
  }
}
