import { runFifoGrantPass, type QueuedDemand } from './fifo-grant-pass';
import { InMemoryRateLimitLedger } from './in-memory-rate-limit-ledger';
import type { RateLimitTimerHandle } from './rate-limit-clock';
import type { EffectiveRateLimitRule, RateLimitLedger, ResolvedCost } from './rate-limit-ledger';
import type { AcquireOptions, RateLimiterOptions } from './rate-limit-options';
import type { RateLimitUsageSnapshot } from './rate-limit-usage';
import { resolveLimiterOptions, type ResolvedLimiterOptions } from './resolve-limiter-options';

/** Node's timers cannot wait longer (they fire after 1 ms instead); longer timeouts mean "no timeout". */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface Waiter extends QueuedDemand {
  readonly resolve: (granted: boolean) => void;
  timeoutHandle?: RateLimitTimerHandle;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Client-side limiter for broker rules "at most N in any window of W ms" (sliding-window log).
 *
 * - Never more than the effective limit in any window of the (padded) window length, on any rule.
 * - An idle limiter grants N at once; under load it sustains N per window (a grant is replaced the
 *   moment it leaves the window), unlike a token bucket (lets ~2N through a window) or strict 1/rate
 *   spacing (makes a burst of N wait a whole window).
 * - An operation may count against several rules (linked): it is granted on all of them at once or not.
 * - Waiters are served FIFO per rule; waiters on unrelated rules do not block each other.
 * - One timer, armed for the earliest moment a waiter could proceed; no polling.
 *
 * The grant decision lives in a {@link RateLimitLedger} (pure, synchronous); this class only queues.
 */
export class SlidingWindowLimiter {
  readonly name?: string;
  private readonly config: ResolvedLimiterOptions;
  private readonly ledger: RateLimitLedger;
  /** Insertion-ordered: iteration is arrival order, deletion is O(1). */
  private readonly queue = new Set<Waiter>();
  /** Queued waiters per rule index, so "does a waiter hold this rule?" costs O(rules). */
  private readonly waitersPerRule: number[];
  private wakeHandle: RateLimitTimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(options: RateLimiterOptions) {
    this.config = resolveLimiterOptions(options);
    this.name = this.config.name;
    this.ledger = new InMemoryRateLimitLedger(this.config.rules);
    this.waitersPerRule = this.config.rules.map(() => 0);
  }

  /** Number of acquires waiting for a permit. */
  get waiting(): number {
    return this.queue.size;
  }

  /** The rules as enforced (after share and safety margin). */
  get rules(): readonly EffectiveRateLimitRule[] {
    return this.config.rules;
  }

  /**
   * Resolves true once a permit for `operation` is taken, false if none could be taken within the
   * timeout (0 = only if there is room now), when the signal aborts, or when the limiter closes.
   */
  acquire(operation: string, options: AcquireOptions = {}): Promise<boolean> {
    const timeoutMs = options.timeoutMs ?? this.config.defaultTimeoutMs;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(
        new RangeError(`timeoutMs must be a non-negative number (got ${String(timeoutMs)})`),
      );
    }
    const costs = this.costsOf(operation);
    const { signal } = options;
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    if (this.takeNow(costs)) return Promise.resolve(true);
    if (timeoutMs === 0) return Promise.resolve(false);

    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { costs, resolve };
      this.enqueue(waiter);
      if (timeoutMs < MAX_TIMER_DELAY_MS) {
        waiter.timeoutHandle = this.config.clock.setTimeout(() => this.expire(waiter), timeoutMs);
      }
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          this.settle(waiter, false);
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.pump();
    });
  }

  /** Takes a permit only if one is free now and no queued waiter is ahead on the same rules. */
  tryAcquire(operation: string): boolean {
    const costs = this.costsOf(operation);
    return !this.closed && this.takeNow(costs);
  }

  /**
   * Milliseconds until an acquire of `operation` made now would be granted, assuming the waiters ahead
   * of it are all served (none time out or abort): an upper estimate, suitable for Retry-After.
   */
  estimateWaitMs(operation: string): number {
    const costs = this.costsOf(operation);
    const now = this.config.clock.now();
    if (this.queue.size > 0) this.pump();
    if (!this.isHeldByWaiter(costs)) return Math.ceil(this.ledger.earliestGrantAt(costs, now) - now);

    // Replay the FIFO passes on a copy of the ledger with only the waiters that can affect this one.
    const probe: QueuedDemand = { costs };
    const pending = new Set<QueuedDemand>([...this.waitersAhead(costs), probe]);
    const ledger = this.ledger.clone();
    let at = now;
    for (;;) {
      const nextAt = runFifoGrantPass(ledger, pending, at, (granted) => pending.delete(granted));
      if (!pending.has(probe)) return Math.ceil(at - now);
      /* istanbul ignore if -- weights are validated to fit, so a queued demand always becomes grantable */
      if (!Number.isFinite(nextAt)) return Number.POSITIVE_INFINITY;
      at = nextAt;
    }
  }

  usage(): RateLimitUsageSnapshot {
    const now = this.config.clock.now();
    const rules = this.config.rules.map((rule, index) => {
      const used = this.ledger.used(index, now);
      return {
        ruleId: rule.id,
        limit: rule.limit,
        configuredLimit: rule.configuredLimit,
        windowMs: rule.configuredWindowMs,
        effectiveWindowMs: rule.windowMs,
        used,
        ratio: Math.min(1, used / rule.limit),
        waiters: this.waitersPerRule[index],
      };
    });
    return {
      ...(this.name === undefined ? {} : { name: this.name }),
      ratio: Math.max(0, ...rules.map((rule) => rule.ratio)),
      waiting: this.queue.size,
      rules,
    };
  }

  /** Pending acquires resolve false, timers are cleared; later acquires resolve false at once. */
  close(): void {
    this.closed = true;
    this.disarm();
    for (const waiter of [...this.queue]) this.settle(waiter, false);
  }

  private costsOf(operation: string): readonly ResolvedCost[] {
    return this.config.operationCosts.get(operation) ?? this.config.defaultCosts;
  }

  private takeNow(costs: readonly ResolvedCost[]): boolean {
    // Serve due waiters first: a late timer must not let a newcomer overtake them.
    if (this.queue.size > 0) this.pump();
    return !this.isHeldByWaiter(costs) && this.ledger.tryTake(costs, this.config.clock.now());
  }

  private isHeldByWaiter(costs: readonly ResolvedCost[]): boolean {
    return costs.some(({ ruleIndex }) => this.waitersPerRule[ruleIndex] > 0);
  }

  /** The queued waiters that can delay a newcomer with these costs, in arrival order. */
  private waitersAhead(costs: readonly ResolvedCost[]): Waiter[] {
    const involved = this.config.rules.map(() => false);
    for (const { ruleIndex } of costs) involved[ruleIndex] = true;
    const queued = [...this.queue];
    const ahead: Waiter[] = [];
    for (let i = queued.length - 1; i >= 0; i--) {
      if (!queued[i].costs.some(({ ruleIndex }) => involved[ruleIndex])) continue;
      ahead.push(queued[i]);
      for (const { ruleIndex } of queued[i].costs) involved[ruleIndex] = true;
    }
    return ahead.reverse();
  }

  private enqueue(waiter: Waiter): void {
    this.queue.add(waiter);
    for (const { ruleIndex } of waiter.costs) this.waitersPerRule[ruleIndex]++;
  }

  private settle(waiter: Waiter, granted: boolean): void {
    if (!this.queue.delete(waiter)) return;
    for (const { ruleIndex } of waiter.costs) this.waitersPerRule[ruleIndex]--;
    if (waiter.timeoutHandle !== undefined) this.config.clock.clearTimeout(waiter.timeoutHandle);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(granted);
  }

  private expire(waiter: Waiter): void {
    waiter.timeoutHandle = undefined;
    // A permit that frees up exactly at the deadline still counts as "within the timeout".
    this.pump();
    if (this.queue.has(waiter)) {
      this.settle(waiter, false);
      this.pump();
    }
  }

  /** Grants what can be granted now and arms the single wake-up timer for the next possibility. */
  private pump(): void {
    if (this.closed) return;
    const now = this.config.clock.now();
    const nextAt = runFifoGrantPass(this.ledger, this.queue, now, (waiter) => this.settle(waiter, true));
    if (nextAt === this.wakeAt) return;
    this.disarm();
    if (!Number.isFinite(nextAt)) return;
    this.wakeAt = nextAt;
    // Round up: waking a fraction of a millisecond early would only re-arm the timer.
    const delayMs = Math.min(Math.ceil(nextAt - now), MAX_TIMER_DELAY_MS);
    this.wakeHandle = this.config.clock.setTimeout(() => {
      this.wakeHandle = undefined;
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, delayMs);
  }

  private disarm(): void {
    if (this.wakeHandle !== undefined) this.config.clock.clearTimeout(this.wakeHandle);
    this.wakeHandle = undefined;
    this.wakeAt = Number.POSITIVE_INFINITY;
  }
}
