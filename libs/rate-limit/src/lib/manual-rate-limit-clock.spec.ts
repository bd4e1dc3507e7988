import { ManualRateLimitClock } from './manual-rate-limit-clock';

describe('ManualRateLimitClock', () => {
  it('fires timers in time order, ties in arming order, each at its own time', async () => {
    const clock = new ManualRateLimitClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`late@${clock.now()}`), 50);
    await clock.advanceBy(30);
    expect(fired).toEqual(['a@110', 'b@120', 'c@120']);
    expect(clock.now()).toBe(130);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers armed by timers when they fall due within the advance', async () => {
    const clock = new ManualRateLimitClock();
    const fired: number[] = [];
    const tick = (): void => {
      fired.push(clock.now());
      if (fired.length < 5) clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 0);
    await clock.advanceTo(25);
    expect(fired).toEqual([0, 10, 20]);
  });

  it('runs promise callbacks after each timer, at that timer`s time', async () => {
    const clock = new ManualRateLimitClock();
    const seen: number[] = [];
    for (const delay of [5, 15]) {
      new Promise<void>((resolve) => clock.setTimeout(resolve, delay)).then(() => seen.push(clock.now()));
    }
    await clock.advanceTo(100);
    expect(seen).toEqual([5, 15]);
  });

  it('does not fire a cleared timer, and treats negative delays as 0', async () => {
    const clock = new ManualRateLimitClock();
    const fired: string[] = [];
    const handle = clock.setTimeout(() => fired.push('cleared'), 5);
    clock.setTimeout(() => fired.push('now'), -5);
    clock.clearTimeout(handle);
    await clock.advanceBy(10);
    expect(fired).toEqual(['now']);
  });

  it('never moves time backwards', async () => {
    const clock = new ManualRateLimitClock(50);
    await clock.advanceTo(10);
    expect(clock.now()).toBe(50);
  });
});
