import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BrokerRegistry, ConnectionStatus } from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';

/** Statuses in which a broker still takes orders (DEGRADED: some health checks slow or failing). */
const SERVING: ReadonlySet<ConnectionStatus> = new Set([ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED]);

/**
 * Readiness: every broker configured with `required: true` is connected. Optional brokers are listed with their
 * status but never make the worker unready.
 */
@Injectable()
export class RequiredBrokersHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly registry: BrokerRegistry,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  check(key = 'brokers') {
    const indicator = this.indicators.check(key);
    const statuses: Record<string, { status: ConnectionStatus; required: boolean }> = {};
    const down: string[] = [];
    for (const broker of this.config.brokers) {
      const status = this.registry.getInfo(broker.id)?.status ?? ConnectionStatus.DISCONNECTED;
      statuses[broker.id] = { status, required: broker.required };
      if (broker.required && !SERVING.has(status)) down.push(broker.id);
    }
    return down.length === 0
      ? indicator.up({ brokers: statuses })
      : indicator.down({ message: `required broker(s) not connected: ${down.join(', ')}`, brokers: statuses });
  }
}
