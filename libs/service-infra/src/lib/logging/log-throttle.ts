/**
 * Rate limit of a repeated warning: the first occurrence of a key is logged, then at most one per `intervalMs`,
 * saying how many were left out meanwhile. For conditions that persist and are looked at over and over (an order the
 * broker no longer knows, a broker that does not answer a reconciliation), so that the log shows the condition and
 * its duration instead of one line per look.
 */
/** How often a persisting condition is logged again: often enough to see it lasts, rarely enough to stay readable. */
export const REPEATED_WARNING_INTERVAL_MS = 10 * 60_000;

export class LogThrottle {
  private readonly seen = new Map<string, { loggedAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number = REPEATED_WARNING_INTERVAL_MS,
    private readonly now: () => number = Date.now,
    /** Keys remembered at most; the oldest is forgotten first. */
    private readonly maxKeys = 10_000,
  ) {}

  /**
   * Whether to log the occurrence of `key` now. Returns undefined to stay quiet, otherwise the number of occurrences
   * left out since the last line (0 the first time).
   */
  admit(key: string): number | undefined {
    const now = this.now();
    const entry = this.seen.get(key);
    if (entry !== undefined && now - entry.loggedAt < this.intervalMs) {
      entry.suppressed += 1;
      return undefined;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.seen.delete(key);
    this.seen.set(key, { loggedAt: now, suppressed: 0 });
    if (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value as string);
    return suppressed;
  }

  /** The condition of `key` is over: its next occurrence is logged at once. */
  forget(key: string): void {
    this.seen.delete(key);
  }
}

/** " (N similar warnings left out)" for a suppressed count above 0, else ''. */
export function suppressedSuffix(suppressed: number): string {
  return suppressed > 0 ? ` (${suppressed} similar warning${suppressed === 1 ? '' : 's'} left out)` : '';
}
