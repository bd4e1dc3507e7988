/**
 * Stable machine-readable error codes. Clients (HTTP bodies, gRPC details, fail-safe mapping) depend on
 * these strings: never rename one, only add.
 */
export const BROKER_ERROR_CODES = Object.freeze({
  BROKER_UNAVAILABLE: 'BROKER_UNAVAILABLE',
  BROKER_TIMEOUT: 'BROKER_TIMEOUT',
  ORDER_OUTCOME_UNKNOWN: 'ORDER_OUTCOME_UNKNOWN',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_ORDER: 'INVALID_ORDER',
  ORDER_REJECTED: 'ORDER_REJECTED',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ORDER_NOT_FOUND: 'ORDER_NOT_FOUND',
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  SYMBOL_NOT_FOUND: 'SYMBOL_NOT_FOUND',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  BROKER_NOT_FOUND: 'BROKER_NOT_FOUND',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  ILLEGAL_ORDER_TRANSITION: 'ILLEGAL_ORDER_TRANSITION',
  ORDER_EXPIRED: 'ORDER_EXPIRED',
} as const);

export type BrokerErrorCode = (typeof BROKER_ERROR_CODES)[keyof typeof BROKER_ERROR_CODES];

const CODE_SET: ReadonlySet<string> = new Set(Object.values(BROKER_ERROR_CODES));

export function isBrokerErrorCode(value: unknown): value is BrokerErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}
