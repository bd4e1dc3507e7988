import type { RateLimitPriority } from '../rate-limit-ledger';
import { fits } from '../sliding-window-log';
import type { LedgerCost, LedgerRuleUsage } from './shared-rate-limit-ledger';

/** A waiter's place in a shared ledger's queue. */
export interface LedgerTicket {
  readonly ticketId: string;
  readonly priority: RateLimitPriority;
  readonly ruleIds: readonly string[];
  /** Registration order (older first). */
  readonly seq: number;
}

/**
 * Whether a live ticket goes before this request: one of the priority class when the request is not
 * (trading is never kept waiting by reads), or an older one of its own class; in both cases only if
 * it shares one of the request's rules. A request without a ticket comes after every ticket.
 * (The Redis script implements the same rule in Lua.)
 */
export function isBlockedByTicket(
  tickets: readonly LedgerTicket[],
  request: {
    readonly ticketId: string;
    readonly priority: RateLimitPriority;
    readonly costs: readonly LedgerCost[];
  },
  mine: LedgerTicket | undefined,
): boolean {
  const mySeq = mine?.seq ?? Number.POSITIVE_INFINITY;
  return tickets.some(
    (ticket) =>
      ticket.ticketId !== request.ticketId &&
      ((ticket.priority === 'priority' && request.priority === 'standard') ||
        (ticket.priority === request.priority && ticket.seq < mySeq)) &&
      ticket.ruleIds.some((ruleId) => request.costs.some((cost) => cost.ruleId === ruleId)),
  );
}

/** A counted (answered) grant of a rule, as the ledger keeps it. */
export interface CountedGrant {
  readonly weight: number;
  readonly freeAt: number;
  readonly priority: boolean;
}

/**
 * Earliest time >= now at which every rule has room for its weight (the in-memory log's `fits` rule:
 * a standard grant leaves the unused part of the reserve free): now when it fits now, the moment enough
 * counted grants have freed otherwise, Infinity when only releases of held grants can make room.
 */
export function earliestRoomAt(
  costs: readonly LedgerCost[],
  priority: RateLimitPriority,
  usage: ReadonlyMap<string, LedgerRuleUsage>,
  now: number,
  countedGrants: (ruleId: string) => readonly CountedGrant[],
): number {
  const isPriority = priority === 'priority';
  let at = now;
  for (const cost of costs) {
    const seen = usage.get(cost.ruleId) ?? { ruleId: cost.ruleId, used: 0, held: 0, priorityUsed: 0 };
    let total = seen.used;
    let prio = seen.priorityUsed;
    if (fits(cost.limit, total, prio, cost.weight, isPriority, cost.reserved)) continue;
    let freeAt = Number.POSITIVE_INFINITY;
    for (const grant of countedGrants(cost.ruleId)) {
      total -= grant.weight;
      if (grant.priority) prio -= grant.weight;
      if (fits(cost.limit, total, prio, cost.weight, isPriority, cost.reserved)) {
        freeAt = grant.freeAt;
        break;
      }
    }
    if (!Number.isFinite(freeAt)) return Number.POSITIVE_INFINITY;
    at = Math.max(at, freeAt);
  }
  return at;
}
