import { InvalidArgumentError } from '@qts/broker-domain';
import { RateLimitBackend, resolveRateLimitConfig, type RateLimitBackendHooks, type RateLimiter } from '@qts/rate-limit';
import type { BrokerTransportModuleOptions } from './broker-transport-module-options';
import { BrokerRateLimiters } from './broker-rate-limiters';

/**
 * One limiter per broker (JTS or REST: one budget whatever the transport), from its `rateLimit` block (preset and/or rules, the platform's `share`,
 * `tradingReserve`...), all kept by the backend `options.rateLimit` selects (default: memory). Mock
 * brokers get none: they reach no real broker. Invalid configuration throws naming the field, e.g.
 * `brokers[1].rateLimit.preset`.
 */
export function createBrokerLimiters(
  options: Pick<BrokerTransportModuleOptions, 'brokers' | 'rateLimit'>,
  hooks: RateLimitBackendHooks = {},
): BrokerRateLimiters {
  // Validate every broker before opening any ledger, so a bad file leaves nothing open.
  const configured = new Map<string, ReturnType<typeof resolveRateLimitConfig>>();
  options.brokers.forEach((broker, index) => {
    if (broker.mock) return;
    if (configured.has(broker.id)) {
      throw new InvalidArgumentError(`brokers[${index}].id '${broker.id}' is listed twice`, { field: `brokers[${index}].id` });
    }
    const { preset, rules, share, tradingReserve, maxInFlight, marginMs } = broker.rateLimit ?? {};
    const config = {
      ...(preset === undefined ? {} : { preset }),
      ...(rules === undefined ? {} : { rules }),
      ...(share === undefined ? {} : { share }),
      ...(tradingReserve === undefined ? {} : { tradingReserve }),
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      ...(marginMs === undefined ? {} : { marginMs }),
    };
    configured.set(broker.id, resolveRateLimitConfig(config, `brokers[${index}].rateLimit`));
  });
  const backend = new RateLimitBackend(options.rateLimit ?? { mode: 'memory' }, hooks);
  const limiters = new Map<string, RateLimiter>();
  for (const [brokerId, limiterOptions] of configured) {
    limiters.set(brokerId, backend.createLimiter({ ...limiterOptions, name: brokerId }));
  }
  return new BrokerRateLimiters(limiters, backend);
}
