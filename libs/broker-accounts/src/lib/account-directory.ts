import {
  AccountNotFoundError,
  AccountType,
  BrokerNotFoundError,
  InvalidArgumentError,
  type AccountConfig,
  type BrokerConfig,
} from '@qts/broker-domain';
import { AccountConflictError } from './account-conflict.error';
import type { ListedAccount, NewAccount } from './listed-account';
import { normalizeNewAccount } from './new-account-rules';
import type { RuntimeAccountRecord } from './runtime-account.entity';
import type { RuntimeAccountStore, RuntimeAccountWrite } from './runtime-account-store';

export interface AccountDirectoryOptions {
  /** How often the runtime accounts are read again (other replicas' additions and deactivations). */
  refreshMs: number;
  now?: () => Date;
  /** Where a failed background refresh is reported (the last good list stays in use). */
  warn?: (message: string) => void;
}

/** The outcome of an addition: `created` is false when the same account was already active (a repeat). */
export interface AccountAddition {
  account: ListedAccount;
  created: boolean;
}

export type AccountDirectoryListener = () => void;

interface Snapshot {
  brokers: BrokerConfig[];
  byBroker: ReadonlyMap<string, BrokerConfig>;
  runtime: RuntimeAccountRecord[];
  signature: string;
}

/**
 * Every broker's accounts, as this process uses them: the accounts of the brokers YAML, and after them the accounts
 * added at run time and stored in the service's database. Lookups are answered from memory; an account not found
 * there is looked up in the database once before it is refused (another replica may have just added it), and the
 * whole list is read again every `refreshMs`, which bounds how long another replica's deactivation takes to apply
 * here. Additions and deactivations made through this process apply here at once.
 */
export class AccountDirectory {
  private readonly configured: readonly BrokerConfig[];
  private snapshot: Snapshot;
  private readonly listeners = new Set<AccountDirectoryListener>();
  private reloading: Promise<Snapshot> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;

  constructor(
    brokers: readonly BrokerConfig[],
    private readonly store: RuntimeAccountStore,
    private readonly options: AccountDirectoryOptions,
  ) {
    this.configured = brokers;
    this.now = options.now ?? (() => new Date());
    this.snapshot = buildSnapshot(brokers, []);
  }

