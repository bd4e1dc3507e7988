import { BrokerRegistry, InvalidArgumentError, isRestBrokerConfig, MockBrokerGateway } from '@qts/broker-domain';
import { BrokerConnectionManager, GrpcBrokerGateway, seededRandom } from '@qts/broker-grpc';
import type { RateLimiter } from '@qts/rate-limit';
import type { BrokerTransportModuleOptions } from './broker-transport-module-options';
import type { RestBrokerConnections } from './rest-broker-connections';

/**
 * The domain registry with one gateway per configured broker, whatever its transport, registered alike (status,
 * rate-limit usage of the broker's limiter):
 * - JTS: a GrpcBrokerGateway over the manager's connection, status from its health checks;
 * - REST: the KIS or Kiwoom REST gateway of its connection, status from its requests' outcomes;
 * - `mock: true`: the domain's MockBrokerGateway (registered as mock, always CONNECTED).
 */
export function createBrokerRegistry(
  options: BrokerTransportModuleOptions,
  manager: BrokerConnectionManager,
  limiters: ReadonlyMap<string, RateLimiter>,
  rest: RestBrokerConnections,
): BrokerRegistry {
  const registry = new BrokerRegistry();
  options.brokers.forEach((broker, index) => {
    if (registry.has(broker.id)) {
      throw new InvalidArgumentError(`brokers[${index}].id '${broker.id}' is listed twice`, { field: `brokers[${index}].id` });
    }
    if (broker.mock) {
      const gateway = new MockBrokerGateway({
        brokerId: broker.id,
        brokerType: broker.type,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(broker.accounts.length === 0 ? {} : { accounts: broker.accounts.map(({ id, type }) => ({ id, type })) }),
      });
      registry.register(gateway, { type: broker.type, mock: true });
      return;
    }
    const limiter = limiters.get(broker.id);
    if (limiter === undefined) {
      throw new InvalidArgumentError(`broker '${broker.id}' has no rate limiter`, { field: `brokers[${index}].rateLimit` });
    }
    if (isRestBrokerConfig(broker)) {
      const connection = rest.get(broker.id);
      if (connection === undefined) {
        throw new InvalidArgumentError(`broker '${broker.id}' has no REST connection`, { field: `brokers[${index}].rest` });
      }
      registry.register(connection.gateway, {
        type: broker.type,
        status: () => connection.health.status,
        rateLimitUsage: () => limiter.usage(),
        mock: false,
      });
      return;
    }
    const gateway = new GrpcBrokerGateway({
      brokerId: broker.id,
      brokerType: broker.type,
      connections: manager,
      limiter,
      deadlineMs: broker.deadlineMs ?? options.deadlineMs,
      streamDeadlineMs: options.streamDeadlineMs,
      acquireTimeoutMs: options.acquireTimeoutMs,
      ...(options.seed === undefined ? {} : { random: seededRandom(options.seed + index + 1) }),
    });
    registry.register(gateway, {
      type: broker.type,
      status: () => manager.getStatus(broker.id),
      rateLimitUsage: () => limiter.usage(),
      mock: false,
    });
  });
  return registry;
}
