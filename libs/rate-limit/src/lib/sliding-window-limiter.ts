import { runFifoGrantPass, type QueuedDemand } from './fifo-grant-pass';
import { InMemoryRateLimitLedger } from './in-memory-rate-limit-ledger';
import type { RateLimitTimerHandle } from './rate-limit-clock';
import type { LeaseOutcome, RateLimitLease } from './rate-limit-lease';
import type { EffectiveRateLimitRule, RateLimitPriority, ResolvedCost } from './rate-limit-ledger';
import type { AcquireOptions, RateLimiterOptions } from './rate-limit-options';
import type { RateLimiterHealth, RateLimitBackendKind, RateLimitUsageSnapshot } from './rate-limit-usage';
import type { RateLimiter } from './rate-limiter';
import { resolveLimiterOptions, type ResolvedLimiterOptions } from './resolve-limiter-options';
import { UnansweredLeases } from './unanswered-leases';

/** Node's timers cannot wait longer (they fire after 1 ms instead); longer timeouts mean "no timeout". */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface Waiter extends QueuedDemand {
  readonly operation: string;
  readonly resolve: (lease: RateLimitLease | null) => void;
  timeoutHandle?: RateLimitTimerHandle;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Client-side limiter for broker rules "at most N in any window of W ms", for one process.
 *
 * - A grant holds its slot from the moment it is taken until its request's answer arrives, plus one
 *   window ({@link RateLimitLease}). The broker counts a request somewhere in between, so no window it
 *   can count in ever holds more than N, even when the broker stalls and requests queue up in front of
 *   it. A healthy broker costs only the round trip on top of the window.
 * - An idle limiter grants N at once; under load it sustains N per (window + round trip), unlike a
 *   token bucket (lets ~2N through a window) or strict 1/rate spacing (makes a burst of N wait).
 * - An operation may count against several rules (linked): it is granted on all of them at once or not.
 * - Priority operations (trading) are served before all others and may use the reserved part of each
 *   rule, which other operations never take; among themselves waiters are served FIFO per rule, and
 *   waiters on unrelated rules do not block each other.
 * - One timer, armed for the earliest moment a waiter could proceed; no polling.
 *
 * The grant decision lives in an {@link InMemoryRateLimitLedger} (pure, synchronous); this class queues.
 */
export class SlidingWindowLimiter implements RateLimiter {
  readonly name?: string;
  private readonly config: ResolvedLimiterOptions;
  private readonly ledger: InMemoryRateLimitLedger;
  private readonly backend: RateLimitBackendKind;
  /** Insertion-ordered: iteration is arrival order, deletion is O(1). Priority waiters first. */
  private readonly queues: Record<RateLimitPriority, Set<Waiter>> = { priority: new Set(), standard: new Set() };
  /** Queued waiters per rule index and priority, so "does a waiter hold this rule?" costs O(rules). */
  private readonly waitersPerRule: Record<RateLimitPriority, number[]>;
  private readonly unansweredLeases: UnansweredLeases;
  private wakeHandle: RateLimitTimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(options: RateLimiterOptions & { backend?: RateLimitBackendKind }) {
    this.config = resolveLimiterOptions(options);
    this.name = this.config.name;
    this.backend = options.backend ?? ((options.share ?? 1) < 1 ? 'split' : 'memory');
    this.ledger = new InMemoryRateLimitLedger(this.config.rules);
    this.waitersPerRule = {
      priority: this.config.rules.map(() => 0),
      standard: this.config.rules.map(() => 0),
    };
    this.unansweredLeases = new UnansweredLeases(this.config.clock, this.config.unansweredHoldMs);
  }

  /** Number of acquires waiting for a permit. */
  get waiting(): number {
    return this.queues.priority.size + this.queues.standard.size;
  }

  get unanswered(): number {
    return this.unansweredLeases.size;
  }

  /** The rules as enforced (after share and safety margin). */
  get rules(): readonly EffectiveRateLimitRule[] {
    return this.config.rules;
  }

  now(): number {
    return this.config.clock.now();
  }

  acquireLease(operation: string, options: AcquireOptions = {}): Promise<RateLimitLease | null> {
    const timeoutMs = options.timeoutMs ?? this.config.defaultTimeoutMs;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(
        new RangeError(`timeoutMs must be a non-negative number (got ${String(timeoutMs)})`),
      );
    }
    const costs = this.costsOf(operation);
    const priority = this.priorityOf(operation);
    const { signal } = options;
    if (this.closed || signal?.aborted) return Promise.resolve(null);
    const now = this.takeNow(operation, costs, priority);
    if (now) return Promise.resolve(now);
    if (timeoutMs === 0) return Promise.resolve(null);

    return new Promise<RateLimitLease | null>((resolve) => {
      const waiter: Waiter = { operation, costs, priority, resolve };
      this.enqueue(waiter);
      if (timeoutMs < MAX_TIMER_DELAY_MS) {
        waiter.timeoutHandle = this.config.clock.setTimeout(() => this.expire(waiter), timeoutMs);
      }
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          this.settleWaiter(waiter, false);
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.pump();
    });
  }

  /**
   * Resolves true once a grant for `operation` is taken, false if none could be taken within the
   * timeout (0 = only if there is room now), when the signal aborts, or when the limiter closes. The
   * grant counts from now for one window; broker calls use {@link acquireLease} instead.
   */
  async acquire(operation: string, options: AcquireOptions = {}): Promise<boolean> {
    const lease = await this.acquireLease(operation, options);
    lease?.settle('answered');
    return lease !== null;
  }

  /** A lease only if one is free now and no queued waiter is ahead on the same rules. */
  tryAcquireLease(operation: string): RateLimitLease | null {
    if (this.closed) return null;
    return this.takeNow(operation, this.costsOf(operation), this.priorityOf(operation));
  }

  /** Takes a grant counted from now, only if one is free now and no queued waiter is ahead on the same rules. */
  tryAcquire(operation: string): boolean {
    const lease = this.tryAcquireLease(operation);
    lease?.settle('answered');
    return lease !== null;
  }

  /**
   * Milliseconds until an acquire of `operation` made now would be granted, assuming the waiters ahead
   * of it are all served (none time out or abort) and requests in flight are answered now: an
   * estimate suitable for Retry-After.
   */
  estimateWaitMs(operation: string): number {
    const costs = this.costsOf(operation);
    const priority = this.priorityOf(operation);
    const now = this.config.clock.now();
    if (this.waiting > 0) this.pump();
    const ledger = this.ledger.clone(now);
    if (!this.isHeldByWaiter(costs, priority)) return Math.ceil(ledger.earliestGrantAt(costs, now, priority) - now);

    // Replay the FIFO passes on the copy with only the waiters that can affect this one.
    const probe: QueuedDemand = { costs, priority };
    const ahead = this.waitersAhead(costs, priority);
    const pending = {
      priority: new Set<QueuedDemand>(ahead.filter((w) => w.priority === 'priority')),
      standard: new Set<QueuedDemand>(ahead.filter((w) => w.priority === 'standard')),
    };
    pending[priority].add(probe);
    let at = now;
    for (;;) {
      const nextAt = runFifoGrantPass(ledger, pending, at, (granted) => {
        pending.priority.delete(granted);
        pending.standard.delete(granted);
        // Planned grants are answered at once: only the window keeps them.
        ledger.complete(granted.costs, at, granted.priority);
      });
      if (!pending[priority].has(probe)) return Math.ceil(at - now);
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
        reserved: rule.reserved,
        used,
        held: this.ledger.held(index),
        ratio: Math.min(1, used / rule.limit),
        waiters: this.waitersPerRule.priority[index] + this.waitersPerRule.standard[index],
      };
    });
    return {
      ...(this.name === undefined ? {} : { name: this.name }),
      backend: this.backend,
      ratio: Math.max(0, ...rules.map((rule) => rule.ratio)),
      waiting: this.waiting,
      unanswered: this.unanswered,
      rules,
    };
  }

  health(): RateLimiterHealth {
    return {
      backend: this.backend,
      healthy: true,
      detail: this.backend === 'split' ? 'static share of the budget, kept in this process' : 'kept in this process',
    };
  }

  confirmProgress(sentAt: number): void {
    this.unansweredLeases.confirm(sentAt);
  }

  /**
   * Pending acquires resolve null/false, timers are cleared; later acquires resolve at once with
   * nothing. Leases still out may be settled; abandoned ones are counted as answered now.
   */
  close(): void {
    this.closed = true;
    this.disarm();
    for (const waiter of [...this.queues.priority, ...this.queues.standard]) this.settleWaiter(waiter, false);
    this.unansweredLeases.resolveAll();
  }

  private costsOf(operation: string): readonly ResolvedCost[] {
    return this.config.operationCosts.get(operation) ?? this.config.defaultCosts;
  }

  private priorityOf(operation: string): RateLimitPriority {
    return this.config.priorityOperations.has(operation) ? 'priority' : 'standard';
  }

  private takeNow(operation: string, costs: readonly ResolvedCost[], priority: RateLimitPriority): RateLimitLease | null {
    // Serve due waiters first: a late timer must not let a newcomer overtake them.
    if (this.waiting > 0) this.pump();
    const now = this.config.clock.now();
    if (this.isHeldByWaiter(costs, priority) || !this.ledger.tryTake(costs, now, priority)) return null;
    return this.lease(operation, costs, priority, now);
  }

  /** Whether a queued waiter that goes before this demand shares one of its rules. */
  private isHeldByWaiter(costs: readonly ResolvedCost[], priority: RateLimitPriority): boolean {
    return costs.some(
      ({ ruleIndex }) =>
        this.waitersPerRule.priority[ruleIndex] > 0 ||
        (priority === 'standard' && this.waitersPerRule.standard[ruleIndex] > 0),
    );
  }

  /** The queued waiters that can delay a newcomer with these costs, in service order. */
  private waitersAhead(costs: readonly ResolvedCost[], priority: RateLimitPriority): Waiter[] {
    const involved = this.config.rules.map(() => false);
    for (const { ruleIndex } of costs) involved[ruleIndex] = true;
    const queued = priority === 'priority' ? [...this.queues.priority] : [...this.queues.priority, ...this.queues.standard];
    const ahead: Waiter[] = [];
    for (let i = queued.length - 1; i >= 0; i--) {
      if (!queued[i].costs.some(({ ruleIndex }) => involved[ruleIndex])) continue;
      ahead.push(queued[i]);
      for (const { ruleIndex } of queued[i].costs) involved[ruleIndex] = true;
    }
    return ahead.reverse();
  }

  private enqueue(waiter: Waiter): void {
    this.queues[waiter.priority].add(waiter);
    for (const { ruleIndex } of waiter.costs) this.waitersPerRule[waiter.priority][ruleIndex]++;
  }

  /** Removes the waiter and resolves it: with a lease already taken for it, or with nothing. */
  private settleWaiter(waiter: Waiter, granted: boolean, grantedAt?: number): void {
    if (!this.queues[waiter.priority].delete(waiter)) return;
    for (const { ruleIndex } of waiter.costs) this.waitersPerRule[waiter.priority][ruleIndex]--;
    if (waiter.timeoutHandle !== undefined) this.config.clock.clearTimeout(waiter.timeoutHandle);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(granted ? this.lease(waiter.operation, waiter.costs, waiter.priority, grantedAt as number) : null);
  }

  private expire(waiter: Waiter): void {
    waiter.timeoutHandle = undefined;
    // A permit that frees up exactly at the deadline still counts as "within the timeout".
    this.pump();
    if (this.queues[waiter.priority].has(waiter)) {
      this.settleWaiter(waiter, false);
      this.pump();
    }
  }

  private lease(
    operation: string,
    costs: readonly ResolvedCost[],
    priority: RateLimitPriority,
    grantedAt: number,
  ): RateLimitLease {
    let sentAt = grantedAt;
    let sendOrder = this.unansweredLeases.takeSendOrder();
    let settled = false;
    return {
      operation,
      get sentAt() {
        return sentAt;
      },
      get settled() {
        return settled;
      },
      markSent: () => {
        if (settled) return;
        sentAt = this.config.clock.now();
        sendOrder = this.unansweredLeases.takeSendOrder();
      },
      settle: (outcome: LeaseOutcome) => {
        if (settled) return;
        settled = true;
        this.settleLease(costs, priority, sentAt, sendOrder, outcome);
      },
    };
  }

  private settleLease(
    costs: readonly ResolvedCost[],
    priority: RateLimitPriority,
    sentAt: number,
    sendOrder: number,
    outcome: LeaseOutcome,
  ): void {
    switch (outcome) {
      case 'answered':
        this.ledger.complete(costs, this.config.clock.now(), priority);
        // The broker answered this request: it has read everything sent before it on the connection.
        this.unansweredLeases.confirmOrder(sendOrder);
        break;
      case 'unsent':
        this.ledger.cancel(costs, priority);
        break;
      case 'abandoned':
        this.unansweredLeases.add(sentAt, sendOrder, () => {
          this.ledger.complete(costs, this.config.clock.now(), priority);
          this.pump();
        });
        return;
    }
    this.pump();
  }

  /** Grants what can be granted now and arms the single wake-up timer for the next possibility. */
  private pump(): void {
    if (this.closed || this.waiting === 0) {
      this.disarm();
      return;
    }
    const now = this.config.clock.now();
    const nextAt = runFifoGrantPass(this.ledger, this.queues, now, (waiter) => this.settleWaiter(waiter, true, now));
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
