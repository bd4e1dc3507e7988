import { InvalidArgumentError } from '@qts/broker-domain';

/**
 * Counts consecutive broker failures and trips after `maxConsecutiveFailures`. Tripped is latched: a
 * success that arrives afterwards (an order sent before the trip) does not clear it; only reset(),
 * an operator decision, does.
 */
export class ConsecutiveFailureGuard {
  private failures = 0;
  private trippedFlag = false;
  private lastFailureReason: string | undefined;

  constructor(readonly maxConsecutiveFailures = 3) {
    requireFailureLimit(maxConsecutiveFailures);
  }

  get tripped(): boolean {
    return this.trippedFlag;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** What the last counted failure was, for the fail-safe message and the operator. */
  get lastFailure(): string | undefined {
    return this.lastFailureReason;
  }

  recordSuccess(): void {
    if (!this.trippedFlag) {
      this.failures = 0;
      this.lastFailureReason = undefined;
    }
  }

  recordFailure(reason?: string): void {
    this.failures += 1;
    this.lastFailureReason = reason;
    if (this.failures >= this.maxConsecutiveFailures) {
      this.trippedFlag = true;
    }
  }

  reset(): void {
    this.failures = 0;
    this.trippedFlag = false;
    this.lastFailureReason = undefined;
  }
}

/** The limit itself, or InvalidArgumentError when it is not a positive integer. */
export function requireFailureLimit(maxConsecutiveFailures: number): number {
  if (!Number.isSafeInteger(maxConsecutiveFailures) || maxConsecutiveFailures < 1) {
    throw new InvalidArgumentError('maxConsecutiveFailures must be a positive integer', {
      field: 'maxConsecutiveFailures',
    });
  }
  return maxConsecutiveFailures;
}
