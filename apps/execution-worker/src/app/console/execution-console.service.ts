import { Inject, Injectable } from '@nestjs/common';
import { AccountDirectory } from '@qts/broker-accounts';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import type { ConsoleViewer } from '@qts/console-ui';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { ExecutionStore } from '../persistence/execution-store';
import type { StoredIntent } from '../persistence/stored-intent';
import { WORKER_INSTANCE, type WorkerInstance } from '../persistence/worker-instance';

/** How many of the latest intents the console lists. */
export const CONSOLE_RECENT_INTENTS = 50;

/** One intent and its order as the console lists it. */
export interface ConsoleIntent {
  intentId: string;
  strategyId: string;
  brokerId: string;
  accountId: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  limitPrice: string | null;
  dryRun: boolean;
  createdAt: string;
  /** The order's status (PENDING, ACCEPTED, PARTIAL, FILLED, CANCELLED, REJECTED, UNKNOWN); DRY_RUN without one. */
  status: string;
  filledQuantity: number;
  avgFillPrice: string | null;
  /** The broker's order id, once known. */
  orderId: string | null;
  failSafeCode: string | null;
  /** The engine that answered: live, noop, failsafe, worker. */
  handledBy: string | null;
  message: string | null;
}

/** The consecutive-failure guard of one (broker, account) of this worker process. */
export interface ConsoleFailSafe {
  brokerId: string;
  brokerType: string;
  accountId: string;
  accountName: string;
  accountType: string;
  tripped: boolean;
  consecutiveFailures: number;
  lastFailure: string | null;
}

export interface ExecutionSnapshot {
  generatedAt: string;
  viewer: ConsoleViewer;
  /** This process: the fail-safe guards are per worker process (each replica counts its own broker calls). */
  worker: { instanceId: string; liveTradingEnabled: boolean; maxConsecutiveFailures: number };
  failSafe: ConsoleFailSafe[];
  /** Orders whose outcome is unknown, per broker, from the database (every replica's). */
  unknownOrders: Array<{ brokerId: string; count: number; oldestSubmittedAt: string | null }>;
  /** The latest intents of every replica on the database, newest first. */
  intents: ConsoleIntent[];
}

/** Builds the execution console's snapshot: the database for intents and UNKNOWN orders, this process for the guards. */
@Injectable()
export class ExecutionConsoleService {
  constructor(
    private readonly store: ExecutionStore,
    private readonly accounts: AccountDirectory,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    @Inject(WORKER_INSTANCE) private readonly instance: WorkerInstance,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * `strategies`: whose intents the viewer may see, as its key acts for them ('all' for admin keys); the guards and the
   * UNKNOWN counts are per account, shown to every reader (account numbers masked).
   */
  async snapshot(viewer: ConsoleViewer, strategies: ReadonlySet<string> | 'all'): Promise<ExecutionSnapshot> {
    const [intents, unknown] = await Promise.all([
      this.store.recentIntents(CONSOLE_RECENT_INTENTS, strategies === 'all' ? undefined : [...strategies]),
      this.store.unknownOrdersByBroker(),
    ]);
    const failSafe = this.failSafe();
    return {
      generatedAt: new Date().toISOString(),
      viewer,
      worker: {
        instanceId: this.instance.id,
        liveTradingEnabled: this.config.liveTradingEnabled,
        maxConsecutiveFailures: failSafe.max,
      },
      failSafe: failSafe.guards,
      unknownOrders: unknown.map((entry) => ({
        brokerId: entry.brokerId,
        count: entry.count,
        oldestSubmittedAt: entry.oldestSentAt?.toISOString() ?? null,
      })),
      intents: intents.map(consoleIntent),
    };
  }

  /** Every active account's guard, and any other guard that still counts failures (a deactivated account's). */
  private failSafe(): { guards: ConsoleFailSafe[]; max: number } {
    const guards: ConsoleFailSafe[] = [];
    const listed = new Set<string>();
    let max = 0;
    for (const broker of this.accounts.brokers()) {
      for (const account of broker.accounts) {
        const guard = this.brokers.failSafeOf(broker.id, account.id);
        max = Math.max(max, guard.maxConsecutiveFailures);
        listed.add(`${broker.id}\u0000${account.id}`);
        guards.push({
          brokerId: broker.id,
          brokerType: broker.type,
          accountId: account.id,
          accountName: account.name,
          accountType: account.type,
          tripped: guard.tripped,
          consecutiveFailures: guard.consecutiveFailures,
          lastFailure: guard.lastFailure ?? null,
        });
      }
    }
    for (const guard of this.brokers.failSafeStatus()) {
      max = Math.max(max, guard.maxConsecutiveFailures);
      if (listed.has(`${guard.brokerId}\u0000${guard.accountId}`) || (!guard.tripped && guard.consecutiveFailures === 0)) continue;
      const broker = this.accounts.broker(guard.brokerId);
      guards.push({
        brokerId: guard.brokerId,
        brokerType: broker?.type ?? '',
        accountId: guard.accountId,
        accountName: '(deactivated)',
        accountType: '',
        tripped: guard.tripped,
        consecutiveFailures: guard.consecutiveFailures,
        lastFailure: guard.lastFailure ?? null,
      });
    }
    return { guards, max };
  }
}

function consoleIntent(stored: StoredIntent): ConsoleIntent {
  const { intent, order, answer } = stored;
  return {
    intentId: intent.intentId,
    strategyId: intent.strategyId,
    brokerId: intent.brokerId,
    accountId: intent.accountId,
    symbol: intent.symbol,
    side: intent.side,
    orderType: intent.orderType,
    quantity: intent.quantity,
    limitPrice: intent.limitPrice?.toFixed() ?? null,
    dryRun: stored.dryRun,
    createdAt: stored.createdAt.toISOString(),
    status: order?.status ?? (stored.dryRun ? 'DRY_RUN' : 'PENDING'),
    filledQuantity: order?.filledQuantity ?? 0,
    avgFillPrice: order?.avgFillPrice?.toFixed() ?? null,
    orderId: order?.brokerOrderId ?? null,
    failSafeCode: answer?.failSafeCode ?? null,
    handledBy: answer?.handledBy ?? null,
    message: (answer?.message ?? order?.message ?? null)?.slice(0, 300) ?? null,
  };
}
