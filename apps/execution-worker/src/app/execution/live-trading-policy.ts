import { AccountType } from '@qts/broker-domain';

/**
 * Whether orders may really be sent for an account: paper (모의투자) accounts always, real-money accounts
 * only when LIVE_TRADING_ENABLED=true. Anything that is not exactly PAPER counts as real.
 */
export function isLiveTradingAllowed(accountType: AccountType, liveTradingEnabled: boolean): boolean {
  return accountType === AccountType.PAPER || liveTradingEnabled === true;
}
