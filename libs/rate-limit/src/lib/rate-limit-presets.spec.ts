import { createLimiterFromPreset, getRatePreset, presetToLimiterOptions } from './create-limiter-from-preset';
import { ManualRateLimitClock } from './manual-rate-limit-clock';
import { RateLimitConfigError } from './rate-limit-config-error';
import { RATE_LIMIT_PRESETS, RATE_PRESET_IDS, isRatePresetId } from './rate-limit-presets';

describe('RATE_LIMIT_PRESETS', () => {
  it('states the brokers’ published rules and error codes', () => {
    expect(RATE_PRESET_IDS).toEqual(['kis-real', 'kis-paper', 'creon', 'kiwoom']);
    expect(RATE_LIMIT_PRESETS['kis-real'].rules).toEqual([
      { id: 'requests', limit: 20, windowMs: 1000 },
      { id: 'token', limit: 1, windowMs: 60_000 },
    ]);
    expect(RATE_LIMIT_PRESETS['kis-paper'].rules).toEqual([
      { id: 'requests', limit: 2, windowMs: 1000 },
      { id: 'token', limit: 1, windowMs: 60_000 },
    ]);
    expect(RATE_LIMIT_PRESETS.creon.rules).toEqual([
      { id: 'queries', limit: 60, windowMs: 15_000 },
      { id: 'orders', limit: 20, windowMs: 15_000 },
    ]);
    expect(RATE_LIMIT_PRESETS.kiwoom.rules).toEqual([
      { id: 'requests', limit: 5, windowMs: 1000 },
      { id: 'token', limit: 1, windowMs: 1000 },
    ]);
    expect(RATE_PRESET_IDS.map((id) => RATE_LIMIT_PRESETS[id].violationCode)).toEqual([
      'EGW00201',
      'EGW00201',
      'CREON_LIMIT',
      '1700',
    ]);
    expect(RATE_LIMIT_PRESETS['kis-real'].ruleViolationCodes).toEqual({
      requests: 'EGW00201',
      token: 'EGW00133',
    });
    for (const id of RATE_PRESET_IDS) {
      expect(RATE_LIMIT_PRESETS[id]).toMatchObject({
        id,
        safetyMargin: {},
        priorityOperations: ['placeOrder', 'cancelOrder', 'getOrderStatus'],
        priorityReserve: 0.1,
      });
      expect(RATE_LIMIT_PRESETS[id].description.length).toBeGreaterThan(20);
    }
  });

  it('cannot be changed in place by one of its users', () => {
    const preset = RATE_LIMIT_PRESETS['kis-real'];
    expect(() => {
      (preset.rules[0] as { limit: number }).limit = 1000;
    }).toThrow(TypeError);
    expect(Object.isFrozen(preset.operations?.['issueToken'])).toBe(true);
    expect(preset.rules[0].limit).toBe(20);
  });

  it('recognises preset ids', () => {
    expect(isRatePresetId('creon')).toBe(true);
    expect(isRatePresetId('toString')).toBe(false);
    expect(isRatePresetId(5)).toBe(false);
  });
});

describe('createLimiterFromPreset', () => {
  it('kis-real: 20 requests per 1000 ms; issueToken also counts against the 1-per-minute token rule', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kis-real', { clock });
    expect(limiter.name).toBe('kis-real');
    expect(limiter.tryAcquire('issueToken')).toBe(true);
    expect(limiter.tryAcquire('issueToken')).toBe(false);
    // Reads may take 18 of the 20: the trading reserve keeps 2 for orders.
    let granted = 1;
    while (limiter.tryAcquire('getQuote')) granted++;
    expect(granted).toBe(18);
    expect(limiter.tryAcquire('placeOrder')).toBe(true);
    expect(limiter.tryAcquire('getOrderStatus')).toBe(true);
    expect(limiter.tryAcquire('placeOrder')).toBe(false);
    await clock.advanceTo(999);
    expect(limiter.tryAcquire('getQuote')).toBe(false);
    await clock.advanceTo(1000);
    expect(limiter.tryAcquire('getQuote')).toBe(true);
    expect(limiter.tryAcquire('issueToken')).toBe(false);
    expect(limiter.estimateWaitMs('issueToken')).toBe(60_000 - 1000);
  });

  it('kis-paper: 2 requests per 1000 ms, all of them usable by reads (a reserve of 10 % of 2 is none)', () => {
    const limiter = createLimiterFromPreset('kis-paper', { clock: new ManualRateLimitClock() });
    expect([1, 2, 3].map(() => limiter.tryAcquire('getBalance'))).toEqual([true, true, false]);
    expect(limiter.estimateWaitMs('getBalance')).toBe(1000);
  });

  it('creon: orders and queries have separate budgets', () => {
    const limiter = createLimiterFromPreset('creon', { clock: new ManualRateLimitClock() });
    let orders = 0;
    while (limiter.tryAcquire(orders % 2 ? 'cancelOrder' : 'placeOrder')) orders++;
    expect(orders).toBe(20);
    // 54 queries for market data; the last 6 are kept for order-status look-ups.
    let queries = 0;
    while (limiter.tryAcquire('getCandles')) queries++;
    expect(queries).toBe(54);
    while (limiter.tryAcquire('getOrderStatus')) queries++;
    expect(queries).toBe(60);
    expect(limiter.usage().rules.map(({ ruleId, used, reserved }) => [ruleId, used, reserved])).toEqual([
      ['queries', 60, 6],
      ['orders', 20, 2],
    ]);
  });

  it('kiwoom: a conservative 5 per second by default', () => {
    const limiter = createLimiterFromPreset('kiwoom', { clock: new ManualRateLimitClock() });
    expect(Array.from({ length: 6 }, () => limiter.tryAcquire('placeOrder'))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('kiwoom: one token issuance a second, which also counts as a request', async () => {
    const clock = new ManualRateLimitClock();
    const limiter = createLimiterFromPreset('kiwoom', { clock });
    expect(limiter.tryAcquire('issueToken')).toBe(true);
    expect(limiter.tryAcquire('issueToken')).toBe(false);
    expect(limiter.usage().rules.map(({ ruleId, used }) => [ruleId, used])).toEqual([
      ['requests', 1],
      ['token', 1],
    ]);
    await clock.advanceTo(1_000);
    expect(limiter.tryAcquire('issueToken')).toBe(true);
  });

  it('applies overrides such as share and name', () => {
    const limiter = createLimiterFromPreset('kis-real', { share: 0.5, name: 'kis-1' });
    expect(limiter.name).toBe('kis-1');
    expect(limiter.usage().rules[0]).toMatchObject({ limit: 10, configuredLimit: 20 });
  });

  it('refuses an unknown preset, listing the known ones', () => {
    expect(() => createLimiterFromPreset('kis')).toThrow(RateLimitConfigError);
    expect(() => getRatePreset('kis')).toThrow(
      'preset must be one of kis-real, kis-paper, creon, kiwoom (got "kis")',
    );
  });

  it('hands out copies of the preset that callers may change', () => {
    const options = presetToLimiterOptions(RATE_LIMIT_PRESETS.creon);
    options.rules[0].limit = 1;
    expect(RATE_LIMIT_PRESETS.creon.rules[0].limit).toBe(60);
    expect(presetToLimiterOptions(RATE_LIMIT_PRESETS.creon).operations?.['placeOrder']).toEqual([{ rule: 'orders' }]);
  });
});
