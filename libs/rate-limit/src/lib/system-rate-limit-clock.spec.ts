import { systemRateLimitClock } from './rate-limit-clock';

describe('systemRateLimitClock', () => {
  afterEach(() => jest.useRealTimers());

  it('is monotonic', () => {
    const first = systemRateLimitClock.now();
    expect(systemRateLimitClock.now()).toBeGreaterThanOrEqual(first);
  });

  it('follows jest fake timers, which replace performance and the timer functions', () => {
    jest.useFakeTimers();
    const start = systemRateLimitClock.now();
    const fired: number[] = [];
    systemRateLimitClock.setTimeout(() => fired.push(systemRateLimitClock.now() - start), 250);
    const cleared = systemRateLimitClock.setTimeout(() => fired.push(-1), 100);
    systemRateLimitClock.clearTimeout(cleared);
    jest.advanceTimersByTime(300);
    expect(fired).toEqual([250]);
    expect(systemRateLimitClock.now() - start).toBe(300);
  });
});
