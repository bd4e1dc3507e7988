import { BrokerEngine, OrderAdapter } from '@qts/broker-domain';

/** DI token of the BrokerFactory (ExecutionEngineModule provides it). */
export const BROKER_FACTORY = Symbol('BROKER_FACTORY');

/** The guard state of one (broker, account) engine. */
export interface FailSafeStatus {
  brokerId: string;
  accountId: string;
  tripped: boolean;
  consecutiveFailures: number;
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
  failSafeStatus(): FailSafeStatus[];
}
