import { SlidingWindowCounter } from './sliding-window-counter';

describe('SlidingWindowCounter (broker-side violation detection)', () => {
  it('allows 20 arrivals in a second under a 20/s rule and flags the 21st', () => {
    const counter = new SlidingWindowCounter({ limit: 20, windowMs: 1000 });
    for (let i = 0; i < 20; i++) expect(counter.record(i * 10).allowed).toBe(true);
    expect(counter.record(500)).toEqual({ allowed: false, used: 20, retryAfterMs: 500 });
  });

  it('counts only the last window: an arrival exactly one window after the oldest is allowed', () => {
    const counter = new SlidingWindowCounter({ limit: 2, windowMs: 1000 });
    counter.record(0);
    counter.record(600);
    expect(counter.record(999).allowed).toBe(false);
    expect(counter.record(1000)).toEqual({ allowed: true, used: 2, retryAfterMs: 0 });
    expect(counter.used(1600)).toBe(1);
  });

  it('flags a 2-a-second burst spread across a fixed second boundary that a token bucket would allow', () => {
    // KIS paper: 2 per second. Two arrivals at 0.9 s and two at 1.1 s are 4 within 0.2 s.
    const counter = new SlidingWindowCounter({ limit: 2, windowMs: 1000 });
    expect([900, 901, 1100, 1101].map((at) => counter.record(at).allowed)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('counts weights and does not charge rejected arrivals', () => {
    const counter = new SlidingWindowCounter({ limit: 5, windowMs: 1000 });
    expect(counter.record(0, 4).allowed).toBe(true);
    expect(counter.record(10, 2)).toEqual({ allowed: false, used: 4, retryAfterMs: 990 });
    expect(counter.record(20, 1)).toEqual({ allowed: true, used: 5, retryAfterMs: 0 });
    expect(counter.record(30, 6).retryAfterMs).toBe(Infinity);
  });

  it('exposes its rule', () => {
    const counter = new SlidingWindowCounter({ limit: 60, windowMs: 15_000 });
    expect([counter.limit, counter.windowMs]).toEqual([60, 15_000]);
  });
});
