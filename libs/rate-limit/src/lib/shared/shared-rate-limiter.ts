import type { RateLimitTimerHandle } from '../rate-limit-clock';
import type { LeaseOutcome, RateLimitLease } from '../rate-limit-lease';
import type { EffectiveRateLimitRule, RateLimitPriority, ResolvedCost } from '../rate-limit-ledger';
import type { AcquireOptions, RateLimiterOptions } from '../rate-limit-options';
import type { RateLimiterHealth, RateLimitUsageSnapshot } from '../rate-limit-usage';
import type { RateLimiter } from '../rate-limiter';
import { resolveLimiterOptions, type ResolvedLimiterOptions } from '../resolve-limiter-options';
import { UnansweredLeases } from '../unanswered-leases';
import type {
  LedgerCost,
  LedgerRuleUsage,
  LedgerTakeResult,
  SharedLedgerOwner,
  SharedRateLimitLedger,
} from './shared-rate-limit-ledger';

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
export const DEFAULT_HEARTBEAT_MS = 1_000;
/** Waits between attempts while the ledger cannot be reached. */
const FAILURE_BACKOFF_MS = { initial: 100, max: 1_000 };

export interface SharedRateLimiterOptions extends RateLimiterOptions {
  /** The ledger shared with the other processes, built for this limiter's broker. */
  ledger: SharedRateLimitLedger;
  owner: SharedLedgerOwner;
  /** How often this process proves it is alive and reads usage. Default 1 s. */
  heartbeatMs?: number;
  /** Told when the ledger becomes unreachable (grants stop: fail closed) and when it is back. */
  onHealthChange?: (health: RateLimiterHealth) => void;
}

interface SharedWaiter {
  readonly operation: string;
  readonly costs: readonly ResolvedCost[];
  readonly ledgerCosts: readonly LedgerCost[];
  readonly priority: RateLimitPriority;
  readonly ticketId: string;
  readonly resolve: (lease: RateLimitLease | null) => void;
  /** Whether it was ever offered to the ledger (and so may hold a ticket there). */
  attempted: boolean;
  timeoutHandle?: RateLimitTimerHandle;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** What this process accounts for, to put back if the ledger loses its data. */
interface MirroredGrant {
  readonly costs: readonly LedgerCost[];
  readonly priority: RateLimitPriority;
  /** Ledger time the answer was recorded; undefined while in flight (or its completion is pending). */
  answeredAt?: number;
}

interface Sleep {
  timer?: RateLimitTimerHandle;
  wake: () => void;
}

/**
 * The limiter of one process over a ledger shared with other processes (a SQLite file on one host,
 * or Redis): one budget per broker for every gateway and worker, so an idle process leaves nothing
 * unused and no number of replicas adds up past the broker's limit.
 *
 * - Waiters queue here per class (trading first), FIFO; only the head of each class talks to the
 *   ledger. A head that cannot be granted holds a ticket there: across processes, a request is only
 *   granted when no older ticket of its class (and no trading ticket) shares one of its rules, so the
 *   longest-waiting head is served first and each process can overtake it at most once (see
 *   docs/operations.md). A head sleeps until the earliest grant time the ledger computed, or until a
 *   wake-up from a release by any process: no polling.
 * - Leases have the in-memory limiter's semantics; abandoned ones stay held in the ledger until this
 *   process sees proof the broker processed them, or until its liveness lapses if it dies.
 * - Fail closed: while the ledger cannot be reached nothing is granted; acquires wait until their
 *   timeout and then get nothing (callers answer 429). Outcomes that could not be written are kept
 *   and written when the ledger is back, without a restart; a ledger that lost its data (a restarted
 *   Redis) gets this process's grants back.
 */
export class SharedRateLimiter implements RateLimiter {
  readonly name?: string;
  private readonly config: ResolvedLimiterOptions;
  private readonly ledger: SharedRateLimitLedger;
  private readonly owner: SharedLedgerOwner;
  private readonly heartbeatMs: number;
  private readonly ticketTtlMs: number;
  private readonly onHealthChange?: (health: RateLimiterHealth) => void;
  private readonly queues: Record<RateLimitPriority, Set<SharedWaiter>> = {
    priority: new Set(),
    standard: new Set(),
  };
  private readonly driving: Record<RateLimitPriority, boolean> = { priority: false, standard: false };
  private readonly sleeps: Record<RateLimitPriority, Sleep | undefined> = {
    priority: undefined,
    standard: undefined,
  };
  private readonly unansweredLeases: UnansweredLeases;
  private readonly grants = new Map<string, MirroredGrant>();
  /** Outcomes not yet written to the ledger (it was unreachable). */
  private readonly pendingOutcomes = new Map<string, 'answered' | 'unsent'>();
  /** Attempts whose outcome is unknown (the ledger did not answer): given back unused when it is back. */
  private readonly orphans = new Set<string>();
  private readonly unsubscribe: () => void;
  private usageByRule = new Map<string, LedgerRuleUsage>();
  private epoch: string | undefined;
  private needsRestore = false;
  private restoring: Promise<void> | undefined;
  private heartbeatTimer: RateLimitTimerHandle | undefined;
  private reachable = false;
  private lastError = 'not reached yet';
  private lastContactAt: number | undefined;
  private failures = 0;
  private nextLeaseNumber = 0;
  private closed = false;

