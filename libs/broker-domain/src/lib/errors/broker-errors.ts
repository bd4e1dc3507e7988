import { OrderStatus } from '../enums/order-status';
import { BROKER_ERROR_CODES } from './broker-error-codes';
import { BrokerError, BrokerErrorOptions } from './broker-error';

/** The broker (or the JTS server in front of it) cannot be reached. Nothing was done: safe to retry. */
export class BrokerUnavailableError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.BROKER_UNAVAILABLE;
  readonly retryable = true;

  constructor(message = 'Broker is unavailable', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

/**
 * A read timed out. Only for calls without side effects: a timed-out order placement is an
 * OrderOutcomeUnknownError instead.
 */
export class BrokerTimeoutError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.BROKER_TIMEOUT;
  readonly retryable = true;

  constructor(message = 'Broker call timed out', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

export interface OrderOutcomeUnknownErrorOptions extends BrokerErrorOptions {
  clientOrderId?: string;
}

/**
 * An order may or may not have reached the broker. Never re-send it: reconcile by clientOrderId
 * (BrokerGateway.findOrderByClientOrderId) first.
 */
export class OrderOutcomeUnknownError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ORDER_OUTCOME_UNKNOWN;
  readonly retryable = false;
  readonly clientOrderId?: string;

  constructor(
    message = 'Order outcome is unknown; reconcile before retrying',
    options: OrderOutcomeUnknownErrorOptions = {},
  ) {
    super(message, options);
    this.clientOrderId = options.clientOrderId;
  }
}

export interface RateLimitExceededErrorOptions extends BrokerErrorOptions {
  /** How long to wait before the same request can be admitted, in milliseconds. */
  retryAfterMs: number;
}

/** The request would exceed a broker rate limit (locally or as reported by the broker). */
export class RateLimitExceededError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.RATE_LIMITED;
  readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(
    message = 'Broker rate limit exceeded',
    options: RateLimitExceededErrorOptions = { retryAfterMs: 0 },
  ) {
    super(message, options);
    // A negative, fractional or non-finite hint would break Retry-After headers and timers downstream.
    this.retryAfterMs = Number.isFinite(options.retryAfterMs)
      ? Math.max(0, Math.ceil(options.retryAfterMs))
      : 0;
  }
}

export interface FieldErrorOptions extends BrokerErrorOptions {
  /** The offending input field, e.g. 'quantity' or 'price'. */
  field?: string;
}

/** The order itself is malformed or not acceptable as given (quantity, tick, missing price ...). */
export class InvalidOrderError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.INVALID_ORDER;
  readonly retryable = false;
  readonly field?: string;

  constructor(message = 'Invalid order', options: FieldErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
  }
}

export interface OrderRejectedErrorOptions extends BrokerErrorOptions {
  /** The broker's own message code (e.g. KIS msg_cd), when it gave one. */
  brokerCode?: string;
}

/** The broker received the order and refused it. */
export class OrderRejectedError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ORDER_REJECTED;
  readonly retryable = false;
  readonly brokerCode?: string;

  constructor(message = 'Order rejected by the broker', options: OrderRejectedErrorOptions = {}) {
    super(message, options);
    this.brokerCode = options.brokerCode;
  }
}

/** Not enough cash (buy) or holdings (sell) for the order. */
export class InsufficientFundsError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.INSUFFICIENT_FUNDS;
  readonly retryable = false;

  constructor(message = 'Insufficient funds', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

export class OrderNotFoundError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ORDER_NOT_FOUND;
  readonly retryable = false;

  constructor(message = 'Order not found', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

/** Credentials were refused or a token could not be obtained. The message never contains the credentials. */
export class AuthenticationError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.AUTHENTICATION_FAILED;
  readonly retryable = false;

  constructor(message = 'Broker authentication failed', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

/** The broker or gateway does not offer this operation (e.g. a timeframe a broker cannot serve). */
export class NotSupportedError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.NOT_SUPPORTED;
  readonly retryable = false;

  constructor(message = 'Operation not supported', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

export class SymbolNotFoundError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.SYMBOL_NOT_FOUND;
  readonly retryable = false;

  constructor(message = 'Symbol not found', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

export class AccountNotFoundError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ACCOUNT_NOT_FOUND;
  readonly retryable = false;

  constructor(message = 'Account not found', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

export class BrokerNotFoundError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.BROKER_NOT_FOUND;
  readonly retryable = false;

  constructor(message = 'Broker not found', options?: BrokerErrorOptions) {
    super(message, options);
  }
}

/** A value handed to the domain is malformed (bad decimal, empty id, start after end ...). */
export class InvalidArgumentError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.INVALID_ARGUMENT;
  readonly retryable = false;
  readonly field?: string;

  constructor(message = 'Invalid argument', options: FieldErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
  }
}

export interface IllegalOrderTransitionErrorOptions extends BrokerErrorOptions {
  from?: OrderStatus;
  to?: OrderStatus;
}

/** An order status change the state machine forbids (e.g. FILLED -> CANCELLED). */
export class IllegalOrderTransitionError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ILLEGAL_ORDER_TRANSITION;
  readonly retryable = false;
  readonly from?: OrderStatus;
  readonly to?: OrderStatus;

  constructor(message = 'Illegal order status transition', options: IllegalOrderTransitionErrorOptions = {}) {
    super(message, options);
    this.from = options.from;
    this.to = options.to;
  }
}

/**
 * An order was not sent because its send-by time (the intent's expiry) passed first, e.g. while it waited for a
 * rate-limit permit or a connection. Nothing reached the broker; the order must not be sent any more.
 */
export class OrderExpiredError extends BrokerError {
  readonly code = BROKER_ERROR_CODES.ORDER_EXPIRED;
  readonly retryable = false;

  constructor(message = 'The order expired before it could be sent; nothing was sent', options?: BrokerErrorOptions) {
    super(message, options);
  }
}
