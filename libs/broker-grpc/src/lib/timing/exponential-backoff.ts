import { RandomSource } from './seeded-random';

export interface BackoffOptions {
  /** First delay, before jitter. */
  initialMs: number;
  /** Cap of the delay, before jitter. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  multiplier?: number;
  /**
   * Fraction of the delay that is randomised, in [0, 1]; default 0.5: the delay is drawn from
   * [d * (1 - jitter), d]. Jitter keeps many clients from probing a recovering server in lockstep.
   */
  jitter?: number;
  random?: RandomSource;
}

/** Delays growing exponentially from `initialMs` to `maxMs`, with jitter; `reset()` starts over. */
export class ExponentialBackoff {
  private attempt = 0;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: RandomSource;

  constructor(private readonly options: BackoffOptions) {
    if (!(options.initialMs >= 0) || !(options.maxMs >= options.initialMs)) {
      throw new RangeError('backoff needs 0 <= initialMs <= maxMs');
    }
    this.multiplier = options.multiplier ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
    this.random = options.random ?? Math.random;
  }

  /** The next delay in milliseconds (an integer). */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * this.multiplier ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
