import type { LeaseOutcome, RateLimitLease } from '@qts/rate-limit';
import { RateLimitPermits } from '../src/lib/gateway/rate-limit-permits';

/** A lease that records how it was settled. */
export class RecordedLease implements RateLimitLease {
  outcome: LeaseOutcome | undefined;
  sentAt: number;
  sends = 0;
  confirmed = false;

  constructor(
    readonly operation: string,
    private readonly limiter: RecordingLimiter,
  ) {
    this.sentAt = limiter.now();
  }

  get settled(): boolean {
    return this.outcome !== undefined;
  }

  markSent(): void {
    this.sends++;
    this.sentAt = this.limiter.now();
  }

  settle(outcome: LeaseOutcome): void {
    if (this.outcome === undefined) this.outcome = outcome;
  }
}

/**
 * A limiter that grants (or refuses) every lease and records which operations asked and how each
 * lease ended, so tests can check that every call settles its lease in every path.
 */
export class RecordingLimiter implements RateLimitPermits {
  readonly acquired: string[] = [];
  readonly timeouts: (number | undefined)[] = [];
  readonly leases: RecordedLease[] = [];
  /** sentAt of every confirmProgress call (health checks answered). */
  readonly confirmations: number[] = [];
  grant = true;
  waitEstimateMs = 750;
  private time = 0;

  async acquireLease(operation: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<RateLimitLease | null> {
    this.acquired.push(operation);
    this.timeouts.push(options.timeoutMs);
    if (!this.grant) return null;
    const lease = new RecordedLease(operation, this);
    this.leases.push(lease);
    return lease;
  }

  estimateWaitMs(): number {
    return this.waitEstimateMs;
  }

  /** A logical clock: every reading is later than the one before. */
  now(): number {
    return ++this.time;
  }

  confirmProgress(sentAt: number): void {
    this.confirmations.push(sentAt);
    for (const lease of this.leases) {
      if (lease.outcome === 'abandoned' && lease.sentAt < sentAt) lease.confirmed = true;
    }
  }

  get unanswered(): number {
    return this.leases.filter((lease) => lease.outcome === 'abandoned' && !lease.confirmed).length;
  }

  count(operation: string): number {
    return this.acquired.filter((name) => name === operation).length;
  }

  /** How the leases of `operation` ended, in order (undefined: not settled). */
  outcomes(operation?: string): (LeaseOutcome | undefined)[] {
    return this.leases.filter((lease) => operation === undefined || lease.operation === operation).map((lease) => lease.outcome);
  }
}
