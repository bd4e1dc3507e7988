import { abortableDelay } from './abortable-delay';

describe('abortableDelay', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves true once the delay elapsed', async () => {
    const delay = abortableDelay(100);
    let result: boolean | undefined;
    void delay.promise.then((value) => (result = value));

    await jest.advanceTimersByTimeAsync(99);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
  });

  it('resolves false early when the signal aborts, and clears its timer', async () => {
    const controller = new AbortController();
    const delay = abortableDelay(10_000, controller.signal);

    controller.abort();

    await expect(delay.promise).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves false at once for an already aborted signal', async () => {
    await expect(abortableDelay(10_000, AbortSignal.abort()).promise).resolves.toBe(false);
  });

  it('resolves false early when woken', async () => {
    const delay = abortableDelay(10_000);

    delay.wake();

    await expect(delay.promise).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});
