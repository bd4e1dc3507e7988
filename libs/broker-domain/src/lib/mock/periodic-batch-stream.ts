/**
 * An async iterator that yields a batch of values at once, then a new batch every `intervalMs`, until the
 * signal aborts or the consumer calls return(). Written by hand rather than as an async generator so
 * that return() and abort take effect immediately even while a next() is waiting on the timer: the timer
 * is cleared and the waiting next() resolves as done. Batches are produced on demand, so a slow consumer
 * causes no backlog and nothing ticks while nobody asks.
 */
export class PeriodicBatchStream<T> implements AsyncIterableIterator<T> {
  private buffer: T[] = [];
  private produced = false;
  private finished = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly produce: () => T[],
    private readonly intervalMs: number,
    private readonly signal?: AbortSignal,
  ) {
    if (signal?.aborted) {
      this.finished = true;
    } else {
      signal?.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  next(): Promise<IteratorResult<T, undefined>> {
    // Serialise concurrent next() calls so each gets its own value in order.
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async pull(): Promise<IteratorResult<T, undefined>> {
    while (!this.finished) {
      if (this.buffer.length > 0) {
        return { value: this.buffer.shift() as T, done: false };
      }
      if (this.produced) {
        await this.sleep();
        if (this.finished) {
          break;
        }
      }
      this.produced = true;
      try {
        this.buffer = this.produce();
      } catch (error) {
        this.finish();
        throw error;
      }
    }
    return { value: undefined, done: true };
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      }, this.intervalMs);
    });
  }

  private readonly onAbort = (): void => {
    this.finish();
  };

  private finish(): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.buffer = [];
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
