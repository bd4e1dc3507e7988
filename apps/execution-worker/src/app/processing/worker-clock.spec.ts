import { SYSTEM_CLOCK } from './worker-clock';

describe('SYSTEM_CLOCK', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2024-01-02T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('tells the time and sleeps for the given time', async () => {
    expect(SYSTEM_CLOCK.now()).toEqual(new Date('2024-01-02T00:00:00Z'));
    let woke = false;
    const sleeping = SYSTEM_CLOCK.sleep(1_000).then(() => (woke = true));

    await jest.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('wakes early, without error, when the signal aborts (shutdown)', async () => {
    const controller = new AbortController();
    const sleeping = SYSTEM_CLOCK.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
    await expect(SYSTEM_CLOCK.sleep(60_000, controller.signal)).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('SYSTEM_CLOCK.waitUntil', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2024-01-02T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('wakes when the clock reaches the instant, at once for an instant already past, early on abort', async () => {
    let woke = false;
    const waiting = SYSTEM_CLOCK.waitUntil(new Date('2024-01-02T00:00:05Z')).then(() => (woke = true));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await waiting;
    expect(woke).toBe(true);

    await expect(SYSTEM_CLOCK.waitUntil(new Date('2024-01-01T00:00:00Z'))).resolves.toBeUndefined();
    const controller = new AbortController();
    const aborted = SYSTEM_CLOCK.waitUntil(new Date('2024-01-03T00:00:00Z'), controller.signal);
    controller.abort();
    await expect(aborted).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });
});
