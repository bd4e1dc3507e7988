import { BROKER_ERROR_CODES, BrokerErrorCode } from '../errors/broker-error-codes';
import { isBrokerError } from '../errors/broker-error';
import { FailSafeCode } from './fail-safe-code';

/** The one mapping from domain error codes to fail-safe codes. */
const FAIL_SAFE_BY_ERROR_CODE: Readonly<Record<BrokerErrorCode, FailSafeCode>> = Object.freeze({
  [BROKER_ERROR_CODES.ORDER_REJECTED]: FailSafeCode.FS040,
  // The broker cannot take this kind of order: from the strategy's view, a broker refusal.
  [BROKER_ERROR_CODES.NOT_SUPPORTED]: FailSafeCode.FS040,
  [BROKER_ERROR_CODES.INSUFFICIENT_FUNDS]: FailSafeCode.FS041,
  [BROKER_ERROR_CODES.BROKER_TIMEOUT]: FailSafeCode.FS042,
  [BROKER_ERROR_CODES.ORDER_OUTCOME_UNKNOWN]: FailSafeCode.FS042,
  [BROKER_ERROR_CODES.RATE_LIMITED]: FailSafeCode.FS043,
  [BROKER_ERROR_CODES.BROKER_UNAVAILABLE]: FailSafeCode.FS044,
  [BROKER_ERROR_CODES.BROKER_NOT_FOUND]: FailSafeCode.FS044,
  [BROKER_ERROR_CODES.AUTHENTICATION_FAILED]: FailSafeCode.FS045,
  [BROKER_ERROR_CODES.INVALID_ORDER]: FailSafeCode.FS048,
  [BROKER_ERROR_CODES.INVALID_ARGUMENT]: FailSafeCode.FS048,
  [BROKER_ERROR_CODES.SYMBOL_NOT_FOUND]: FailSafeCode.FS048,
  [BROKER_ERROR_CODES.ACCOUNT_NOT_FOUND]: FailSafeCode.FS048,
  [BROKER_ERROR_CODES.ORDER_NOT_FOUND]: FailSafeCode.FS049,
  [BROKER_ERROR_CODES.ILLEGAL_ORDER_TRANSITION]: FailSafeCode.FS049,
  // Nothing was sent: the intent's expiry passed while the order waited to leave.
  [BROKER_ERROR_CODES.ORDER_EXPIRED]: FailSafeCode.FS050,
});

/**
 * Fail-safe code for any thrown value. FS046 and FS047 are decided by the execution layer (failure guard,
 * NoopBroker), not by errors; anything that is not a domain error is FS049.
 */
export function failSafeCodeForError(error: unknown): FailSafeCode {
  if (!isBrokerError(error)) {
    return FailSafeCode.FS049;
  }
  return FAIL_SAFE_BY_ERROR_CODE[error.code] ?? FailSafeCode.FS049;
}
