import { resolveRateLimitConfig } from '@qts/rate-limit';
import type { OperationCost, RateLimitRule } from '@qts/rate-limit';
import type { RestOperation } from '../src/lib/http/rest-call';
import type { RestCallPermit, RestCallPermitOptions, RestCallPermits } from '../src/lib/permits/rest-call-permits';

interface Slot {
  /** undefined while the request is in flight. */
  completedAt?: number;
}

/**
 * TEST-ONLY: the lease semantics the platform's limiter provides to this library. A request holds its slot
 * from the grant until its answer arrives and for a window after that, so its arrival at the broker (at some
 * moment before its answer) can never fall into a window with more than the limit, however long the request
 * was held up on its way (a stalled or starved process, a busy machine). Rules and operation costs are the
 * preset's, as resolveRateLimitConfig gives them.
 */
export class LeaseWindowPermits implements RestCallPermits {
  private readonly rules: Map<string, { rule: RateLimitRule; slots: Slot[] }>;
  private readonly operations: Record<string, OperationCost[]>;
  private readonly defaultCosts: OperationCost[];
  private readonly waiters = new Set<() => void>();

  constructor(preset: string, overrides: RateLimitRule[] = []) {
    const options = resolveRateLimitConfig(overrides.length === 0 ? { preset } : { preset, rules: overrides });
    this.rules = new Map(options.rules.map((rule) => [rule.id, { rule, slots: [] }]));
    this.operations = options.operations ?? {};
    this.defaultCosts = options.defaultCosts ?? options.rules.map((rule) => ({ rule: rule.id }));
  }

  async acquire(operation: RestOperation, options: RestCallPermitOptions): Promise<RestCallPermit | undefined> {
    const giveUpAt = Date.now() + options.timeoutMs;
    const costs = this.operations[operation] ?? this.defaultCosts;
    for (;;) {
      if (options.signal?.aborted === true) return undefined;
      const now = Date.now();
      if (costs.every(({ rule, weight = 1 }) => this.used(rule, now) + weight <= (this.rules.get(rule) as { rule: RateLimitRule }).rule.limit)) {
        const taken = costs.flatMap(({ rule, weight = 1 }) => Array.from({ length: weight }, () => this.take(rule)));
        let done = false;
        return {
          complete: () => {
            if (done) return;
            done = true;
            const at = Date.now();
            taken.forEach((slot) => (slot.completedAt = at));
            this.wake();
          },
        };
      }
      if (now >= giveUpAt) return undefined;
      await this.waitFor(Math.min(giveUpAt, this.nextFreeAt(costs, now)) - now);
    }
  }

  private used(rule: string, now: number): number {
    const entry = this.rules.get(rule) as { rule: RateLimitRule; slots: Slot[] };
    entry.slots = entry.slots.filter((slot) => slot.completedAt === undefined || slot.completedAt > now - entry.rule.windowMs);
    return entry.slots.length;
  }

  private take(rule: string): Slot {
    const slot: Slot = {};
    (this.rules.get(rule) as { slots: Slot[] }).slots.push(slot);
    return slot;
  }

  /** When a completed slot of the operation's rules leaves its window (in-flight slots wake waiters on completion). */
  private nextFreeAt(costs: OperationCost[], now: number): number {
    let earliest = now + 1_000;
    for (const { rule } of costs) {
      const entry = this.rules.get(rule) as { rule: RateLimitRule; slots: Slot[] };
      for (const slot of entry.slots) {
        if (slot.completedAt !== undefined) earliest = Math.min(earliest, slot.completedAt + entry.rule.windowMs + 1);
      }
    }
    return Math.max(now + 1, earliest);
  }

  private waitFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(1, ms));
      this.waiters.add(wake);
    });
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
