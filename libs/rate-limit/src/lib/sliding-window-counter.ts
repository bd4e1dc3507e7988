import { SlidingWindowLog } from './sliding-window-log';

export interface SlidingWindowCounterOptions {
  /** At most this much weight in any window of `windowMs`, exactly as the broker states it. */
  limit: number;
  windowMs: number;
}

export interface SlidingWindowArrival {
  /** False when the arrival would exceed the limit: answer it as the broker would (e.g. EGW00201). */
  allowed: boolean;
  /** Weight admitted in the window ending now, including this arrival when allowed. */
  used: number;
  /** 0 when allowed; otherwise how long until this weight would have fitted. */
  retryAfterMs: number;
}

/**
 * Server-side violation detector (for the JTS simulator): the same sliding-window log the limiter
 * uses, without share, padding or margin, so it answers exactly like a broker enforcing "at most N in
 * any window of W ms". Only admitted arrivals are counted: a rejected request occupies no budget, so
 * memory stays bounded by `limit` entries even under a flood.
 */
export class SlidingWindowCounter {
  private readonly log: SlidingWindowLog;

  constructor(options: SlidingWindowCounterOptions) {
    this.log = new SlidingWindowLog(options.limit, options.windowMs);
  }

  get limit(): number {
    return this.log.limit;
  }

  get windowMs(): number {
    return this.log.windowMs;
  }

  record(now: number, weight = 1): SlidingWindowArrival {
    if (this.log.hasRoom(weight, now)) {
      this.log.add(weight, now);
      return { allowed: true, used: this.log.used(now), retryAfterMs: 0 };
    }
    return {
      allowed: false,
      used: this.log.used(now),
      retryAfterMs: this.log.earliestRoomAt(weight, now) - now,
    };
  }

  used(now: number): number {
    return this.log.used(now);
  }
}
