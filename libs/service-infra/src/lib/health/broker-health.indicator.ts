import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BrokerNotFoundError, BrokerRegistry, ConnectionStatus, type BrokerConfig } from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';

/** Statuses in which a broker can serve calls (DEGRADED: some health checks slow or failing). */
const SERVING_STATUSES: ReadonlySet<ConnectionStatus> = new Set([ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED]);

export function isServing(status: ConnectionStatus): boolean {
  return SERVING_STATUSES.has(status);
}

/** Which brokers a service serves from a fallback (the gateway's candle cache), beside the registry's own view. */
export interface BrokerOfflineMode {
  isOffline(brokerId: string): boolean;
}

/** DI token of an optional BrokerOfflineMode, provided where the health module can see it. */
export const BROKER_OFFLINE_MODE = Symbol('BROKER_OFFLINE_MODE');

/** The Terminus key of one broker's check, e.g. 'broker:kis'. */
export function brokerHealthKey(brokerId: string): string {
  return `broker:${brokerId}`;
}

/** A configured broker's connection as a Terminus indicator: up while CONNECTED or DEGRADED. */
@Injectable()
export class BrokerHealthIndicator {
  private readonly brokers: ReadonlyMap<string, BrokerConfig>;

  constructor(
    private readonly registry: BrokerRegistry,
    private readonly health: HealthIndicatorService,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    @Optional() @Inject(BROKER_OFFLINE_MODE) private readonly offlineMode: BrokerOfflineMode | null = null,
  ) {
    this.brokers = new Map(config.brokers.map((broker) => [broker.id, broker]));
  }

  /** The brokers readiness waits for (`required: true` in the brokers YAML). */
  requiredBrokerIds(): string[] {
    return [...this.brokers.values()].filter((broker) => broker.required).map((broker) => broker.id);
  }

  /** BrokerNotFoundError for a broker the configuration does not list (a 404, not a 503). */
  check(brokerId: string): HealthIndicatorResult {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined) {
      throw new BrokerNotFoundError(`broker '${brokerId}' is not configured`, { details: { brokerId } });
    }
    const info = this.registry.getInfo(brokerId);
    const status = info?.status ?? ConnectionStatus.DISCONNECTED;
    const usage = info?.rateLimitUsage ?? null;
    const data = {
      type: broker.type,
      connection: status,
      required: broker.required,
      mock: info?.mock ?? broker.mock,
      offline: (info?.offline ?? false) || (this.offlineMode?.isOffline(brokerId) ?? false),
      rateLimit:
        usage === null
          ? null
          : {
              ratio: usage.ratio,
              rules: usage.rules.map(({ ruleId, limit, windowMs, used, ratio, waiters }) => ({ ruleId, limit, windowMs, used, ratio, waiters })),
            },
    };
    const session = this.health.check(brokerHealthKey(brokerId));
    return isServing(status) ? session.up(data) : session.down(data);
  }
}