  /** Reads the runtime accounts, then keeps reading them every `refreshMs`. */
  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.options.warn?.(`runtime accounts could not be read again (the last list stays in use): ${describe(error)}`),
      );
    }, this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Called whenever the accounts change (here or, seen at a refresh, on another replica). */
  onChange(listener: AccountDirectoryListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The configured brokers, each with its configured accounts and then its active runtime accounts. */
  brokers(): BrokerConfig[] {
    return this.snapshot.brokers;
  }

  broker(brokerId: string): BrokerConfig | undefined {
    return this.snapshot.byBroker.get(brokerId);
  }

  requireBroker(brokerId: string): BrokerConfig {
    const broker = this.broker(brokerId);
    if (broker === undefined) {
      throw new BrokerNotFoundError(`broker '${brokerId}' is not configured`, { details: { brokerId } });
    }
    return broker;
  }

  /** An active account as known now (no database read); undefined when unknown or deactivated. */
  findAccount(brokerId: string, accountId: string): AccountConfig | undefined {
    return this.broker(brokerId)?.accounts.find((account) => account.id === accountId);
  }

  /**
   * How metrics name an account, never by its number (metrics are scraped without a key): a configured account by its
   * position in its broker's `accounts` list of the brokers YAML, from 1; an account added at run time as
   * `runtime-<n>`, n its row in the service's table (the same on every replica, and kept once deactivated); any other
   * `unconfigured`.
   */
  metricLabel(brokerId: string, accountId: string): string {
    const position = this.configured.find((broker) => broker.id === brokerId)?.accounts.findIndex((account) => account.id === accountId) ?? -1;
    if (position !== -1) return String(position + 1);
    const row = this.snapshot.runtime.find((candidate) => candidate.brokerId === brokerId && candidate.accountId === accountId);
    return row === undefined ? 'unconfigured' : `runtime-${row.id}`;
  }

  /** An active account, read from the database once more when it is not known here yet. */
  async resolveAccount(brokerId: string, accountId: string): Promise<AccountConfig | undefined> {
    const known = this.findAccount(brokerId, accountId);
    if (known !== undefined || this.broker(brokerId) === undefined) return known;
    await this.reload();
    return this.findAccount(brokerId, accountId);
  }

  /** An active account; BrokerNotFoundError or AccountNotFoundError (naming a deactivation) otherwise. */
  async requireAccount(brokerId: string, accountId: string): Promise<AccountConfig> {
    this.requireBroker(brokerId);
    const account = await this.resolveAccount(brokerId, accountId);
    if (account !== undefined) return account;
    const inactive = this.snapshot.runtime.some((row) => row.brokerId === brokerId && row.accountId === accountId);
    throw new AccountNotFoundError(
      inactive
        ? `account '${accountId}' of broker '${brokerId}' was deactivated`
        : `account '${accountId}' is not configured for broker '${brokerId}'`,
      { details: { brokerId, accountId } },
    );
  }

  /** Every account of every broker (or of one): configured first, then runtime ones, deactivated ones included. */
  list(brokerId?: string): ListedAccount[] {
    const listed: ListedAccount[] = [];
    for (const broker of this.configured) {
      if (brokerId !== undefined && broker.id !== brokerId) continue;
      for (const account of broker.accounts) {
        listed.push({ brokerId: broker.id, ...account, source: 'config', active: true });
      }
      for (const row of this.snapshot.runtime) {
        if (row.brokerId === broker.id) listed.push(listedRuntimeAccount(row));
      }
    }
    return listed;
  }

  /**
   * The account as it would be added, or the refusal: a bad field (400), an unknown broker (404), a broker reached
   * over its REST API, whose one account is its app key's (400), an account of the brokers YAML (409). Checks only
   * what this process knows, without writing: the gateway asks it before it asks the worker.
   */
  checkAddition(input: NewAccount): NewAccount {
    const account = normalizeNewAccount(input);
    const broker = this.requireBroker(account.brokerId);
    if ((broker as { transport?: string }).transport === 'rest') {
      throw new InvalidArgumentError(
        `broker '${broker.id}' is reached over its REST API, where an app key trades exactly one account: add the account as its own broker in the brokers YAML`,
        { field: 'brokerId' },
      );
    }
    if (this.configuredAccount(account.brokerId, account.accountId) !== undefined) {
      throw new AccountConflictError(
        `account '${account.accountId}' of broker '${account.brokerId}' is configured in the brokers YAML: change it there`,
      );
    }
    return account;
  }

  /**
   * Adds (or re-activates) an account and uses it at once. Repeating an addition with the same name and type answers
   * the account with `created: false`; another name or type of an active account is a conflict.
   */
  async add(input: NewAccount, addedBy?: string): Promise<AccountAddition> {
    const account = this.checkAddition(input);
    const write: RuntimeAccountWrite = {
      brokerId: account.brokerId,
      accountId: account.accountId,
      name: account.name,
      type: account.type,
      addedBy: addedBy?.slice(0, 100) ?? null,
    };
    const existing = await this.store.find(account.brokerId, account.accountId);
    let row: RuntimeAccountRecord;
    let created = true;
    if (existing === null) {
      try {
        row = await this.store.insert(write, this.now());
      } catch (error) {
        // Another replica added it at the same moment: the unique key let one through; answer as a repeat of it.
        const winner = await this.store.find(account.brokerId, account.accountId);
        if (winner === null) throw error;
        row = this.sameOrConflict(winner, account);
        created = false;
      }
    } else if (existing.active) {
      row = this.sameOrConflict(existing, account);
      created = false;
    } else {
      row = await this.store.reactivate(existing, write, this.now());
    }
    await this.reload();
    return { account: listedRuntimeAccount(row), created };
  }

  /** Deactivates a runtime account (repeats answer it as it is); configured accounts are refused. */
  async deactivate(brokerId: string, accountId: string): Promise<ListedAccount> {
    this.requireBroker(brokerId);
    if (this.configuredAccount(brokerId, accountId) !== undefined) {
      throw new AccountConflictError(
        `account '${accountId}' of broker '${brokerId}' is configured in the brokers YAML: remove it there`,
      );
    }
    const row = await this.store.find(brokerId, accountId);
    if (row === null) {
      throw new AccountNotFoundError(`account '${accountId}' was not added to broker '${brokerId}'`, {
        details: { brokerId, accountId },
      });
    }
    const result = row.active ? await this.store.deactivate(row, this.now()) : row;
    await this.reload();
    return listedRuntimeAccount(result);
  }

  /** Reads the runtime accounts now; concurrent callers share one read. */
  async reload(): Promise<void> {
    this.reloading ??= this.store
      .listAll()
      .then((rows) => buildSnapshot(this.configured, rows))
      .finally(() => {
        this.reloading = undefined;
      });
    const next = await this.reloading;
    const changed = next.signature !== this.snapshot.signature;
    this.snapshot = next;
    if (changed) this.notify();
  }

  private configuredAccount(brokerId: string, accountId: string): AccountConfig | undefined {
    return this.configured.find((broker) => broker.id === brokerId)?.accounts.find((account) => account.id === accountId);
  }

  private sameOrConflict(row: RuntimeAccountRecord, account: NewAccount): RuntimeAccountRecord {
    if (row.active && row.name === account.name && row.type === account.type) return row;
    throw new AccountConflictError(
      row.active
        ? `account '${account.accountId}' of broker '${account.brokerId}' was already added with another name or type: deactivate it first`
        : `account '${account.accountId}' of broker '${account.brokerId}' is being changed by another request: try again`,
    );
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.options.warn?.(`an accounts listener failed: ${describe(error)}`);
      }
    }
  }
}

function buildSnapshot(configured: readonly BrokerConfig[], runtime: RuntimeAccountRecord[]): Snapshot {
  const brokers = configured.map((broker) => {
    const added = runtime
      .filter((row) => row.active && row.brokerId === broker.id && !broker.accounts.some((account) => account.id === row.accountId))
      .map((row): AccountConfig => ({ id: row.accountId, name: row.name, type: accountTypeOf(row.type), isDefault: false }));
    return added.length === 0 ? broker : { ...broker, accounts: [...broker.accounts, ...added] };
  });
  return {
    brokers,
    byBroker: new Map(brokers.map((broker) => [broker.id, broker])),
    runtime,
    signature: JSON.stringify(runtime.map((row) => [row.brokerId, row.accountId, row.name, row.type, row.active])),
  };
}

function listedRuntimeAccount(row: RuntimeAccountRecord): ListedAccount {
  return {
    brokerId: row.brokerId,
    id: row.accountId,
    name: row.name,
    type: accountTypeOf(row.type),
    isDefault: false,
    source: 'runtime',
    active: row.active,
    addedAt: row.createdAt.toISOString(),
    ...(row.addedBy === null ? {} : { addedBy: row.addedBy }),
    ...(row.deactivatedAt === null ? {} : { deactivatedAt: row.deactivatedAt.toISOString() }),
  };
}

/** A stored type other than PAPER is taken as REAL: the type whose orders are guarded (LIVE_TRADING_ENABLED). */
function accountTypeOf(type: string): AccountType {
  return type === AccountType.PAPER ? AccountType.PAPER : AccountType.REAL;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
