import { Module } from '@nestjs/common';
import { BrokerTransportModule } from '@qts/broker-transport';
import { PLATFORM_CONFIG, rateLimitBackendSettings, type PlatformConfig } from '@qts/platform-config';
import { BROKER_OFFLINE_MODE } from '@qts/service-infra';
import { MetricsCoreModule } from '../metrics/metrics-core.module';
import { BrokerCallRunner } from './broker-call-runner';
import { BrokerCatalogService } from './broker-catalog.service';
import { BrokerDirectory } from './broker-directory';
import { BrokerStatusWatcher } from './broker-status-watcher';
import { OfflineModeTracker } from './offline-mode-tracker';

/** Every broker of the platform configuration through its transport: one gateway per broker (JTS, REST or mock). */
const brokerTransport = BrokerTransportModule.forRootAsync({
  inject: [PLATFORM_CONFIG],
  useFactory: (config: PlatformConfig) => ({
    brokers: config.brokers,
    healthIntervalMs: config.brokerHealthIntervalMs,
    deadlineMs: config.brokerDeadlineMs,
    // The worker and other replicas use the same broker accounts: RATE_LIMIT_MODE says how they share the budget.
    rateLimit: rateLimitBackendSettings(config, 'gateway'),
  }),
});

/** Everything the gateway's APIs need to reach brokers: registry, directory, calls, views, status events. */
@Module({
  imports: [brokerTransport, MetricsCoreModule],
  providers: [
    BrokerDirectory,
    OfflineModeTracker,
    { provide: BROKER_OFFLINE_MODE, useExisting: OfflineModeTracker },
    BrokerCallRunner,
    BrokerCatalogService,
    BrokerStatusWatcher,
  ],
  exports: [
    brokerTransport,
    BrokerDirectory,
    OfflineModeTracker,
    BROKER_OFFLINE_MODE,
    BrokerCallRunner,
    BrokerCatalogService,
    BrokerStatusWatcher,
  ],
})
export class BrokerAccessModule {}
