import type { RateLimitPriority } from '../rate-limit-ledger';
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
  request: { readonly ticketId: string; readonly priority: RateLimitPriority; readonly costs: readonly LedgerCost[] },
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

/**
 * Earliest time >= now at which every rule has room for its weight under its ceiling: now when it
 * fits now, the moment enough counted grants have freed otherwise, Infinity when only releases of
 * held grants can make room.
 */
export function earliestRoomAt(
  costs: readonly LedgerCost[],
  usage: ReadonlyMap<string, LedgerRuleUsage>,
  now: number,
  countedFreeTimes: (ruleId: string) => ReadonlyArray<{ weight: number; freeAt: number }>,
): number {
  let at = now;
  for (const cost of costs) {
    const seen = usage.get(cost.ruleId) ?? { ruleId: cost.ruleId, used: 0, held: 0 };
    const excess = seen.used + cost.weight - cost.ceiling;
    if (excess <= 0) continue;
    if (excess > seen.used - seen.held) return Number.POSITIVE_INFINITY;
    let freed = 0;
    for (const grant of countedFreeTimes(cost.ruleId)) {
      freed += grant.weight;
      if (freed >= excess) {
        at = Math.max(at, grant.freeAt);
        break;
      }
    }
  }
  return at;
}
