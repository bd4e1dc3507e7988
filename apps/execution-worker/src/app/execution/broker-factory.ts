import { BrokerEngine, OrderAdapter } from '@qts/broker-domain';

/** DI token of the BrokerFactory (ExecutionEngineModule provides it). */
export const BROKER_FACTORY = Symbol('BROKER_FACTORY');

/** The guard state of one (broker, account) engine. */
export interface FailSafeStatus {
  brokerId: string;
  accountId: string;
  tripped: boolean;
  consecutiveFailures: number;
  /** The failures that trip the guard. */
  maxConsecutiveFailures: number;
  /** What the last counted failure was (the broker's code and message, or the error), for the operator. */
  lastFailure?: string;
}

export interface BrokerFactory {
  /**
   * The engine for an intent: LiveBroker(OrderAdapterBrokerEngine(adapter)) when live is allowed for that
   * account (PAPER accounts always; REAL accounts only when LIVE_TRADING_ENABLED=true) and an adapter
   * exists; else NoopBroker. Cached per (brokerId, accountId) so the guard's count survives across intents.
   */
  engineFor(brokerId: string, accountId: string, options?: { dryRun?: boolean }): BrokerEngine;
  /** The order adapter of a broker, for reconciliation (getOrder by clientOrderId). */
  adapterFor(brokerId: string): OrderAdapter | undefined;
  /** Resets the guards of one broker (or all); returns the ids of brokers whose guard was tripped. */
  resetFailSafe(brokerId?: string): string[];
  /**
   * Resets the guards of one account, of one broker's accounts, or of all (an operator's decision); returns the state of
   * each guard that was tripped or counting failures, as it was before the reset.
   */
  resetGuards(filter?: { brokerId?: string; accountId?: string }): FailSafeStatus[];
  failSafeStatus(): FailSafeStatus[];
  /** The guard of (broker, account) now; untouched (0 failures) when it never counted anything. */
  failSafeOf(brokerId: string, accountId: string): FailSafeStatus;
}
