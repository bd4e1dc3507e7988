/** Time as the worker sees it; tests substitute a clock that does not wait. */
export interface WorkerClock {
  now(): Date;
  /** Resolves after `ms`, or early (without error) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Resolves once the clock reads `instant` or later (at once if it already does), or early when the signal aborts. */
  waitUntil(instant: Date, signal?: AbortSignal): Promise<void>;
}

export const WORKER_CLOCK = Symbol('WORKER_CLOCK');

/** setTimeout's longest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const SYSTEM_CLOCK: WorkerClock = Object.freeze({
  now: () => new Date(),
  sleep,
  async waitUntil(instant: Date, signal?: AbortSignal): Promise<void> {
    // Re-reads the time after each wake-up: a timer may fire a little early, or the wait may exceed one timer.
    for (let remaining = instant.getTime() - Date.now(); remaining > 0 && !signal?.aborted; remaining = instant.getTime() - Date.now()) {
      await sleep(remaining, signal);
    }
  },
});
