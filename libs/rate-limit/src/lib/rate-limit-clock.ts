/** Opaque handle of a timer armed by a {@link RateLimitClock}. */
export type RateLimitTimerHandle = unknown;

/**
 * Time source and timers of a limiter. `now()` must be monotonic (wall-clock jumps would open or close
 * windows early), which is why the default reads `performance.now()` rather than `Date.now()`.
 */
export interface RateLimitClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): RateLimitTimerHandle;
  clearTimeout(handle: RateLimitTimerHandle): void;
}

/**
 * The process clock. Globals are read on every call (not captured at import) so that jest fake timers,
 * which replace `performance` and the timer functions, drive limiters built with the default clock.
 */
export const systemRateLimitClock: RateLimitClock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
