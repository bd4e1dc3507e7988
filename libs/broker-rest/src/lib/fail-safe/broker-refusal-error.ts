import {
  AuthenticationError,
  BrokerUnavailableError,
  FailSafeCode,
  InsufficientFundsError,
  InvalidOrderError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { UnclassifiedBrokerError } from './unclassified-broker-error';

export interface BrokerRefusalContext {
  brokerId: string;
  /** The broker's own code (KIS msg_cd, Kiwoom message code), kept in details for operators. */
  brokerCode?: string;
  clientOrderId?: string;
  /** For FS043: how long to wait; defaults to one second, the window of the brokers' per-second rules. */
  retryAfterMs?: number;
}

const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * The error an adapter throws for a broker answer classified as `code`. Built so that the domain's
 * failSafeCodeForError(error) gives back exactly `code`: the table decides, the bridge just reads it.
 */
export function brokerRefusalError(
  code: FailSafeCode,
  message: string,
  context: BrokerRefusalContext,
): Error {
  const details = {
    brokerId: context.brokerId,
    ...(context.brokerCode === undefined ? {} : { brokerCode: context.brokerCode }),
  };
  switch (code) {
    case FailSafeCode.FS040:
      return new OrderRejectedError(message, { brokerCode: context.brokerCode, details });
    case FailSafeCode.FS041:
      return new InsufficientFundsError(message, { details });
    case FailSafeCode.FS042:
      return new OrderOutcomeUnknownError(message, { clientOrderId: context.clientOrderId, details });
    case FailSafeCode.FS043:
      return new RateLimitExceededError(message, {
        retryAfterMs: context.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
        details,
      });
    case FailSafeCode.FS044:
      return new BrokerUnavailableError(message, { details });
    case FailSafeCode.FS045:
      return new AuthenticationError(message, { details });
    case FailSafeCode.FS048:
      return new InvalidOrderError(message, { details });
    default:
      // FS049, and FS046/FS047 which only the execution layer decides: unclassified.
      return new UnclassifiedBrokerError(message, { brokerCode: context.brokerCode });
  }
}