  constructor(options: SharedRateLimiterOptions) {
    this.config = resolveLimiterOptions(options);
    this.name = this.config.name;
    this.ledger = options.ledger;
    this.owner = options.owner;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (!(this.heartbeatMs > 0) || this.heartbeatMs * 2 >= this.owner.ownerTtlMs) {
      throw new RangeError(
        `heartbeatMs must be positive and less than half the owner TTL (${this.owner.ownerTtlMs} ms)`,
      );
    }
    this.ticketTtlMs = this.owner.ownerTtlMs;
    this.onHealthChange = options.onHealthChange;
    this.unansweredLeases = new UnansweredLeases(this.config.clock, this.config.unansweredHoldMs);
    this.unsubscribe = this.ledger.onWake(() => this.pokeAll());
    this.beat();
  }

  get waiting(): number {
    return this.queues.priority.size + this.queues.standard.size;
  }

  get unanswered(): number {
    return this.unansweredLeases.size;
  }

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
    const { signal } = options;
    if (this.closed || signal?.aborted) return Promise.resolve(null);
    const costs = this.config.operationCosts.get(operation) ?? this.config.defaultCosts;
    const priority: RateLimitPriority = this.config.priorityOperations.has(operation)
      ? 'priority'
      : 'standard';
    return new Promise<RateLimitLease | null>((resolve) => {
      const waiter: SharedWaiter = {
        operation,
        costs,
        ledgerCosts: this.ledgerCosts(costs),
        priority,
        ticketId: this.newId(),
        resolve,
        attempted: false,
      };
      this.queues[priority].add(waiter);
      // timeoutMs 0: one attempt at the ledger (when it is this waiter's turn), then nothing.
      if (timeoutMs === 0) waiter.timeoutHandle = ZERO_TIMEOUT;
      else if (timeoutMs < MAX_TIMER_DELAY_MS) {
        waiter.timeoutHandle = this.config.clock.setTimeout(() => this.giveUp(waiter), timeoutMs);
      }
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => this.giveUp(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.drive(priority);
    });
  }

  async acquire(operation: string, options: AcquireOptions = {}): Promise<boolean> {
    const lease = await this.acquireLease(operation, options);
    lease?.settle('answered');
    return lease !== null;
  }

  async estimateWaitMs(operation: string): Promise<number> {
    const costs = this.config.operationCosts.get(operation) ?? this.config.defaultCosts;
    const priority: RateLimitPriority = this.config.priorityOperations.has(operation)
      ? 'priority'
      : 'standard';
    const ledgerCosts = this.ledgerCosts(costs);
    const longestWindow = Math.max(...ledgerCosts.map((cost) => cost.windowMs), this.heartbeatMs);
    try {
      const waitMs = await this.ledger.estimateWaitMs(ledgerCosts, priority);
      return waitMs === null ? longestWindow : Math.max(0, Math.ceil(waitMs));
    } catch {
      return longestWindow;
    }
  }

