import { RateLimitConfigError } from './rate-limit-config-error';
import { resolveRateLimitConfig, type RateLimitConfig } from './resolve-rate-limit-config';
import { SlidingWindowLimiter } from './sliding-window-limiter';

function fieldOf(cfg: unknown, path?: string): string {
  try {
    resolveRateLimitConfig(cfg as RateLimitConfig, path);
  } catch (error) {
    expect(error).toBeInstanceOf(RateLimitConfigError);
    return (error as RateLimitConfigError).field;
  }
  throw new Error('expected a RateLimitConfigError');
}

describe('resolveRateLimitConfig', () => {
  it('resolves a preset to its rules, operations, trading priority and reserve, without a margin', () => {
    expect(resolveRateLimitConfig({ preset: 'kis-paper' })).toEqual({
      name: 'kis-paper',
      rules: [
        { id: 'requests', limit: 2, windowMs: 1000 },
        { id: 'token', limit: 1, windowMs: 60_000 },
      ],
      operations: { issueToken: [{ rule: 'requests' }, { rule: 'token' }] },
      defaultCosts: [{ rule: 'requests' }],
      safetyMargin: {},
      priorityOperations: ['placeOrder', 'cancelOrder', 'getOrderStatus'],
      priorityReserve: 0.1,
    });
  });

  it('replaces a preset rule by id (how the Kiwoom budget is configured) and applies share', () => {
    const options = resolveRateLimitConfig({
      preset: 'kiwoom',
      rules: [{ id: 'requests', limit: 10, windowMs: 1000 }],
      share: 0.5,
    });
    expect(options.rules).toEqual([
      { id: 'requests', limit: 10, windowMs: 1000 },
      { id: 'token', limit: 1, windowMs: 1000 },
    ]);
    expect(new SlidingWindowLimiter(options).usage().rules[0]).toMatchObject({
      limit: 5,
      effectiveWindowMs: 1000,
    });
  });

  it('resolves custom rules alone: every operation counts against every rule, trading first, no margin', () => {
    const options = resolveRateLimitConfig({ rules: [{ id: 'requests', limit: 20, windowMs: 1000 }] });
    expect(options).toEqual({
      rules: [{ id: 'requests', limit: 20, windowMs: 1000 }],
      safetyMargin: {},
      priorityOperations: ['placeOrder', 'cancelOrder', 'getOrderStatus'],
      priorityReserve: 0.1,
    });
  });

  it('applies tradingReserve, maxInFlight and marginMs from the broker block', () => {
    const options = resolveRateLimitConfig({ preset: 'kis-real', tradingReserve: 0.25, maxInFlight: 4, marginMs: 20 });
    const limiter = new SlidingWindowLimiter(options);
    expect(limiter.rules.map(({ id, limit, reserved, windowMs }) => [id, limit, reserved, windowMs])).toEqual([
      ['requests', 20, 5, 1020],
      ['token', 1, 0, 60_020],
      ['in-flight', 4, 1, 0],
    ]);
  });

  it('names tradingReserve and marginMs, not the limiter options they become, when they are wrong', () => {
    expect(fieldOf({ preset: 'kis-real', tradingReserve: 1 })).toBe('rateLimit.tradingReserve');
    expect(fieldOf({ preset: 'kis-real', marginMs: -5 })).toBe('rateLimit.marginMs');
    expect(fieldOf({ preset: 'kis-real', maxInFlight: 0 })).toBe('rateLimit.maxInFlight');
  });

  it('returns fresh options each time', () => {
    const first = resolveRateLimitConfig({ preset: 'creon' });
    first.rules[0].limit = 1;
    expect(resolveRateLimitConfig({ preset: 'creon' }).rules[0].limit).toBe(60);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'kis-paper', 'rateLimit'],
    ['neither preset nor rules', {}, 'rateLimit'],
    ['an unknown key', { preset: 'kis-paper', sahre: 0.5 }, 'rateLimit.sahre'],
    ['an unknown preset', { preset: 'kis' }, 'rateLimit.preset'],
    ['a bad share', { preset: 'kis-paper', share: 2 }, 'rateLimit.share'],
    [
      'a bad rule limit',
      { rules: [{ id: 'requests', limit: 0, windowMs: 1000 }] },
      'rateLimit.rules[0].limit',
    ],
    ['rules that are not a list', { preset: 'kiwoom', rules: { id: 'requests' } }, 'rateLimit.rules'],
    [
      'a rule the preset does not have',
      { preset: 'kis-real', rules: [{ id: 'orders', limit: 1, windowMs: 1 }] },
      'rateLimit.rules[0].id',
    ],
  ])('refuses %s, naming the field', (_case, cfg, field) => {
    expect(fieldOf(cfg)).toBe(field);
  });

  it('names fields under the given path', () => {
    expect(
      fieldOf(
        { preset: 'kiwoom', rules: [{ id: 'requests', limit: 5, windowMs: -1 }] },
        'brokers[1].rateLimit',
      ),
    ).toBe('brokers[1].rateLimit.rules[0].windowMs');
  });
});
