import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerType } from '@qts/broker-domain';
import { RateLimitConfigError } from '@qts/rate-limit';
import { jtsBroker as brokerConfig, present } from '../../test/broker-configs';
import { createBrokerLimiters } from './create-broker-limiters';

describe('createBrokerLimiters', () => {
  it('builds one limiter per broker from its preset, named after the broker, in memory by default; mocks get none', async () => {
    const limiters = createBrokerLimiters({
      brokers: [
        brokerConfig('kis', 50061, { rateLimit: { preset: 'kis-paper' } }),
        brokerConfig('offline', 0, { mock: true, rateLimit: {} }),
      ],
    });
    expect([...limiters.keys()]).toEqual(['kis']);
    expect(limiters.mode).toBe('memory');
    const usage = present(limiters.get('kis'), 'the kis limiter').usage();
    expect(usage).toMatchObject({ name: 'kis', backend: 'memory' });
    expect(usage.rules.map((rule) => [rule.ruleId, rule.limit, rule.windowMs, rule.effectiveWindowMs])).toEqual([
      ['requests', 2, 1_000, 1_000],
      ['token', 1, 60_000, 60_000],
    ]);
    expect(limiters.health()).toEqual({
      mode: 'memory',
      healthy: true,
      brokers: { kis: { backend: 'memory', healthy: true, detail: 'kept in this process' } },
    });
    await limiters.close();
  });

  it('split: multiplies the broker\'s platform share by this process\'s share', async () => {
    const limiters = createBrokerLimiters({
      rateLimit: { mode: 'split', share: 0.5 },
      brokers: [
        brokerConfig('kis', 50061, { rateLimit: { preset: 'kis-real' } }),
        brokerConfig('kis2', 50064, { rateLimit: { preset: 'kis-real', share: 0.5 } }),
        brokerConfig('creon', 50062, { type: BrokerType.CREON, rateLimit: { rules: [{ id: 'all', limit: 8, windowMs: 1_000 }] } }),
      ],
    });
    const limitOf = (id: string) => present(limiters.get(id), id).usage().rules[0].limit;
    expect(limitOf('kis')).toBe(10);
    expect(limitOf('kis2')).toBe(5);
    expect(limitOf('creon')).toBe(4);
    expect(limiters.health().mode).toBe('split');
    await limiters.close();
  });

  it('local: the limiters of two processes on one ledger file share one budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-limiters-'));
    const options = {
      rateLimit: { mode: 'local' as const, ledgerPath: join(dir, 'rate-limit.sqlite') },
      brokers: [brokerConfig('kis', 50061, { rateLimit: { preset: 'kis-paper', tradingReserve: 0.5 } })],
    };
    const gateway = createBrokerLimiters(options);
    const worker = createBrokerLimiters(options);
    try {
      const reads = present(gateway.get('kis'), 'gateway kis');
      const orders = present(worker.get('kis'), 'worker kis');
      expect(reads.rules[0]).toMatchObject({ limit: 2, reserved: 1 });
      await expect(reads.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(reads.acquire('getQuote', { timeoutMs: 0 })).resolves.toBe(false);
      await expect(orders.acquire('placeOrder', { timeoutMs: 0 })).resolves.toBe(true);
      await expect(orders.acquire('getOrderStatus', { timeoutMs: 0 })).resolves.toBe(false);
    } finally {
      await gateway.close();
      await worker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the broken field of an invalid configuration, and opens no ledger then', () => {
    expect(() =>
      createBrokerLimiters({
        rateLimit: { mode: 'local' },
        brokers: [brokerConfig('a', 1), brokerConfig('b', 2, { rateLimit: { preset: 'kis-fast' } })],
      }),
    ).toThrow(expect.objectContaining({ constructor: RateLimitConfigError, message: expect.stringContaining('brokers[1].rateLimit.preset') }));
  });

  it('refuses a broker id listed twice', () => {
    expect(() => createBrokerLimiters({ brokers: [brokerConfig('kis', 1), brokerConfig('kis', 2)] })).toThrow(
      expect.objectContaining({ field: 'brokers[1].id' }),
    );
  });
});
