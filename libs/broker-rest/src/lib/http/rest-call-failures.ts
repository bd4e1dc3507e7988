import {
  BROKER_ERROR_CODES,
  BrokerErrorCode,
  BrokerTimeoutError,
  BrokerUnavailableError,
  FailSafeCode,
  isBrokerError,
  OrderOutcomeUnknownError,
} from '@qts/broker-domain';
import { failSafeForTransport, transportConditionOfHttpStatus } from '../fail-safe/broker-fail-safe-table';
import { brokerRefusalError } from '../fail-safe/broker-refusal-error';
import { isRestTransportError } from './rest-transport-error';

/**
 * The domain error of a failed read (order inquiry): nothing can have changed at the broker, so
 * timeouts are BrokerTimeoutError and everything else that is not already a domain error is
 * BrokerUnavailableError.
 */
export function readFailure(error: unknown, brokerId: string, what: string): Error {
  if (isBrokerError(error)) {
    return error;
  }
  if (isRestTransportError(error) && error.kind !== 'connection') {
    return new BrokerTimeoutError(`${brokerId}: ${what} failed: ${error.message}`, {
      details: { brokerId },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BrokerUnavailableError(`${brokerId}: ${what} failed: ${message}`, {
    details: { brokerId },
    cause: error,
  });
}

/** A read answered with an HTTP status and no readable broker body. */
export function unreadableReadFailure(status: number, brokerId: string, what: string): Error {
  const condition = transportConditionOfHttpStatus(status);
  const code =
    condition === 'http-401' || condition === 'http-403' || condition === 'http-429'
      ? failSafeForTransport(condition)
      : FailSafeCode.FS044;
  return brokerRefusalError(code, `${brokerId}: ${what} failed with HTTP ${status}`, {
    brokerId,
    brokerCode: `HTTP ${status}`,
  });
}

/**
 * Domain errors a client raises before a request leaves (no token, wrong environment, refused
 * connection, local rate limit): nothing was sent. Any other error, a BrokerTimeoutError included,
 * may have come after sending.
 */
const NOT_SENT_CODES: ReadonlySet<BrokerErrorCode> = new Set<BrokerErrorCode>([
  BROKER_ERROR_CODES.AUTHENTICATION_FAILED,
  BROKER_ERROR_CODES.INVALID_ARGUMENT,
  BROKER_ERROR_CODES.INVALID_ORDER,
  BROKER_ERROR_CODES.BROKER_UNAVAILABLE,
  BROKER_ERROR_CODES.RATE_LIMITED,
  BROKER_ERROR_CODES.ORDER_EXPIRED,
]);

/**
 * The domain error of an order mutation (place, cancel) whose request failed before an answer: unknown
 * outcome (OrderOutcomeUnknownError: reconcile, never re-send) unless the failure proves the request never
 * left (a "not sent" domain error as it is, a refused connection as BrokerUnavailableError).
 */
export function orderTransportFailure(
  error: unknown,
  brokerId: string,
  what: string,
  clientOrderId?: string,
): Error {
  if (error instanceof OrderOutcomeUnknownError || (isBrokerError(error) && NOT_SENT_CODES.has(error.code))) {
    return error;
  }
  if (isRestTransportError(error) && !error.mayHaveReachedBroker) {
    return new BrokerUnavailableError(`${brokerId}: ${what} not sent: ${error.message}`, {
      details: { brokerId },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OrderOutcomeUnknownError(
    `${brokerId}: ${what} outcome unknown (${message}); reconcile, do not re-send`,
    {
      clientOrderId,
      details: { brokerId },
      cause: error,
    },
  );
}

/** An order mutation answered with an HTTP status the front end uses for refusals, without a broker body. */
export function refusedHttpFailure(status: number, brokerId: string, what: string): Error {
  const condition = transportConditionOfHttpStatus(status);
  const code = condition === undefined ? FailSafeCode.FS049 : failSafeForTransport(condition);
  return brokerRefusalError(code, `${brokerId}: ${what} refused with HTTP ${status}`, {
    brokerId,
    brokerCode: `HTTP ${status}`,
  });
}
