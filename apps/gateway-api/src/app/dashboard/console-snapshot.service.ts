import { Inject, Injectable } from '@nestjs/common';
import { AccountDirectory } from '@qts/broker-accounts';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import type { ConsoleViewer } from '@qts/console-ui';
import { WorkerAccountsClient } from '../accounts/worker-accounts.client';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import type { BrokerView, BrokerViewTransport, RateLimitView } from '../brokers/broker-view';
import { ConsoleBalances, type ConsoleBalance } from './console-balances';

/** One account of the console: its details, where it comes from, and its last balance. */
export interface ConsoleAccount {
  id: string;
  name: string;
  type: string;
  isDefault: boolean;
  source: 'config' | 'runtime';
  balance: ConsoleBalance['balance'] | null;
  balanceError?: ConsoleBalance['error'];
}

export interface ConsoleBroker {
  id: string;
  type: string;
  transport: BrokerViewTransport;
  status: string;
  lastHealthCheckAt: string | null;
  offline: boolean;
  mock: boolean;
  required: boolean;
  /** Whether accounts can be added to it at run time (not over REST: an app key trades one account). */
  acceptsRuntimeAccounts: boolean;
  accounts: ConsoleAccount[];
  rateLimit: RateLimitView | null;
}

/** What the gateway console shows, pushed at least once a second. */
export interface ConsoleSnapshot {
  generatedAt: string;
  liveTradingEnabled: boolean;
  /** Whether account changes reach an execution worker: configured, none (no worker), unset (changes refused). */
  workerLink: 'configured' | 'none' | 'unset';
  viewer: ConsoleViewer;
  brokers: ConsoleBroker[];
}

/** Builds the console's snapshot from the broker views, the account directory and the cached balances. */
@Injectable()
export class ConsoleSnapshotService {
  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly directory: AccountDirectory,
    private readonly balances: ConsoleBalances,
    private readonly worker: WorkerAccountsClient,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  snapshot(viewer: ConsoleViewer): ConsoleSnapshot {
    const link = this.worker.describe();
    return {
      generatedAt: new Date().toISOString(),
      liveTradingEnabled: this.config.liveTradingEnabled,
      workerLink: link === 'unset' ? 'unset' : link === 'none' ? 'none' : 'configured',
      viewer,
      brokers: this.catalog.list().map((view) => this.broker(view)),
    };
  }

  private broker(view: BrokerView): ConsoleBroker {
    const sources = new Map(this.directory.list(view.id).map((account) => [account.id, account.source]));
    return {
      id: view.id,
      type: view.type,
      transport: view.transport,
      status: view.status,
      lastHealthCheckAt: view.lastHealthCheckAt,
      offline: view.offline,
      mock: view.mock,
      required: view.required,
      acceptsRuntimeAccounts: view.transport !== 'rest',
      accounts: view.accounts.map((account) => {
        const cached = this.balances.get(view.id, account.id);
        return {
          id: account.id,
          name: account.name,
          type: account.type,
          isDefault: account.isDefault,
          source: sources.get(account.id) ?? 'config',
          balance: cached?.balance ?? null,
          ...(cached?.error === undefined ? {} : { balanceError: cached.error }),
        };
      }),
      rateLimit: view.rateLimit,
    };
  }
}
