import { BrokerType } from '@qts/broker-domain';
import { RateLimitConfigError } from '@qts/rate-limit';
import { BrokerRateEnforcer } from './broker-rate-enforcer';

describe('BrokerRateEnforcer', () => {
  let now: number;
  const clock = (): number => now;

  beforeEach(() => {
    now = 0;
  });

  it('enforces the raw kis-paper limit: 2 requests in any 1 s window, then EGW00201', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'kis-paper' }, BrokerType.KIS, clock);

    expect(enforcer.admit('getQuote')).toBeNull();
    now = 400;
    expect(enforcer.admit('placeOrder')).toBeNull();
    now = 999;
    expect(enforcer.admit('getBalance')).toEqual({
      ruleId: 'requests',
      limit: 2,
      windowMs: 1_000,
      retryAfterMs: 1,
      brokerCode: 'EGW00201',
    });
    now = 1_000; // the first grant left the window, the second has not
    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.admit('getQuote')?.retryAfterMs).toBe(400);
  });

  it('does not count refused requests: a flood does not push the budget back', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'kis-paper' }, BrokerType.KIS, clock);
    enforcer.admit('getQuote');
    enforcer.admit('getQuote');
    for (let i = 0; i < 100; i += 1) {
      now = i * 9;
      expect(enforcer.admit('getQuote')).not.toBeNull();
    }

    now = 1_000;

    expect(enforcer.admit('getQuote')).toBeNull();
  });

  it('keeps Creon orders and queries in separate budgets and answers CREON_LIMIT', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'creon' }, BrokerType.CREON, clock);
    for (let i = 0; i < 60; i += 1) {
      expect(enforcer.admit('getCandles')).toBeNull();
    }

    expect(enforcer.admit('getQuote')).toMatchObject({ ruleId: 'queries', limit: 60, windowMs: 15_000, brokerCode: 'CREON_LIMIT' });
    for (let i = 0; i < 20; i += 1) {
      expect(enforcer.admit(i % 2 === 0 ? 'placeOrder' : 'cancelOrder')).toBeNull();
    }
    expect(enforcer.admit('placeOrder')).toMatchObject({ ruleId: 'orders', limit: 20 });
  });

  it('takes configured rules without a preset, answering with the broker type code', () => {
    const enforcer = BrokerRateEnforcer.create({ rules: [{ id: 'burst', limit: 1, windowMs: 100 }] }, BrokerType.KIWOOM, clock);

    expect(enforcer.label).toBe('custom');
    expect(enforcer.admit('getSymbols')).toBeNull();
    expect(enforcer.admit('getSymbols')).toMatchObject({ ruleId: 'burst', brokerCode: '1700' });
  });

  it('lets a preset rule be overridden, e.g. a larger Kiwoom budget', () => {
    const enforcer = BrokerRateEnforcer.create(
      { preset: 'kiwoom', rules: [{ id: 'requests', limit: 10, windowMs: 1_000 }] },
      BrokerType.KIWOOM,
      clock,
    );

    expect(enforcer.listRules()).toEqual([
      { id: 'requests', limit: 10, windowMs: 1_000 },
      { id: 'token', limit: 1, windowMs: 1_000 },
    ]);
    expect(enforcer.label).toBe('kiwoom');
  });

  it('ignores the client-side share and margin: the broker enforces its raw limit', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'kis-real', share: 0.5 }, BrokerType.KIS, clock);
    const admitted = Array.from({ length: 25 }, () => enforcer.admit('getQuote')).filter((violation) => violation === null);

    expect(admitted).toHaveLength(20);
  });

  it('admits everything with none', () => {
    const enforcer = BrokerRateEnforcer.create('none', BrokerType.KIS, clock);

    expect(enforcer.label).toBe('none');
    expect(enforcer.listRules()).toEqual([]);
    expect(Array.from({ length: 1_000 }, () => enforcer.admit('getQuote')).every((violation) => violation === null)).toBe(true);
  });

  it('gives the full budget back on resetWindows', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'kis-paper' }, BrokerType.KIS, clock);
    enforcer.admit('getQuote');
    enforcer.admit('getQuote');

    enforcer.resetWindows();

    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.admit('getQuote')).toBeNull();
  });

  it('refuses an unknown preset naming the field', () => {
    expect(() => BrokerRateEnforcer.create({ preset: 'kis-turbo' }, BrokerType.KIS, clock, 'brokers[0].rateLimit')).toThrow(
      RateLimitConfigError,
    );
    expect(() => BrokerRateEnforcer.create({ preset: 'kis-turbo' }, BrokerType.KIS, clock, 'brokers[0].rateLimit')).toThrow(
      'brokers[0].rateLimit.preset',
    );
  });

  it('uses the monotonic system clock by default', () => {
    const enforcer = BrokerRateEnforcer.create({ preset: 'kis-paper' }, BrokerType.KIS);

    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.admit('getQuote')).toBeNull();
    expect(enforcer.admit('getQuote')?.retryAfterMs).toBeGreaterThan(0);
  });
});
