import { BrokerConfig, BrokerEngine, InvalidArgumentError, OrderAdapter } from '@qts/broker-domain';
import { BrokerFactory, FailSafeStatus } from './broker-factory';
import { ConsecutiveFailureGuard, requireFailureLimit } from './consecutive-failure-guard';
import { LiveBroker } from './live-broker';
import { isLiveTradingAllowed } from './live-trading-policy';
import { NoopBroker } from './noop-broker';
import { OrderAdapterBrokerEngine } from './order-adapter-broker-engine';

export interface ConfiguredBrokerFactoryOptions {
  brokers: readonly BrokerConfig[];
  liveTradingEnabled: boolean;
  /** The order adapter of a configured broker, or undefined when it has none (yet). */
  resolveAdapter: (broker: BrokerConfig) => OrderAdapter | undefined;
  /** Default 3. */
  maxConsecutiveFailures?: number;
}

interface EngineEntry {
  brokerId: string;
  accountId: string;
  adapter: OrderAdapter;
  guard: ConsecutiveFailureGuard;
  live: LiveBroker;
  dryRun?: LiveBroker;
}

/**
 * BrokerFactory over the validated configuration. Unknown brokers and accounts, REAL accounts while live
 * trading is off, and brokers without an adapter get a NoopBroker saying why (never cached, so an adapter
 * that appears later is used). LiveBrokers are cached per (broker, account) with one guard shared by the
 * live and the dry-run engine; when the broker's adapter is replaced the engines are rebuilt around the
 * same guard, so a tripped fail-safe survives reconnects.
 */
export class ConfiguredBrokerFactory implements BrokerFactory {
  private readonly brokers: ReadonlyMap<string, BrokerConfig>;
  private readonly engines = new Map<string, EngineEntry>();
  private readonly maxConsecutiveFailures: number;

  constructor(private readonly options: ConfiguredBrokerFactoryOptions) {
    this.brokers = new Map(options.brokers.map((broker) => [broker.id, broker]));
    // Checked here so a bad limit fails at start-up, not at the first intent.
    this.maxConsecutiveFailures = requireFailureLimit(options.maxConsecutiveFailures ?? 3);
  }

  engineFor(brokerId: string, accountId: string, options: { dryRun?: boolean } = {}): BrokerEngine {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined) {
      return new NoopBroker(`broker '${brokerId}' is not configured`);
    }
    const account = broker.accounts.find((candidate) => candidate.id === accountId);
    if (account === undefined) {
      return new NoopBroker(`account '${accountId}' is not configured for broker '${brokerId}'`);
    }
    if (!isLiveTradingAllowed(account.type, this.options.liveTradingEnabled)) {
      return new NoopBroker(
        `live trading is not allowed for ${account.type} account '${accountId}' of broker '${brokerId}' (LIVE_TRADING_ENABLED=false)`,
      );
    }
    const adapter = this.adapterFor(brokerId);
    if (adapter === undefined) {
      return new NoopBroker(`broker '${brokerId}' has no order adapter (not connected or not registered)`);
    }
    const entry = this.entryFor(brokerId, accountId, adapter);
    if (options.dryRun !== true) {
      return entry.live;
    }
    entry.dryRun ??= new LiveBroker(
      new OrderAdapterBrokerEngine(adapter, { brokerId, dryRun: true }),
      this.maxConsecutiveFailures,
      entry.guard,
    );
    return entry.dryRun;
  }

  adapterFor(brokerId: string): OrderAdapter | undefined {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined) {
      return undefined;
    }
    const adapter = this.options.resolveAdapter(broker);
    if (adapter !== undefined && adapter.brokerId !== brokerId) {
      throw new InvalidArgumentError(
        `the order adapter of '${adapter.brokerId}' was resolved for broker '${brokerId}'`,
        {
          field: 'brokerId',
        },
      );
    }
    return adapter;
  }

  resetFailSafe(brokerId?: string): string[] {
    const reset = new Set<string>();
    for (const entry of this.engines.values()) {
      if (brokerId !== undefined && brokerId !== '' && entry.brokerId !== brokerId) {
        continue;
      }
      if (entry.guard.tripped) {
        reset.add(entry.brokerId);
      }
      entry.guard.reset();
    }
    return [...reset];
  }

  failSafeStatus(): FailSafeStatus[] {
    return [...this.engines.values()].map((entry) => ({
      brokerId: entry.brokerId,
      accountId: entry.accountId,
      tripped: entry.guard.tripped,
      consecutiveFailures: entry.guard.consecutiveFailures,
    }));
  }

  private entryFor(brokerId: string, accountId: string, adapter: OrderAdapter): EngineEntry {
    const key = JSON.stringify([brokerId, accountId]);
    const existing = this.engines.get(key);
    if (existing !== undefined && existing.adapter === adapter) {
      return existing;
    }
    const guard = existing?.guard ?? new ConsecutiveFailureGuard(this.maxConsecutiveFailures);
    const entry: EngineEntry = {
      brokerId,
      accountId,
      adapter,
      guard,
      live: new LiveBroker(
        new OrderAdapterBrokerEngine(adapter, { brokerId }),
        this.maxConsecutiveFailures,
        guard,
      ),
    };
    this.engines.set(key, entry);
    return entry;
  }
}
