import { abortableSleep } from './abortable-sleep';

describe('abortableSleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves after the delay', async () => {
    const settled = jest.fn();
    abortableSleep(1_000, new AbortController().signal).then(settled);

    await jest.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toHaveBeenCalled();
  });

  it('resolves at once on abort and leaves no timer behind', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);

    controller.abort();

    await expect(sleeping).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not wait for zero or an already aborted signal', async () => {
    const aborted = new AbortController();
    aborted.abort();

    await expect(abortableSleep(0, new AbortController().signal)).resolves.toBeUndefined();
    await expect(abortableSleep(5_000, aborted.signal)).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });
});
