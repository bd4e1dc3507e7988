import { BrokerType } from '@qts/broker-domain';
import { RateLimitConfigError } from '@qts/rate-limit';
import { brokerConfig } from '../../../test/broker-config-fixture';
import { present } from '../../../test/present';
import { createBrokerLimiters } from './create-broker-limiters';

describe('createBrokerLimiters', () => {
  it('builds one limiter per gRPC broker from its preset, named after the broker; mocks get none', () => {
    const limiters = createBrokerLimiters({
      brokers: [
        brokerConfig('kis', 50061, { rateLimit: { preset: 'kis-paper' } }),
        brokerConfig('offline', 0, { mock: true, rateLimit: {} }),
      ],
    });

    expect([...limiters.keys()]).toEqual(['kis']);
    const usage = present(limiters.get('kis'), 'the kis limiter').usage();
    expect(usage.name).toBe('kis');
    expect(usage.rules.map((rule) => [rule.ruleId, rule.limit, rule.windowMs])).toEqual([
      ['requests', 2, 1_000],
      ['token', 1, 60_000],
    ]);
    limiters.forEach((limiter) => limiter.close());
  });

  it("applies the module-wide share unless the broker's own share says otherwise", () => {
    const limiters = createBrokerLimiters({
      rateLimitShare: 0.5,
      brokers: [
        brokerConfig('kis', 50061, { rateLimit: { preset: 'kis-real' } }),
        brokerConfig('kis2', 50064, { rateLimit: { preset: 'kis-real', share: 0.25 } }),
        brokerConfig('creon', 50062, { type: BrokerType.CREON, rateLimit: { rules: [{ id: 'all', limit: 8, windowMs: 1_000 }] } }),
      ],
    });

    const limitOf = (id: string) => present(limiters.get(id), id).usage().rules[0].limit;
    expect(limitOf('kis')).toBe(10);
    expect(limitOf('kis2')).toBe(5);
    expect(limitOf('creon')).toBe(4);
    limiters.forEach((limiter) => limiter.close());
  });

  it('names the broken field of an invalid configuration', () => {
    expect(() =>
      createBrokerLimiters({ brokers: [brokerConfig('a', 1), brokerConfig('b', 2, { rateLimit: { preset: 'kis-fast' } })] }),
    ).toThrow(expect.objectContaining({ constructor: RateLimitConfigError, message: expect.stringContaining('brokers[1].rateLimit.preset') }));
  });

  it('refuses a broker id listed twice', () => {
    expect(() => createBrokerLimiters({ brokers: [brokerConfig('kis', 1), brokerConfig('kis', 2)] })).toThrow(
      expect.objectContaining({ field: 'brokers[1].id' }),
    );
  });
});
