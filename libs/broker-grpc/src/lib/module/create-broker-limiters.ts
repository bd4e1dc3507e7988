import { InvalidArgumentError } from '@qts/broker-domain';
import { RateLimitClock, resolveRateLimitConfig, SlidingWindowLimiter } from '@qts/rate-limit';
import { BrokerGrpcModuleOptions } from './broker-grpc-module-options';

/**
 * One limiter per gRPC broker, from its `rateLimit` block (preset and/or rules), with the broker's own
 * share or else the module-wide `rateLimitShare`. Mock brokers get none: they reach no real broker.
 * Invalid configuration throws naming the field, e.g. `brokers[1].rateLimit.preset`.
 */
export function createBrokerLimiters(
  options: Pick<BrokerGrpcModuleOptions, 'brokers' | 'rateLimitShare'>,
  clock?: RateLimitClock,
): Map<string, SlidingWindowLimiter> {
  const limiters = new Map<string, SlidingWindowLimiter>();
  options.brokers.forEach((broker, index) => {
    if (broker.mock) return;
    if (limiters.has(broker.id)) {
      throw new InvalidArgumentError(`brokers[${index}].id '${broker.id}' is listed twice`, { field: `brokers[${index}].id` });
    }
    const share = broker.rateLimit?.share ?? options.rateLimitShare;
    const config = {
      ...(broker.rateLimit?.preset === undefined ? {} : { preset: broker.rateLimit.preset }),
      ...(broker.rateLimit?.rules === undefined ? {} : { rules: broker.rateLimit.rules }),
      ...(share === undefined ? {} : { share }),
    };
    const limiterOptions = resolveRateLimitConfig(config, `brokers[${index}].rateLimit`);
    limiters.set(broker.id, new SlidingWindowLimiter({ ...limiterOptions, name: broker.id, ...(clock ? { clock } : {}) }));
  });
  return limiters;
}
