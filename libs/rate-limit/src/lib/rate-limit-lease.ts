/**
 * How a request that took a lease ended:
 * - `answered`: the broker's answer came back (a success or an error the broker itself sent);
 * - `abandoned`: it ended without an answer (deadline, cancelled, connection lost) and may still reach
 *   the broker later, e.g. when a stalled broker resumes;
 * - `unsent`: it was certainly never sent (nothing left this process).
 */
export type LeaseOutcome = 'answered' | 'abandoned' | 'unsent';

/**
 * A granted request's slot. The broker counts a request when it arrives, somewhere between its send
 * and its answer, so the slot is occupied from the grant until the answer arrives, plus one window:
 * that covers every window the broker can count it in, however long the request was in flight.
 *
 * Settle every lease exactly once, in every path (success, error, cancel, timeout, stream end); later
 * settles are ignored. An abandoned lease keeps its slot until something proves the broker has
 * processed it: an answer to a request sent after it on the same connection, see
 * {@link RateLimiter.confirmProgress}; or, failing that, for the limiter's `unansweredHoldMs`.
 */
export interface RateLimitLease {
  readonly operation: string;
  /** Limiter time the request was sent ({@link markSent}), else the grant time. */
  readonly sentAt: number;
  readonly settled: boolean;
  /** Call right before the request is written, when that is later than the grant. */
  markSent(): void;
  settle(outcome: LeaseOutcome): void;
}
