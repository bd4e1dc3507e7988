import type { ConnectionStatusEvent, ConnectionStatusListener } from '@qts/broker-domain';
import type { BrokerConnectionManager } from '@qts/broker-grpc';
import type { RestBrokerConnections } from './rest-broker-connections';

/**
 * The connection status changes of every broker, whatever its transport: the JTS connection manager's and those
 * of each REST connection's health. What the gateway's gRPC health and offline mode listen to.
 */
export class BrokerStatusFeed {
  constructor(
    private readonly manager: BrokerConnectionManager,
    private readonly rest: RestBrokerConnections,
  ) {}

  /** Returns the unsubscribe function. */
  onStatusChange(listener: ConnectionStatusListener): () => void {
    const forward = (event: ConnectionStatusEvent) => listener(event);
    const unsubscribers = [
      this.manager.onStatusChange(forward),
      ...[...this.rest.values()].map((connection) => connection.health.onStatusChange(forward)),
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }
}
