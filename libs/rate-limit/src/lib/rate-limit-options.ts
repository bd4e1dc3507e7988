import type { RateLimitClock } from './rate-limit-clock';

/** A broker rule: at most `limit` request weights in any window of `windowMs` milliseconds. */
export interface RateLimitRule {
  id: string;
  limit: number;
  windowMs: number;
}

/** One rule an operation counts against; an operation listing several rules is linked across them. */
export interface OperationCost {
  rule: string;
  /** Positive integer, default 1. */
  weight?: number;
}

export interface RateLimitSafetyMargin {
  /** Fraction of each rule's limit held back, in [0, 1): effective limit = floor(limit * (1 - ratio)), min 1. */
  ratio?: number;
  /**
   * Milliseconds added to every window. Not needed for network delay: a grant is counted from the
   * moment its request leaves until its answer arrives, plus the window. Use it for a broker whose
   * clock or counting is known to be coarser than its stated window.
   */
  ms?: number;
}

export interface RateLimiterOptions {
  /** E.g. the broker id; used in error messages and usage snapshots. */
  name?: string;
  rules: RateLimitRule[];
  /** Operation name -> the rules it counts against. */
  operations?: Record<string, OperationCost[]>;
  /** Costs of operations not listed in `operations`; default: weight 1 on every rule. */
  defaultCosts?: OperationCost[];
  safetyMargin?: RateLimitSafetyMargin;
  /** This limiter's share of the broker budget, in (0, 1], when the budget is split statically. */
  share?: number;
  /**
   * Operations served before all others and allowed to use the reserved part of every rule (trading:
   * placing, cancelling and looking up orders). Default: none.
   */
  priorityOperations?: string[];
  /**
   * Part of each rule's limit, in [0, 1), that only `priorityOperations` may use:
   * floor(limit * priorityReserve) weights per window. Default 0.
   */
  priorityReserve?: number;
  /** At most this many requests in flight at once (granted, not yet answered). Default: bounded by the rules alone. */
  maxInFlight?: number;
  /**
   * How long a request that ended without an answer (deadline, cancel, lost connection) keeps its slot
   * when nothing proves the broker has processed it. Default 60 000 ms.
   */
  unansweredHoldMs?: number;
  /** Monotonic time source and timers; defaults to performance.now() and the global timers. */
  clock?: RateLimitClock;
  /** Timeout of `acquire` when the caller gives none; default 30_000 ms. */
  defaultTimeoutMs?: number;
}

export interface AcquireOptions {
  /** 0 = fail at once when there is no room; Infinity = wait until granted, aborted or closed. */
  timeoutMs?: number;
  signal?: AbortSignal;
}
