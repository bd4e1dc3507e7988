import type { RateLimitClock, RateLimitTimerHandle } from './rate-limit-clock';

interface Unanswered {
  readonly sentAt: number;
  readonly resolve: () => void;
  timer?: RateLimitTimerHandle;
}

/**
 * Requests that ended without an answer, each keeping its slot until the broker has provably
 * processed it: an answer to any request sent after it on the same connection proves it (the broker
 * reads one connection in order), or the hold limit passes. Then `resolve` counts it as answered at
 * that moment, so it still occupies one more window.
 */
export class UnansweredLeases {
  private readonly pending = new Set<Unanswered>();

  constructor(
    private readonly clock: RateLimitClock,
    private readonly holdMs: number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(sentAt: number, resolve: () => void): void {
    const entry: Unanswered = { sentAt, resolve };
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.finish(entry);
    }, this.holdMs);
    this.pending.add(entry);
  }

  /** An answer arrived to a request sent at `sentAt`: everything sent before it has been processed. */
  confirm(sentAt: number): void {
    for (const entry of [...this.pending]) {
      if (entry.sentAt < sentAt) this.finish(entry);
    }
  }

  /** Resolves every entry now (closing). */
  resolveAll(): void {
    for (const entry of [...this.pending]) this.finish(entry);
  }

  private finish(entry: Unanswered): void {
    if (!this.pending.delete(entry)) return;
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    entry.resolve();
  }
}