  usage(): RateLimitUsageSnapshot {
    const rules = this.config.rules.map((rule, index) => {
      const seen = this.usageByRule.get(rule.id);
      const used = seen?.used ?? 0;
      return {
        ruleId: rule.id,
        limit: rule.limit,
        configuredLimit: rule.configuredLimit,
        windowMs: rule.configuredWindowMs,
        effectiveWindowMs: rule.windowMs,
        reserved: rule.reserved,
        used,
        held: seen?.held ?? 0,
        ratio: Math.min(1, used / rule.limit),
        waiters: [...this.queues.priority, ...this.queues.standard].filter((w) =>
          w.costs.some((cost) => cost.ruleIndex === index),
        ).length,
      };
    });
    return {
      ...(this.name === undefined ? {} : { name: this.name }),
      backend: this.ledger.kind,
      ratio: Math.max(0, ...rules.map((rule) => rule.ratio)),
      waiting: this.waiting,
      unanswered: this.unanswered,
      rules,
    };
  }

  health(): RateLimiterHealth {
    const stale =
      this.lastContactAt !== undefined &&
      this.config.clock.now() - this.lastContactAt > this.owner.ownerTtlMs;
    const healthy = this.reachable && !stale && !this.closed;
    return {
      backend: this.ledger.kind,
      healthy,
      detail: healthy
        ? `shared ledger ${this.ledger.description}`
        : `shared ledger ${this.ledger.description} unreachable (${this.closed ? 'closed' : stale ? 'no answer for too long' : this.lastError}): no grants until it is back`,
      ...(this.lastContactAt === undefined
        ? {}
        : { lastContactAt: Date.now() - (this.config.clock.now() - this.lastContactAt) }),
    };
  }

  confirmProgress(sentAt: number): void {
    this.unansweredLeases.confirm(sentAt);
  }

  /**
   * Stops beating, resolves waiting acquires with nothing, drops their tickets and writes the outcomes
   * it still owes. Grants still held (in flight or abandoned) are NOT given back: they stay held until
   * this owner's liveness lapses, since their requests may still reach the broker.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer !== undefined) this.config.clock.clearTimeout(this.heartbeatTimer);
    const tickets: string[] = [];
    for (const waiter of [...this.queues.priority, ...this.queues.standard]) {
      if (waiter.attempted) tickets.push(waiter.ticketId);
      this.removeWaiter(waiter, null);
    }
    this.pokeAll();
    this.unsubscribe();
    try {
      await Promise.all(tickets.map((ticket) => this.ledger.dropTicket(ticket)));
      await this.flushPending();
    } catch {
      // Unreachable ledger: tickets expire on their own, held grants with this owner.
    }
    this.unansweredLeases.forgetAll();
    await this.ledger.close();
  }

  private ledgerCosts(costs: readonly ResolvedCost[]): LedgerCost[] {
    return costs.map(({ ruleIndex, weight }) => {
      const rule = this.config.rules[ruleIndex];
      return { ruleId: rule.id, weight, limit: rule.limit, reserved: rule.reserved, windowMs: rule.windowMs };
    });
  }

  private newId(): string {
    return `${this.owner.ownerId}.${(this.nextLeaseNumber++).toString(36)}`;
  }

  /** Serves the head of one class until the class is empty or the head has to wait. */
  private async drive(priority: RateLimitPriority): Promise<void> {
    if (this.driving[priority]) {
      this.poke(priority);
      return;
    }
    this.driving[priority] = true;
    try {
      while (!this.closed) {
        const head = this.queues[priority].values().next().value as SharedWaiter | undefined;
        if (head === undefined) break;
        if (this.restoring) await this.restoring;
        const leaseId = this.newId();
        head.attempted = true;
        let result: LedgerTakeResult;
        try {
          result = await this.ledger.take({
            leaseId,
            costs: head.ledgerCosts,
            priority,
            ticketId: head.ticketId,
            ticketTtlMs: this.ticketTtlMs,
          });
        } catch (error) {
          // It may have been granted all the same: give it back once the ledger answers again.
          this.orphans.add(leaseId);
          this.noteFailure(error);
          if (this.isDue(head)) this.giveUp(head);
          else await this.sleep(priority, this.failureBackoffMs());
          continue;
        }
        this.noteContact(result.epoch);
        if (result.granted) {
          this.grants.set(leaseId, { costs: head.ledgerCosts, priority });
          if (this.queues[priority].has(head)) this.removeWaiter(head, this.lease(head.operation, leaseId));
          else this.complete(leaseId, 'unsent');
          continue;
        }
        if (!this.queues[priority].has(head)) continue;
        const refreshMs = this.ticketTtlMs / 3;
        const delayMs =
          result.retryAt === null ? refreshMs : Math.min(refreshMs, Math.max(0, result.retryAt - result.now));
        // A waiter that may only try once (timeout 0) gives up after its first refusal.
        if (this.isDue(head)) {
          this.giveUp(head);
          continue;
        }
        await this.sleep(priority, Math.ceil(delayMs));
      }
    } finally {
      this.driving[priority] = false;
    }
  }

