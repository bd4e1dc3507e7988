import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { GrpcHealthService, isServing } from '@qts/service-infra';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import { BrokerStatusWatcher } from '../brokers/broker-status-watcher';

export const GATEWAY_SERVICE_NAME = 'qts.gateway.v1.BrokerGatewayService';

/** Health service name of one broker, e.g. 'broker/kis'. */
export function brokerHealthServiceName(brokerId: string): string {
  return `broker/${brokerId}`;
}

/**
 * The gateway's statuses of grpc.health.v1.Health, beside '' (the server itself):
 * - 'qts.gateway.v1.BrokerGatewayService' SERVING while every required broker is CONNECTED or DEGRADED
 *                                        (readiness, as GET /health/ready without the database ping);
 * - 'broker/<id>'                        SERVING while that broker is CONNECTED or DEGRADED.
 * Updated on every connection status change; NOT_SERVING for good once the server drains.
 */
@Injectable()
export class GrpcHealthPublisher implements OnModuleInit, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly watcher: BrokerStatusWatcher,
    private readonly health: GrpcHealthService,
  ) {}

  onModuleInit(): void {
    this.refresh();
    this.unsubscribe = this.watcher.subscribe(() => this.refresh());
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  /** Recomputes every status from the current broker views. */
  refresh(): void {
    const brokers = this.catalog.list();
    const ready = brokers.filter((broker) => broker.required).every((broker) => isServing(broker.status));
    this.health.setStatus(GATEWAY_SERVICE_NAME, ready ? 'SERVING' : 'NOT_SERVING');
    for (const broker of brokers) {
      this.health.setStatus(brokerHealthServiceName(broker.id), isServing(broker.status) ? 'SERVING' : 'NOT_SERVING');
    }
  }
}
