import type { RateLimitClock, RateLimitTimerHandle } from './rate-limit-clock';

interface Unanswered {
  /** Limiter time the request was sent. */
  readonly sentAt: number;
  /** Position in this process's send order (ties in time are common within one millisecond). */
  readonly sendOrder: number;
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
  private nextSendOrder = 0;

  constructor(
    private readonly clock: RateLimitClock,
    private readonly holdMs: number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** The next position in the send order: take one when a request is (about to be) written. */
  takeSendOrder(): number {
    return this.nextSendOrder++;
  }

  add(sentAt: number, sendOrder: number, resolve: () => void): void {
    const entry: Unanswered = { sentAt, sendOrder, resolve };
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.finish(entry);
    }, this.holdMs);
    this.pending.add(entry);
  }

  /** A request of this process, `sendOrder`-th in the send order, was answered. */
  confirmOrder(sendOrder: number): void {
    for (const entry of [...this.pending]) {
      if (entry.sendOrder < sendOrder) this.finish(entry);
    }
  }

  /** A probe sent at limiter time `sentAt` was answered: requests sent strictly before it arrived. */
  confirm(sentAt: number): void {
    for (const entry of [...this.pending]) {
      if (entry.sentAt < sentAt) this.finish(entry);
    }
  }

  /** Drops every entry without resolving it (the ledger keeps them held until this owner lapses). */
  forgetAll(): void {
    for (const entry of this.pending) {
      if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    }
    this.pending.clear();
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
