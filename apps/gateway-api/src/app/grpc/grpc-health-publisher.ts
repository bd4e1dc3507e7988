import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import { BrokerStatusWatcher } from '../brokers/broker-status-watcher';
import { isServing } from '../health/broker-health.indicator';

export const GATEWAY_SERVICE_NAME = 'qts.gateway.v1.BrokerGatewayService';

/** Health service name of one broker, e.g. 'broker/kis'. */
export function brokerHealthServiceName(brokerId: string): string {
  return `broker/${brokerId}`;
}

/**
 * The statuses of grpc.health.v1.Health:
 * - ''                                   SERVING while the server runs (liveness);
 * - 'qts.gateway.v1.BrokerGatewayService' SERVING while every required broker is CONNECTED or DEGRADED
 *                                        (readiness, as GET /health/ready without the database ping);
 * - 'broker/<id>'                        SERVING while that broker is CONNECTED or DEGRADED.
 * Updated on every connection status change.
 */
@Injectable()
export class GrpcHealthPublisher implements OnModuleInit, OnApplicationShutdown {
  readonly health = new HealthImplementation();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly watcher: BrokerStatusWatcher,
  ) {}

  onModuleInit(): void {
    this.refresh();
    this.unsubscribe = this.watcher.subscribe(() => this.refresh());
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.stopped = true;
    this.refresh();
  }

  /** Recomputes every status from the current broker views. */
  refresh(): void {
    const brokers = this.catalog.list();
    const running: ServingStatus = this.stopped ? 'NOT_SERVING' : 'SERVING';
    this.health.setStatus('', running);
    const ready = !this.stopped && brokers.filter((broker) => broker.required).every((broker) => isServing(broker.status));
    this.health.setStatus(GATEWAY_SERVICE_NAME, ready ? 'SERVING' : 'NOT_SERVING');
    for (const broker of brokers) {
      const serving = !this.stopped && isServing(broker.status);
      this.health.setStatus(brokerHealthServiceName(broker.id), serving ? 'SERVING' : 'NOT_SERVING');
    }
  }
}
