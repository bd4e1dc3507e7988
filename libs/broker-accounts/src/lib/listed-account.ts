import type { AccountType } from '@qts/broker-domain';

/** Where an account comes from: the brokers YAML (read-only at run time), or added at run time (the database). */
export type AccountSource = 'config' | 'runtime';

/** One account of one broker as the APIs and the consoles list it. */
export interface ListedAccount {
  brokerId: string;
  /** The broker's account number, e.g. "50012345-01". */
  id: string;
  name: string;
  type: AccountType;
  /** The broker's default account (configured accounts only). */
  isDefault: boolean;
  source: AccountSource;
  /** False once deactivated: no new orders, listed for the record. Configured accounts are always active. */
  active: boolean;
  /** Runtime accounts: when added (RFC 3339 UTC), by which API key (its name). */
  addedAt?: string;
  addedBy?: string;
  deactivatedAt?: string;
}

/** What an operator gives to add an account. */
export interface NewAccount {
  brokerId: string;
  accountId: string;
  name: string;
  type: AccountType;
}
