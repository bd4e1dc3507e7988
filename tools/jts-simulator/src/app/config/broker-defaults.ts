import { AccountType, BrokerType } from '@qts/broker-domain';
import type { SimulatedAccount } from '../broker/simulated-broker';
import type { SimulatorRateLimit } from '../rate/broker-rate-enforcer';

/** The default paper account of each broker type, as in config/brokers.yaml. */
const DEFAULT_ACCOUNT_ID: Readonly<Record<BrokerType, string>> = {
  [BrokerType.KIS]: '50012345-01',
  [BrokerType.CREON]: '12345678',
  [BrokerType.KIWOOM]: '5012345601',
};

/** Default ports of `npm run simulator`. */
export const DEFAULT_BROKER_PORTS: Readonly<Record<BrokerType, number>> = {
  [BrokerType.KIS]: 50061,
  [BrokerType.CREON]: 50062,
  [BrokerType.KIWOOM]: 50063,
};

export function defaultAccountsFor(type: BrokerType): SimulatedAccount[] {
  return [{ id: DEFAULT_ACCOUNT_ID[type], type: AccountType.PAPER }];
}

/**
 * The preset a broker gets when its configuration names none: KIS paper (2/s) unless a REAL account is
 * listed (KIS real, 20/s), Creon and Kiwoom their own.
 */
export function defaultRateLimitFor(type: BrokerType, accounts: readonly SimulatedAccount[]): SimulatorRateLimit {
  switch (type) {
    case BrokerType.KIS:
      return { preset: accounts.some((account) => account.type === AccountType.REAL) ? 'kis-real' : 'kis-paper' };
    case BrokerType.CREON:
      return { preset: 'creon' };
    case BrokerType.KIWOOM:
      return { preset: 'kiwoom' };
  }
}
