import { HealthIndicatorService } from '@nestjs/terminus';
import { jtsBroker } from '../../test/broker-configs';
import type { BrokerRateLimiters } from './broker-rate-limiters';
import { createBrokerLimiters } from './create-broker-limiters';
import { RateLimitHealthIndicator } from './rate-limit-health.indicator';

describe('RateLimitHealthIndicator', () => {
  it('is up with the mode and every broker\'s ledger while the limiters can grant', async () => {
    const limiters = createBrokerLimiters({ brokers: [jtsBroker('kis', 1), jtsBroker('kiwoom', 2, { rateLimit: { preset: 'kiwoom' } })] });
    try {
      const result = new RateLimitHealthIndicator(new HealthIndicatorService(), limiters).check();

      expect(result).toEqual({
        'rate-limits': {
          status: 'up',
          mode: 'memory',
          brokers: {
            kis: { healthy: true, detail: 'kept in this process' },
            kiwoom: { healthy: true, detail: 'kept in this process' },
          },
        },
      });
    } finally {
      await limiters.close();
    }
  });

  it('is down, saying it fails closed, while a shared ledger cannot be reached', () => {
    const unreachable = {
      health: () => ({
        mode: 'redis',
        healthy: false,
        brokers: { kis: { backend: 'redis', healthy: false, detail: 'redis 127.0.0.1:1 unreachable' } },
      }),
    } as unknown as BrokerRateLimiters;

    const result = new RateLimitHealthIndicator(new HealthIndicatorService(), unreachable).check('limits');

    expect(result).toEqual({
      limits: {
        status: 'down',
        mode: 'redis',
        brokers: { kis: { healthy: false, detail: 'redis 127.0.0.1:1 unreachable' } },
        message: 'rate-limit ledger unreachable: failing closed',
      },
    });
  });
});
