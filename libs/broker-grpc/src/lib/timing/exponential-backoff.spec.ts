import { ExponentialBackoff } from './exponential-backoff';

describe('ExponentialBackoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset()', () => {
    const backoff = new ExponentialBackoff({ initialMs: 250, maxMs: 1_500, random: () => 0 });

    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([250, 500, 1_000, 1_500, 1_500]);
    backoff.reset();
    expect(backoff.next()).toBe(250);
  });

  it('draws each delay from [d * (1 - jitter), d]', () => {
    expect(new ExponentialBackoff({ initialMs: 200, maxMs: 200, random: () => 0.999999 }).next()).toBe(100);
    expect(new ExponentialBackoff({ initialMs: 200, maxMs: 200, jitter: 0.25, random: () => 0.5 }).next()).toBe(175);
    expect(new ExponentialBackoff({ initialMs: 200, maxMs: 200, jitter: 7, random: () => 0.5 }).next()).toBe(100);
  });

  it('uses the given multiplier', () => {
    const backoff = new ExponentialBackoff({ initialMs: 10, maxMs: 1_000, multiplier: 3, jitter: 0 });

    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([10, 30, 90]);
  });

  it('stays within bounds with the default random source', () => {
    const backoff = new ExponentialBackoff({ initialMs: 100, maxMs: 100 });

    for (let i = 0; i < 100; i++) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(100);
    }
  });

  it('refuses inconsistent bounds', () => {
    expect(() => new ExponentialBackoff({ initialMs: 500, maxMs: 100 })).toThrow(RangeError);
    expect(() => new ExponentialBackoff({ initialMs: -1, maxMs: 100 })).toThrow(RangeError);
  });
});
