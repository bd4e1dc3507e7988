import type { WorkerClock } from '../src/app/processing/worker-clock';

/**
 * A clock for tests: `sleep` does not wait but moves the time forward (after letting pending work run), and records
 * every wait so tests can assert backoff schedules.
 */
export class ManualWorkerClock implements WorkerClock {
  readonly sleeps: number[] = [];
  private time: number;

  constructor(start = new Date('2024-01-02T00:00:00.000Z')) {
    this.time = start.getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
    if (!signal?.aborted) this.time += ms;
  }
}
