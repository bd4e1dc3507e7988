import { ServiceError, status } from '@grpc/grpc-js';
import {
  AccountNotFoundError,
  AuthenticationError,
  BROKER_ERROR_CODES,
  BrokerError,
  BrokerErrorDetails,
  BrokerOperation,
  BrokerTimeoutError,
  BrokerUnavailableError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  isBrokerError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { MalformedResponseError } from '../mapping/malformed-response-error';
import { isOrderMutation } from './broker-operation-kinds';
import { grpcStatusName, isGrpcServiceError, JtsErrorMetadata, readJtsErrorMetadata } from './grpc-service-error';

/** What the caller knows about the failed call beyond the error itself. */
export interface GrpcErrorContext {
  brokerId?: string;
  /** The idempotency key of the order, carried by OrderOutcomeUnknownError for reconciliation. */
  clientOrderId?: string;
  /**
   * Whether the request was handed to a READY channel (i.e. it may have reached the server). Only
   * consulted for UNAVAILABLE on order mutations; unknown (undefined) is treated as true, the safe side.
   */
  sentOnReadyChannel?: boolean;
}

/** Used when RESOURCE_EXHAUSTED arrives without retry-after-ms: one typical broker window. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** Server messages are human readable and secret-free by convention; still, keep them bounded. */
const MAX_SERVER_MESSAGE_LENGTH = 300;

/**
 * THE mapping of a failed JTS call to a domain error; every gateway method goes through it.
 *
 * Status class first (proto/jts/v1/trading.proto), refined by the `jts-error-code` metadata where one
 * status covers several domain errors (NOT_FOUND, FAILED_PRECONDITION), with the broker's own code
 * (`jts-broker-code`) kept in `details.brokerCode`.
 *
 * Orders (placeOrder, cancelOrder) are special: a BrokerUnavailableError or BrokerTimeoutError tells the
 * caller "nothing happened, send it again", which for an order that did reach the broker means a second
 * order. So every failure that may have happened AFTER the broker received the request becomes
 * OrderOutcomeUnknownError (reconcile via findOrderByClientOrderId, never re-send):
 * - DEADLINE_EXCEEDED: the server may still be processing it;
 * - UNAVAILABLE when the call was sent on a READY channel: the connection may have dropped after the
 *   request went out. When the channel was not READY the call failed fast, before anything was sent
 *   (waitForReady is off): BrokerUnavailableError;
 * - CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS, ABORTED and unreadable answers: the server got the request
 *   and then failed (we never cancel an order call ourselves).
 * Statuses that state a refusal (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED,
 * UNAUTHENTICATED, PERMISSION_DENIED, UNIMPLEMENTED, ALREADY_EXISTS) mean the order was not placed.
 */
export function mapGrpcError(error: unknown, operation: BrokerOperation, context: GrpcErrorContext = {}): BrokerError {
  if (isBrokerError(error)) {
    return error;
  }
  const orderMutation = isOrderMutation(operation);
  const label = context.brokerId === undefined ? 'Broker' : `Broker '${context.brokerId}'`;

  if (!isGrpcServiceError(error)) {
    const details: BrokerErrorDetails = {
      ...baseDetails(operation, context),
      ...(error instanceof MalformedResponseError ? { field: error.field } : {}),
    };
    const what = error instanceof MalformedResponseError ? 'sent an answer that could not be read' : 'call failed';
    return orderMutation
      ? outcomeUnknown(`${label} ${what} during ${operation}`, error, details, context)
      : new BrokerUnavailableError(`${label} ${what} (${operation})`, { details, cause: error });
  }

  const metadata = readJtsErrorMetadata(error.metadata);
  const details: BrokerErrorDetails = {
    ...baseDetails(operation, context),
    grpcStatus: grpcStatusName(error.code),
    ...(metadata.brokerCode === undefined ? {} : { brokerCode: metadata.brokerCode }),
    ...(metadata.errorCode === undefined ? {} : { errorCode: metadata.errorCode }),
  };
  const options = { details, cause: error };
  const serverMessage = boundedMessage(error);

  switch (error.code) {
    case status.UNAVAILABLE:
      if (orderMutation && context.sentOnReadyChannel !== false) {
        return outcomeUnknown(`${label} connection failed after ${operation} was sent`, error, details, context);
      }
      return new BrokerUnavailableError(`${label} is unavailable (${operation})`, options);

    case status.DEADLINE_EXCEEDED:
      return orderMutation
        ? outcomeUnknown(`${label} did not answer ${operation} before the deadline`, error, details, context)
        : new BrokerTimeoutError(`${label} did not answer ${operation} before the deadline`, options);

    case status.RESOURCE_EXHAUSTED:
      return new RateLimitExceededError(`${label} rate limit exceeded (${operation})`, {
        ...options,
        retryAfterMs: metadata.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
      });

    case status.INVALID_ARGUMENT:
    case status.OUT_OF_RANGE:
    case status.ALREADY_EXISTS:
      return orderMutation
        ? new InvalidOrderError(serverMessage ?? `${label} refused the order as invalid`, options)
        : new InvalidArgumentError(serverMessage ?? `${label} refused the request as invalid (${operation})`, options);

    case status.NOT_FOUND:
      return notFound(operation, metadata, serverMessage, options);

    case status.FAILED_PRECONDITION:
      return failedPrecondition(operation, metadata, serverMessage, options);

    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      // The server message could echo credential material from the broker: never pass it on.
      return new AuthenticationError(`${label} refused the credentials (${operation})`, options);

    case status.UNIMPLEMENTED:
      return new NotSupportedError(`${label} does not support ${operation}`, options);

    default:
      // CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS, ABORTED: the server's text may be an internal stack or
      // a broker payload, so only the status name is passed on.
      return orderMutation
        ? outcomeUnknown(`${label} failed while processing ${operation}`, error, details, context)
        : new BrokerUnavailableError(`${label} failed to answer ${operation} (${grpcStatusName(error.code)})`, options);
  }
}

type ErrorOptions = { details: BrokerErrorDetails; cause: ServiceError };

function notFound(
  operation: BrokerOperation,
  metadata: JtsErrorMetadata,
  serverMessage: string | undefined,
  options: ErrorOptions,
): BrokerError {
  switch (metadata.errorCode) {
    case BROKER_ERROR_CODES.SYMBOL_NOT_FOUND:
      return new SymbolNotFoundError(serverMessage, options);
    case BROKER_ERROR_CODES.ACCOUNT_NOT_FOUND:
      return new AccountNotFoundError(serverMessage, options);
    case BROKER_ERROR_CODES.ORDER_NOT_FOUND:
      return new OrderNotFoundError(serverMessage, options);
  }
  // A server that does not send jts-error-code: the operation tells what could be missing.
  switch (operation) {
    case 'getCandles':
    case 'getQuote':
    case 'streamQuotes':
      return new SymbolNotFoundError(serverMessage, options);
    case 'getBalance':
    case 'getPositions':
      return new AccountNotFoundError(serverMessage, options);
    case 'placeOrder':
      // The order does not exist yet: its symbol or account does not.
      return new InvalidOrderError(serverMessage ?? 'Symbol or account not found', options);
    default:
      return new OrderNotFoundError(serverMessage, options);
  }
}

function failedPrecondition(
  operation: BrokerOperation,
  metadata: JtsErrorMetadata,
  serverMessage: string | undefined,
  options: ErrorOptions,
): BrokerError {
  switch (metadata.errorCode) {
    case BROKER_ERROR_CODES.INSUFFICIENT_FUNDS:
      return new InsufficientFundsError(serverMessage, options);
    case BROKER_ERROR_CODES.ORDER_REJECTED:
      return new OrderRejectedError(serverMessage, { ...options, brokerCode: metadata.brokerCode });
    case BROKER_ERROR_CODES.INVALID_ORDER:
    case BROKER_ERROR_CODES.ILLEGAL_ORDER_TRANSITION:
      return new InvalidOrderError(serverMessage, options);
  }
  // Per the convention FAILED_PRECONDITION on a cancel means the order is already final.
  if (operation === 'cancelOrder') {
    return new InvalidOrderError(serverMessage ?? 'The order can no longer be cancelled', options);
  }
  return new InsufficientFundsError(serverMessage, options);
}

function outcomeUnknown(
  message: string,
  cause: unknown,
  details: BrokerErrorDetails,
  context: GrpcErrorContext,
): OrderOutcomeUnknownError {
  return new OrderOutcomeUnknownError(`${message}: its outcome is unknown, reconcile before retrying`, {
    details,
    cause,
    clientOrderId: context.clientOrderId,
  });
}

function baseDetails(operation: BrokerOperation, context: GrpcErrorContext): BrokerErrorDetails {
  return {
    operation,
    ...(context.brokerId === undefined ? {} : { brokerId: context.brokerId }),
    ...(context.clientOrderId === undefined ? {} : { clientOrderId: context.clientOrderId }),
  };
}

function boundedMessage(error: ServiceError): string | undefined {
  const text = (error.details ?? '').trim();
  if (text.length === 0) {
    return undefined;
  }
  return text.length > MAX_SERVER_MESSAGE_LENGTH ? `${text.slice(0, MAX_SERVER_MESSAGE_LENGTH)}...` : text;
}