  private isDue(waiter: SharedWaiter): boolean {
    return waiter.timeoutHandle === ZERO_TIMEOUT;
  }

  private sleep(priority: RateLimitPriority, delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const sleep: Sleep = {
        wake: () => {
          if (this.sleeps[priority] !== sleep) return;
          this.sleeps[priority] = undefined;
          if (sleep.timer !== undefined) this.config.clock.clearTimeout(sleep.timer);
          resolve();
        },
      };
      this.sleeps[priority] = sleep;
      sleep.timer = this.config.clock.setTimeout(
        () => {
          sleep.timer = undefined;
          sleep.wake();
        },
        Math.min(delayMs, MAX_TIMER_DELAY_MS),
      );
    });
  }

  private poke(priority: RateLimitPriority): void {
    this.sleeps[priority]?.wake();
  }

  private pokeAll(): void {
    this.poke('priority');
    this.poke('standard');
  }

  private giveUp(waiter: SharedWaiter): void {
    if (!this.queues[waiter.priority].has(waiter)) return;
    const wasHead = this.queues[waiter.priority].values().next().value === waiter;
    this.removeWaiter(waiter, null);
    if (waiter.attempted) this.ledger.dropTicket(waiter.ticketId).catch((error) => this.noteFailure(error));
    if (wasHead) this.poke(waiter.priority);
  }

  private removeWaiter(waiter: SharedWaiter, lease: RateLimitLease | null): void {
    if (!this.queues[waiter.priority].delete(waiter)) return;
    if (waiter.timeoutHandle !== undefined && waiter.timeoutHandle !== ZERO_TIMEOUT) {
      this.config.clock.clearTimeout(waiter.timeoutHandle);
    }
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(lease);
  }

  private lease(operation: string, leaseId: string): RateLimitLease {
    let sentAt = this.config.clock.now();
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
        this.settleLease(leaseId, sentAt, sendOrder, outcome);
      },
    };
  }

  private settleLease(leaseId: string, sentAt: number, sendOrder: number, outcome: LeaseOutcome): void {
    if (outcome === 'abandoned') {
      this.unansweredLeases.add(sentAt, sendOrder, () => this.complete(leaseId, 'answered'));
      return;
    }
    if (outcome === 'answered') this.unansweredLeases.confirmOrder(sendOrder);
    this.complete(leaseId, outcome);
  }

  /** Writes an outcome; kept for later when the ledger cannot be reached (the grant stays held meanwhile). */
  private complete(leaseId: string, outcome: 'answered' | 'unsent'): void {
    if (this.closed && !this.grants.has(leaseId)) return;
    this.ledger.complete(leaseId, outcome).then(
      (answer) => {
        this.noteContact(answer.epoch);
        this.recordOutcome(leaseId, outcome, answer.now);
        this.pokeAll();
      },
      (error) => {
        this.pendingOutcomes.set(leaseId, outcome);
        this.noteFailure(error);
      },
    );
  }

  private recordOutcome(leaseId: string, outcome: 'answered' | 'unsent', at: number): void {
    const grant = this.grants.get(leaseId);
    if (outcome === 'unsent' || grant === undefined) this.grants.delete(leaseId);
    else grant.answeredAt = at;
  }

  private async flushPending(): Promise<void> {
    for (const [leaseId, outcome] of [...this.pendingOutcomes]) {
      const answer = await this.ledger.complete(leaseId, outcome);
      this.pendingOutcomes.delete(leaseId);
      this.recordOutcome(leaseId, outcome, answer.now);
    }
    for (const leaseId of [...this.orphans]) {
      await this.ledger.complete(leaseId, 'unsent');
      this.orphans.delete(leaseId);
    }
  }

  private beat(): void {
    if (this.closed) return;
    this.ledger.heartbeat(this.config.rules).then(
      async (heartbeat) => {
        this.noteContact(heartbeat.epoch);
        this.usageByRule = new Map(heartbeat.usage.map((rule) => [rule.ruleId, rule]));
        this.pruneGrants(heartbeat.now);
        try {
          if (this.restoring) await this.restoring;
          await this.flushPending();
        } catch (error) {
          this.noteFailure(error);
        }
        this.pokeAll();
        this.scheduleBeat(this.heartbeatMs);
      },
      (error) => {
        this.noteFailure(error);
        this.scheduleBeat(Math.min(this.heartbeatMs, this.failureBackoffMs()));
      },
    );
  }

  private scheduleBeat(delayMs: number): void {
    if (this.closed) return;
    this.heartbeatTimer = this.config.clock.setTimeout(() => {
      this.heartbeatTimer = undefined;
      this.beat();
    }, delayMs);
    // Beating alone never keeps a process alive.
    (this.heartbeatTimer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Forgets answered grants that have left every window (ledger time). */
  private pruneGrants(ledgerNow: number): void {
    for (const [leaseId, grant] of this.grants) {
      if (grant.answeredAt === undefined || this.pendingOutcomes.has(leaseId)) continue;
      const longest = Math.max(...grant.costs.map((cost) => cost.windowMs));
      if (grant.answeredAt + longest <= ledgerNow) this.grants.delete(leaseId);
    }
  }

  private noteContact(epoch: string): void {
    this.lastContactAt = this.config.clock.now();
    this.failures = 0;
    // A new epoch: the ledger lost its data (e.g. Redis restarted without persistence). Put our grants back.
    if (this.epoch !== undefined && this.epoch !== epoch) this.needsRestore = true;
    this.epoch = epoch;
    if (this.needsRestore && !this.restoring) {
      this.restoring = this.restoreGrants().finally(() => (this.restoring = undefined));
    }
    if (!this.reachable) {
      this.reachable = true;
      this.onHealthChange?.(this.health());
    }
  }

  private async restoreGrants(): Promise<void> {
    const grants = [...this.grants].map(([leaseId, grant]) => ({
      leaseId,
      costs: grant.costs,
      priority: grant.priority,
      ...(grant.answeredAt === undefined || this.pendingOutcomes.has(leaseId)
        ? {}
        : { answeredAt: grant.answeredAt }),
    }));
    try {
      await this.ledger.restore(grants);
      this.needsRestore = false;
    } catch (error) {
      // Tried again on the next contact.
      this.noteFailure(error);
    }
  }

  private noteFailure(error: unknown): void {
    this.failures++;
    this.lastError = error instanceof Error ? error.message : String(error);
    if (this.reachable) {
      this.reachable = false;
      this.onHealthChange?.(this.health());
    }
  }

  private failureBackoffMs(): number {
    return Math.min(FAILURE_BACKOFF_MS.max, FAILURE_BACKOFF_MS.initial * 2 ** Math.max(0, this.failures - 1));
  }
}

/** Marks a waiter with timeout 0: it gets exactly one attempt. */
const ZERO_TIMEOUT: RateLimitTimerHandle = Symbol('zero timeout');
