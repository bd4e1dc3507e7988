import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConnectionStatus } from '@qts/broker-domain';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import type { BrokerView } from '../brokers/broker-view';

/** Statuses in which a broker can serve calls. */
const SERVING_STATUSES: ReadonlySet<ConnectionStatus> = new Set([ConnectionStatus.CONNECTED, ConnectionStatus.DEGRADED]);

export function isServing(status: ConnectionStatus): boolean {
  return SERVING_STATUSES.has(status);
}

/** A broker's connection as a Terminus indicator: up while CONNECTED or DEGRADED. */
@Injectable()
export class BrokerHealthIndicator {
  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly health: HealthIndicatorService,
  ) {}

  /** BrokerNotFoundError for an unknown broker (a 404, not a 503). */
  check(brokerId: string): HealthIndicatorResult {
    const broker = this.catalog.get(brokerId);
    const session = this.health.check(`broker:${broker.id}`);
    const data = describe(broker);
    return isServing(broker.status) ? session.up(data) : session.down(data);
  }
}

function describe(broker: BrokerView): Record<string, unknown> {
  return {
    type: broker.type,
    connection: broker.status,
    required: broker.required,
    mock: broker.mock,
    offline: broker.offline,
    rateLimit: broker.rateLimit,
  };
}
