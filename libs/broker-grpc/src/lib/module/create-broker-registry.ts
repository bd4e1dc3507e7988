import { BrokerRegistry, InvalidArgumentError, MockBrokerGateway } from '@qts/broker-domain';
import type { RateLimiter } from '@qts/rate-limit';
import { BrokerConnectionManager } from '../connection/broker-connection-manager';
import { GrpcBrokerGateway } from '../gateway/grpc-broker-gateway';
import { seededRandom } from '../timing/seeded-random';
import { BrokerGrpcModuleOptions } from './broker-grpc-module-options';

/**
 * The domain registry with one gateway per configured broker: a GrpcBrokerGateway over the manager's
 * connection and the broker's limiter (status from the manager, usage from the limiter), or, for
 * `mock: true`, the domain's MockBrokerGateway (registered as mock, always CONNECTED).
 */
export function createBrokerRegistry(
  options: BrokerGrpcModuleOptions,
  manager: BrokerConnectionManager,
  limiters: ReadonlyMap<string, RateLimiter>,
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
      lastHealthCheck: () => manager.lastCheckedAt(broker.id),
      mock: false,
    });
  });
  return registry;
}
