import { PeriodicBatchStream } from './periodic-batch-stream';

describe('PeriodicBatchStream', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2024-01-02T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('produces a batch only when asked and one interval after the previous batch: no busy loop', async () => {
    let batches = 0;
    const stream = new PeriodicBatchStream(() => [++batches], 100);
    expect(batches).toBe(0);
    expect((await stream.next()).value).toBe(1);
    // Nobody is asking: time passes without any work.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(batches).toBe(1);
    const next = stream.next();
    await jest.advanceTimersByTimeAsync(100);
    expect((await next).value).toBe(2);
    expect(batches).toBe(2);
    await stream.return();
  });

  it('serves concurrent next() calls in order', async () => {
    let batch = 0;
    const stream = new PeriodicBatchStream(() => {
      batch += 1;
      return [`${batch}a`, `${batch}b`];
    }, 50);
    const results = [stream.next(), stream.next(), stream.next()];
    await jest.advanceTimersByTimeAsync(50);
    expect((await Promise.all(results)).map((r) => r.value)).toEqual(['1a', '1b', '2a']);
    await stream.return();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps waiting (without spinning) while batches come back empty', async () => {
    let calls = 0;
    const stream = new PeriodicBatchStream<number>(() => (++calls >= 3 ? [calls] : []), 10);
    const value = stream.next();
    await jest.advanceTimersByTimeAsync(20);
    expect((await value).value).toBe(3);
    expect(calls).toBe(3);
    await stream.return();
  });

  it('rejects once when producing fails, then reports done', async () => {
    const stream = new PeriodicBatchStream<number>(() => {
      throw new Error('feed down');
    }, 10);
    await expect(stream.next()).rejects.toThrow('feed down');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('resolves a waiting next() as done when return() is called, and removes its abort listener', async () => {
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const stream = new PeriodicBatchStream(() => [1], 1_000, controller.signal);
    await stream.next();
    const waiting = stream.next();
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    expect(await stream.return()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(jest.getTimerCount()).toBe(0);
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(stream[Symbol.asyncIterator]()).toBe(stream);
  });
});
