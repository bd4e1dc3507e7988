import { InvalidArgumentError, OrderType } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import type { StoredIntent } from '../persistence/stored-intent';
import { defaultMaxDelayMs, expiryOf, resolveIntentExpiry } from './intent-expiry';

const SETTINGS = { intentMaxDelayMarketMs: 5_000, intentMaxDelayLimitMs: 60_000 };
const NOW = new Date('2024-01-02T00:00:00.000Z');

describe('intent expiry', () => {
  it('defaults to the delay of the order type: MARKET soon, LIMIT later', () => {
    expect(defaultMaxDelayMs(OrderType.MARKET, SETTINGS)).toBe(5_000);
    expect(defaultMaxDelayMs(OrderType.LIMIT, SETTINGS)).toBe(60_000);
    expect(resolveIntentExpiry({}, OrderType.MARKET, NOW, SETTINGS)).toEqual(new Date('2024-01-02T00:00:05.000Z'));
    expect(resolveIntentExpiry({}, OrderType.LIMIT, NOW, SETTINGS)).toEqual(new Date('2024-01-02T00:01:00.000Z'));
  });

  it('takes an absolute time, even one already past (the intent is then refused at once), or a delay from arrival', () => {
    const past = new Date('2024-01-01T23:59:59.000Z');
    expect(resolveIntentExpiry({ expiresAt: past }, OrderType.MARKET, NOW, SETTINGS)).toEqual(past);
    expect(resolveIntentExpiry({ maxDelayMs: 1_500 }, OrderType.LIMIT, NOW, SETTINGS)).toEqual(new Date('2024-01-02T00:00:01.500Z'));
  });

  it.each([
    [{ expiresAt: new Date('2024-01-02T00:00:01Z'), maxDelayMs: 1_000 }, 'expiresAt', /not both/],
    [{ maxDelayMs: -5 }, 'maxDelayMs', /max_delay_ms must be an integer between 1 and 86400000/],
    [{ maxDelayMs: 86_400_001 }, 'maxDelayMs', /max_delay_ms/],
    [{ expiresAt: new Date('2024-01-03T00:00:00.001Z') }, 'expiresAt', /at most 24 h ahead/],
    [{ expiresAt: new Date(Number.NaN) }, 'expiresAt', /not a valid time/],
  ])('refuses %p naming %s', (request, field, message) => {
    const error = (() => {
      try {
        resolveIntentExpiry(request, OrderType.LIMIT, NOW, SETTINGS);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
  });

  it('gives a row stored before expiry existed the default of its order type from its arrival; none to a dry run', () => {
    const stored = (overrides: Partial<StoredIntent>): StoredIntent => ({
      seq: 1,
      intent: testIntent({ orderType: OrderType.MARKET, limitPrice: undefined }),
      dryRun: false,
      createdAt: NOW,
      updatedAt: NOW,
      ...overrides,
    });

    expect(expiryOf(stored({}), SETTINGS)).toEqual(new Date('2024-01-02T00:00:05.000Z'));
    expect(expiryOf(stored({ expiresAt: new Date('2024-01-02T00:09:00Z') }), SETTINGS)).toEqual(new Date('2024-01-02T00:09:00Z'));
    expect(expiryOf(stored({ dryRun: true }), SETTINGS)).toBeUndefined();
  });
});
