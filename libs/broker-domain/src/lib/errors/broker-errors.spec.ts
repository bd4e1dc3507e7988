import { OrderStatus } from '../enums/order-status';
import { BROKER_ERROR_CODES, isBrokerErrorCode } from './broker-error-codes';
import { BrokerError, isBrokerError } from './broker-error';
import {
  AccountNotFoundError,
  AuthenticationError,
  BrokerNotFoundError,
  BrokerTimeoutError,
  BrokerUnavailableError,
  IllegalOrderTransitionError,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderExpiredError,
  OrderRejectedError,
  RateLimitExceededError,
  SymbolNotFoundError,
} from './broker-errors';

describe('domain errors', () => {
  const cases: Array<[BrokerError, string, string, boolean]> = [
    [new BrokerUnavailableError(), 'BrokerUnavailableError', 'BROKER_UNAVAILABLE', true],
    [new BrokerTimeoutError(), 'BrokerTimeoutError', 'BROKER_TIMEOUT', true],
    [new OrderOutcomeUnknownError(), 'OrderOutcomeUnknownError', 'ORDER_OUTCOME_UNKNOWN', false],
    [new RateLimitExceededError(), 'RateLimitExceededError', 'RATE_LIMITED', true],
    [new InvalidOrderError(), 'InvalidOrderError', 'INVALID_ORDER', false],
    [new OrderRejectedError(), 'OrderRejectedError', 'ORDER_REJECTED', false],
    [new InsufficientFundsError(), 'InsufficientFundsError', 'INSUFFICIENT_FUNDS', false],
    [new OrderNotFoundError(), 'OrderNotFoundError', 'ORDER_NOT_FOUND', false],
    [new AuthenticationError(), 'AuthenticationError', 'AUTHENTICATION_FAILED', false],
    [new NotSupportedError(), 'NotSupportedError', 'NOT_SUPPORTED', false],
    [new SymbolNotFoundError(), 'SymbolNotFoundError', 'SYMBOL_NOT_FOUND', false],
    [new AccountNotFoundError(), 'AccountNotFoundError', 'ACCOUNT_NOT_FOUND', false],
    [new BrokerNotFoundError(), 'BrokerNotFoundError', 'BROKER_NOT_FOUND', false],
    [new InvalidArgumentError(), 'InvalidArgumentError', 'INVALID_ARGUMENT', false],
    [new IllegalOrderTransitionError(), 'IllegalOrderTransitionError', 'ILLEGAL_ORDER_TRANSITION', false],
    [new OrderExpiredError(), 'OrderExpiredError', 'ORDER_EXPIRED', false],
  ];

  it.each(cases)('%p: name, stable code and retryability', (error, name, code, retryable) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message.length).toBeGreaterThan(0);
    expect(isBrokerError(error)).toBe(true);
    expect(error.stack).toContain(name);
  });

  it('covers every code in BROKER_ERROR_CODES exactly once', () => {
    expect(cases.map(([error]) => error.code).sort()).toEqual(Object.values(BROKER_ERROR_CODES).sort());
    expect(Object.entries(BROKER_ERROR_CODES).every(([key, value]) => key === value)).toBe(true);
    expect(isBrokerErrorCode('RATE_LIMITED')).toBe(true);
    expect(isBrokerErrorCode('SOMETHING_ELSE')).toBe(false);
    expect(isBrokerErrorCode(42)).toBe(false);
  });

  it('never asks to re-send an order whose outcome is unknown, and keeps its clientOrderId', () => {
    const error = new OrderOutcomeUnknownError('timed out after send', { clientOrderId: 'intent-1' });
    expect(error.retryable).toBe(false);
    expect(error.clientOrderId).toBe('intent-1');
  });

  it('carries retryAfterMs on rate limiting, normalised to a whole non-negative number', () => {
    expect(new RateLimitExceededError('slow down', { retryAfterMs: 250 }).retryAfterMs).toBe(250);
    expect(new RateLimitExceededError('slow down', { retryAfterMs: 12.2 }).retryAfterMs).toBe(13);
    expect(new RateLimitExceededError('slow down', { retryAfterMs: -5 }).retryAfterMs).toBe(0);
    expect(new RateLimitExceededError('slow down', { retryAfterMs: Number.NaN }).retryAfterMs).toBe(0);
    expect(new RateLimitExceededError().retryAfterMs).toBe(0);
  });

  it('names the offending field on input errors', () => {
    expect(new InvalidOrderError('quantity must be positive', { field: 'quantity' }).field).toBe('quantity');
    expect(new InvalidArgumentError('bad start', { field: 'start' }).field).toBe('start');
    expect(new OrderRejectedError('no', { brokerCode: '40100000' }).brokerCode).toBe('40100000');
  });

  it('records the refused transition', () => {
    const error = new IllegalOrderTransitionError('no', {
      from: OrderStatus.FILLED,
      to: OrderStatus.CANCELLED,
    });
    expect(error.from).toBe(OrderStatus.FILLED);
    expect(error.to).toBe(OrderStatus.CANCELLED);
  });

  it('keeps the cause for logs but renders only code, message and details', () => {
    const cause = new Error('socket hang up: token=secret');
    const error = new BrokerUnavailableError('JTS is unreachable', { cause, details: { brokerId: 'kis' } });
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ brokerId: 'kis' });
    expect(Object.isFrozen(error.details)).toBe(true);
    const json = JSON.stringify(error);
    expect(JSON.parse(json)).toEqual({
      name: 'BrokerUnavailableError',
      code: 'BROKER_UNAVAILABLE',
      message: 'JTS is unreachable',
      retryable: true,
      details: { brokerId: 'kis' },
    });
    expect(json).not.toContain('secret');
    expect(new NotSupportedError().toJSON()).not.toHaveProperty('details');
  });

  it('recognises domain errors only', () => {
    expect(isBrokerError(new Error('plain'))).toBe(false);
    expect(isBrokerError({ code: 'RATE_LIMITED', retryable: true })).toBe(false);
    expect(isBrokerError('RATE_LIMITED')).toBe(false);
    expect(isBrokerError(undefined)).toBe(false);
    // An error from a second copy of the library is still recognised by its shape.
    const foreign = Object.assign(new Error('from another bundle'), {
      code: 'BROKER_TIMEOUT',
      retryable: true,
    });
    expect(isBrokerError(foreign)).toBe(true);
    const unrelated = Object.assign(new Error('node error'), { code: 'ECONNREFUSED', retryable: true });
    expect(isBrokerError(unrelated)).toBe(false);
  });
});
