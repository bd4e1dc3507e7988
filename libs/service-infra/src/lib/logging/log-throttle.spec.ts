import { LogThrottle, suppressedSuffix } from './log-throttle';

describe('LogThrottle', () => {
  it('admits a key once per interval and counts what it left out', () => {
    let now = 0;
    const throttle = new LogThrottle(10_000, () => now);
    expect(throttle.admit('intent-1')).toBe(0);
    now = 2_000;
    expect(throttle.admit('intent-1')).toBeUndefined();
    now = 4_000;
    expect(throttle.admit('intent-1')).toBeUndefined();
    expect(throttle.admit('intent-2')).toBe(0);
    now = 10_000;
    expect(throttle.admit('intent-1')).toBe(2);
    expect(throttle.admit('intent-1')).toBeUndefined();
  });

  it('admits a forgotten key at once, and remembers a bounded number of keys', () => {
    let now = 0;
    const throttle = new LogThrottle(10_000, () => now, 2);
    throttle.admit('a');
    throttle.forget('a');
    expect(throttle.admit('a')).toBe(0);
    throttle.admit('b');
    throttle.admit('c');
    now = 1;
    // 'a' was the oldest: forgotten to keep two keys.
    expect(throttle.admit('a')).toBe(0);
  });

  it('says how many warnings were left out', () => {
    expect(suppressedSuffix(0)).toBe('');
    expect(suppressedSuffix(1)).toBe(' (1 similar warning left out)');
    expect(suppressedSuffix(14)).toBe(' (14 similar warnings left out)');
  });
});
