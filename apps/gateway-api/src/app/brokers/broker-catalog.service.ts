import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BrokerRegistry, brokerTransportOf, ConnectionStatus, type BrokerConfig, type BrokerInfo } from '@qts/broker-domain';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { BrokerDirectory } from './broker-directory';
import type { BrokerView } from './broker-view';
import { OfflineModeTracker } from './offline-mode-tracker';

/** Broker views: the configuration joined with live status, rate-limit usage and offline mode. */
@Injectable()
export class BrokerCatalogService implements OnModuleInit {
  constructor(
    private readonly directory: BrokerDirectory,
    private readonly registry: BrokerRegistry,
    private readonly offline: OfflineModeTracker,
    private readonly metrics: GatewayMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.observeBrokers(() => this.list());
  }

  list(): BrokerView[] {
    return this.directory.list().map((config) => this.view(config));
  }

  /** BrokerNotFoundError for an unknown id. */
  get(brokerId: string): BrokerView {
    return this.view(this.directory.requireBroker(brokerId));
  }

  private view(config: BrokerConfig): BrokerView {
    const info: BrokerInfo | undefined = this.registry.getInfo(config.id);
    const usage = info?.rateLimitUsage ?? null;
    return {
      id: config.id,
      type: config.type,
      status: info?.status ?? ConnectionStatus.DISCONNECTED,
      offline: this.offline.isOffline(config.id) || (info?.offline ?? false),
      mock: info?.mock ?? config.mock,
      transport: (info?.mock ?? config.mock) ? 'mock' : brokerTransportOf(config),
      required: config.required,
      lastHealthCheckAt: info?.lastHealthCheckAt?.toISOString() ?? null,
      accounts: config.accounts.map((account) => ({
        id: account.id,
        name: account.name,
        type: account.type,
        isDefault: account.isDefault,
      })),
      rateLimit:
        usage === null
          ? null
          : {
              ratio: usage.ratio,
              rules: usage.rules.map((rule) => ({
                ruleId: rule.ruleId,
                limit: rule.limit,
                windowMs: rule.windowMs,
                used: rule.used,
                ratio: rule.ratio,
                waiters: rule.waiters,
              })),
            },
    };
  }
}
