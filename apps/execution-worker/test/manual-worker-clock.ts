import type { WorkerClock } from '../src/app/processing/worker-clock';

interface Waiter {
  at: number;
  wake: () => void;
}

/**
 * A clock for tests: `sleep` does not wait but moves the time forward (after letting pending work run), and records
 * every wait so tests can assert backoff schedules. `waitUntil` wakes when the time reaches its instant, by
 * `advance` or by someone's `sleep`.
 */
export class ManualWorkerClock implements WorkerClock {
  readonly sleeps: number[] = [];
  private time: number;
  private waiters: Waiter[] = [];

  constructor(start = new Date('2024-01-02T00:00:00.000Z')) {
    this.time = start.getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  advance(ms: number): void {
    this.time += ms;
    this.wakeDue();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
    if (!signal?.aborted) this.advance(ms);
  }

  waitUntil(instant: Date, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted || instant.getTime() <= this.time) return resolve();
      const waiter: Waiter = {
        at: instant.getTime(),
        wake: () => {
          this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
          resolve();
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', waiter.wake, { once: true });
    });
  }

  /** Waits that have not woken yet. */
  get pendingWaits(): number {
    return this.waiters.length;
  }

  private wakeDue(): void {
    for (const waiter of this.waiters.filter((candidate) => candidate.at <= this.time)) waiter.wake();
  }
}
