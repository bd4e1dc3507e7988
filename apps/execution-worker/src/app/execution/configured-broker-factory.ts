import { AccountConfig, BrokerConfig, BrokerEngine, InvalidArgumentError, OrderAdapter } from '@qts/broker-domain';
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
  /**
   * The active account of a broker, configured or added at run time (the worker's AccountDirectory). Default: the
   * accounts of `brokers`.
   */
  accountOf?: (brokerId: string, accountId: string) => AccountConfig | undefined;
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
    const account = this.options.accountOf
      ? this.options.accountOf(brokerId, accountId)
      : broker.accounts.find((candidate) => candidate.id === accountId);
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
    const tripped = this.resetGuards(brokerId === undefined || brokerId === '' ? {} : { brokerId }).filter((guard) => guard.tripped);
    return [...new Set(tripped.map((guard) => guard.brokerId))];
  }

  resetGuards(filter: { brokerId?: string; accountId?: string } = {}): FailSafeStatus[] {
    const before: FailSafeStatus[] = [];
    for (const entry of this.engines.values()) {
      if (filter.brokerId !== undefined && filter.brokerId !== '' && entry.brokerId !== filter.brokerId) continue;
      if (filter.accountId !== undefined && filter.accountId !== '' && entry.accountId !== filter.accountId) continue;
      if (entry.guard.tripped || entry.guard.consecutiveFailures > 0) before.push(statusOf(entry));
      entry.guard.reset();
    }
    return before;
  }

  failSafeStatus(): FailSafeStatus[] {
    return [...this.engines.values()].map(statusOf);
  }

  /** The guard of (broker, account) now, or the state of one that has counted nothing yet. */
  failSafeOf(brokerId: string, accountId: string): FailSafeStatus {
    const entry = this.engines.get(JSON.stringify([brokerId, accountId]));
    return entry === undefined
      ? { brokerId, accountId, tripped: false, consecutiveFailures: 0, maxConsecutiveFailures: this.maxConsecutiveFailures }
      : statusOf(entry);
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

function statusOf(entry: EngineEntry): FailSafeStatus {
  return {
    brokerId: entry.brokerId,
    accountId: entry.accountId,
    tripped: entry.guard.tripped,
    consecutiveFailures: entry.guard.consecutiveFailures,
    maxConsecutiveFailures: entry.guard.maxConsecutiveFailures,
    ...(entry.guard.lastFailure === undefined ? {} : { lastFailure: entry.guard.lastFailure.slice(0, 300) }),
  };
}
