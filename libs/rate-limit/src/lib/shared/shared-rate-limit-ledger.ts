import type { EffectiveRateLimitRule, RateLimitPriority } from '../rate-limit-ledger';

/** One rule a request counts against, with what the ledger needs to judge it. */
export interface LedgerCost {
  readonly ruleId: string;
  readonly weight: number;
  /** The rule's limit (for every process together). */
  readonly limit: number;
  /** Part of the limit kept for priority (trading) grants; standard grants leave its unused part free. */
  readonly reserved: number;
  /** How long an answered grant stays counted (window plus margin; 0 for the in-flight bound). */
  readonly windowMs: number;
}

export interface LedgerTakeRequest {
  /** Id of the grant to record; also the id to complete it with. */
  readonly leaseId: string;
  readonly costs: readonly LedgerCost[];
  readonly priority: RateLimitPriority;
  /**
   * The waiter's place in the queue shared by every process: registered when the request cannot be
   * granted now and kept (refreshed on every attempt) until it is granted or dropped. A request is only
   * granted when no older live ticket of its class, and no live ticket of the priority class, shares
   * one of its rules.
   */
  readonly ticketId: string;
  /** Keep the ticket this long past this attempt, unless refreshed. */
  readonly ticketTtlMs: number;
}

/** Occupancy of one rule as the ledger sees it. */
export interface LedgerRuleUsage {
  readonly ruleId: string;
  /** Held plus counted weight. */
  readonly used: number;
  /** Weight held by requests in flight (all processes). */
  readonly held: number;
  /** Held plus counted weight of priority (trading) grants. */
  readonly priorityUsed: number;
}

interface LedgerAnswer {
  /** Ledger time of the decision (ms; the ledger's own clock). */
  readonly now: number;
  /** Changes when the ledger lost its data (a Redis restart): then every process restores its grants. */
  readonly epoch: string;
}

export type LedgerTakeResult =
  | (LedgerAnswer & { readonly granted: true })
  | (LedgerAnswer & {
      readonly granted: false;
      /**
       * Ledger time at which the request could be granted if nothing else changes; null when only a
       * release (or another waiter being served) can help: wait for a wake-up.
       */
      readonly retryAt: number | null;
    });

/** A grant this process still accounts for, to put back into a ledger that lost its data. */
export interface LedgerRestoredGrant {
  readonly leaseId: string;
  readonly costs: readonly LedgerCost[];
  readonly priority: RateLimitPriority;
  /** Ledger time it was answered; undefined while it is still in flight. */
  readonly answeredAt?: number;
}

export interface LedgerHeartbeat extends LedgerAnswer {
  readonly usage: readonly LedgerRuleUsage[];
}

/**
 * A rate-limit ledger shared by several processes: the same semantics as the in-memory ledger (a
 * sliding-window log per (broker, rule), weights, linked rules granted all-or-nothing, grants held
 * from send to answer and then counted for a window), decided atomically in one place with one clock.
 *
 * Each process is an owner that proves it is alive with heartbeats; the grants held by an owner that
 * stops beating are counted as answered when its liveness lapsed, so a crashed process cannot hold
 * part of the budget for ever.
 */
export interface SharedRateLimitLedger {
  readonly kind: 'local' | 'redis';
  /** Where it is, for logs and health (never a secret). */
  readonly description: string;
  /** Records the grant on every rule at once, or nothing. */
  take(request: LedgerTakeRequest): Promise<LedgerTakeResult>;
  /** `answered`: counted until now + window; `unsent`: gone at once. Unknown ids are ignored. */
  complete(leaseId: string, outcome: 'answered' | 'unsent'): Promise<LedgerAnswer>;
  /** Removes a waiter's ticket (it timed out, was aborted or granted elsewhere). */
  dropTicket(ticketId: string): Promise<void>;
  /** Proves this owner is alive (its held grants stay held) and reads every rule's usage. */
  heartbeat(rules: readonly EffectiveRateLimitRule[]): Promise<LedgerHeartbeat>;
  /** Puts back grants of this owner after the ledger lost its data; existing ones are left as they are. */
  restore(grants: readonly LedgerRestoredGrant[]): Promise<LedgerAnswer>;
  /** Earliest ledger-time delay until the request could be granted (null: only a release can help). */
  estimateWaitMs(costs: readonly LedgerCost[], priority: RateLimitPriority): Promise<number | null>;
  /** Calls `listener` when another process released budget or left the queue; returns an unsubscribe. */
  onWake(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The settings shared by every ledger of one process. */
export interface SharedLedgerOwner {
  /** Unique per process (and limiter): host, pid and a random part. */
  readonly ownerId: string;
  /** A process that has not beaten for this long is taken as gone, its held grants as answered then. */
  readonly ownerTtlMs: number;
}
