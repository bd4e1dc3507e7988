import type { RateLimitClock, RateLimitTimerHandle } from './rate-limit-clock';

interface ManualTimer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock for tests: time moves only when advanced. Timers fire in time order (ties in the order they
 * were armed), each at its own time, and pending promise callbacks run after each one, so code that
 * awaits an acquire sees the `now()` at which it was granted. An alternative to jest fake timers; do
 * not combine the two (it lets promise callbacks run through the real `setImmediate`).
 */
export class ManualRateLimitClock implements RateLimitClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): RateLimitTimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + (delayMs > 0 ? delayMs : 0), callback });
    return id;
  }

  clearTimeout(handle: RateLimitTimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  /** Fires every timer due up to `timeMs` (including timers they arm), then sets the time to `timeMs`. */
  async advanceTo(timeMs: number): Promise<void> {
    await settlePromiseCallbacks();
    for (let next = this.nextDue(timeMs); next; next = this.nextDue(timeMs)) {
      this.timers.delete(next.id);
      this.current = Math.max(this.current, next.timer.at);
      next.timer.callback();
      await settlePromiseCallbacks();
    }
    this.current = Math.max(this.current, timeMs);
  }

  private nextDue(limitMs: number): { id: number; timer: ManualTimer } | undefined {
    let due: { id: number; timer: ManualTimer } | undefined;
    // Map iteration is in arming order, so `<` keeps the earliest-armed of equal times.
    for (const [id, timer] of this.timers) {
      if (timer.at <= limitMs && (!due || timer.at < due.timer.at)) due = { id, timer };
    }
    return due;
  }
}

function settlePromiseCallbacks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
