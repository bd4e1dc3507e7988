import {
  AuthenticationError,
  BrokerUnavailableError,
  FailSafeCode,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';

export interface ReadRefusal {
  brokerId: string;
  /** 'KIS' or 'Kiwoom'. */
  brokerName: string;
  /** The broker's code (KIS msg_cd, Kiwoom message code). */
  brokerCode: string;
  message: string;
  /** Its classification in BROKER_FAIL_SAFE_TABLE. */
  failSafe: FailSafeCode;
  /** The codes with which this broker says a symbol does not exist. */
  symbolNotFound: boolean;
  symbol?: string;
}

/**
 * The domain error of a refused market-data or account inquiry. Order classifications (rejected, invalid
 * order) do not fit a read: an unknown symbol is SymbolNotFoundError, the rate limit and credentials keep
 * their errors, and any other refusal is the broker being unable to answer (BrokerUnavailableError).
 */
export function readRefusalError(refusal: ReadRefusal): Error {
  const text = `${refusal.brokerId}: ${refusal.brokerName} refused the inquiry [${refusal.brokerCode}] ${refusal.message}`.trim();
  const details = { brokerId: refusal.brokerId, brokerCode: refusal.brokerCode };
  if (refusal.symbolNotFound) {
    return new SymbolNotFoundError(text, { details: { ...details, ...(refusal.symbol === undefined ? {} : { symbol: refusal.symbol }) } });
  }
  switch (refusal.failSafe) {
    case FailSafeCode.FS043:
      return new RateLimitExceededError(text, { retryAfterMs: 1_000, details });
    case FailSafeCode.FS045:
      return new AuthenticationError(text, { details });
    default:
      return new BrokerUnavailableError(text, { details });
  }
}
