import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AccountDirectory } from '@qts/broker-accounts';
import { ConnectionStatus, type BalanceJson } from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { classifyError } from '@qts/service-infra';
import { AccountService } from '../accounts/account.service';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';

/** The last balance of an account as the console shows it. */
export interface ConsoleBalance {
  balance?: { totalEquity: string; cashBalance: string; buyingPower: string; asOf: string };
  /** The last refresh failed (the balance above, if any, is older). */
  error?: { code: string; message: string };
}

/** Default of GATEWAY_CONSOLE_BALANCE_REFRESH_MS. */
export const DEFAULT_CONSOLE_BALANCE_REFRESH_MS = 10_000;

/**
 * Balances for the console, asked of the brokers only while a console is open, every
 * GATEWAY_CONSOLE_BALANCE_REFRESH_MS (10 s) and at once for an account just added, one account after another:
 * every viewer shares the same figures, so the console costs a broker a balance request per account per period,
 * whatever the number of viewers, and never competes with orders (balances are reads: they never take the trading
 * reserve). Brokers that are disconnected are skipped.
 */
@Injectable()
export class ConsoleBalances implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsoleBalances.name);
  private readonly balances = new Map<string, ConsoleBalance>();
  private watchers = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly refreshMs: number;
  private stopAccounts: (() => void) | undefined;

  constructor(
    private readonly accounts: AccountService,
    private readonly directory: AccountDirectory,
    private readonly catalog: BrokerCatalogService,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.refreshMs = config.gateway.consoleBalanceRefreshMs ?? DEFAULT_CONSOLE_BALANCE_REFRESH_MS;
  }

  /** A console opened: balances are kept fresh until every watcher has gone. Returns the function that stops watching. */
  watch(): () => void {
    this.watchers += 1;
    if (this.watchers === 1) {
      this.stopAccounts = this.directory.onChange(() => this.refreshSoon());
      this.refreshSoon();
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.watchers -= 1;
      if (this.watchers === 0) this.stop();
    };
  }

  get(brokerId: string, accountId: string): ConsoleBalance | undefined {
    return this.balances.get(key(brokerId, accountId));
  }

  onApplicationShutdown(): void {
    this.watchers = 0;
    this.stop();
  }

  /** Runs a refresh now, or right after the one in progress. Resolves when that refresh has ended. */
  refreshSoon(): Promise<void> {
    clearTimeout(this.timer);
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.refresh().finally(() => {
      this.running = undefined;
      if (this.watchers === 0) return;
      if (this.again) {
        this.again = false;
        void this.refreshSoon();
      } else {
        this.timer = setTimeout(() => void this.refreshSoon(), this.refreshMs);
        this.timer.unref();
      }
    });
    return this.running;
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopAccounts?.();
    this.stopAccounts = undefined;
  }

  private async refresh(): Promise<void> {
    const wanted = new Set<string>();
    for (const broker of this.catalog.list()) {
      const reachable = broker.status !== ConnectionStatus.DISCONNECTED;
      for (const account of broker.accounts) {
        wanted.add(key(broker.id, account.id));
        if (!reachable) continue;
        await this.refreshOne(broker.id, account.id);
      }
    }
    for (const known of [...this.balances.keys()]) if (!wanted.has(known)) this.balances.delete(known);
  }

  private async refreshOne(brokerId: string, accountId: string): Promise<void> {
    const previous = this.balances.get(key(brokerId, accountId));
    try {
      const balance: BalanceJson = (await this.accounts.getBalance(brokerId, accountId)).toJSON();
      this.balances.set(key(brokerId, accountId), {
        balance: {
          totalEquity: balance.totalEquity,
          cashBalance: balance.cashBalance,
          buyingPower: balance.buyingPower,
          asOf: new Date().toISOString(),
        },
      });
    } catch (error) {
      const { code, message } = classifyError(error);
      this.balances.set(key(brokerId, accountId), { ...(previous?.balance === undefined ? {} : { balance: previous.balance }), error: { code, message } });
      this.logger.debug(`balance of an account of ${brokerId} not refreshed: ${code}`);
    }
  }
}

function key(brokerId: string, accountId: string): string {
  return `${brokerId}\u0000${accountId}`;
}
