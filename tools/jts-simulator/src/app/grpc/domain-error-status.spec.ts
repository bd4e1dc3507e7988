import { status } from '@grpc/grpc-js';
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
  OrderRejectedError,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { INTERNAL_ERROR_MESSAGE, isInternalStatus, toGrpcStatusError } from './domain-error-status';
import { GrpcStatusError } from './grpc-status-error';

describe('toGrpcStatusError', () => {
  it.each([
    [new InvalidArgumentError('timeframe bad', { field: 'timeframe' }), status.INVALID_ARGUMENT, 'INVALID_ARGUMENT'],
    [new InvalidOrderError('price off tick', { field: 'price' }), status.INVALID_ARGUMENT, 'INVALID_ORDER'],
    [new SymbolNotFoundError(), status.NOT_FOUND, 'SYMBOL_NOT_FOUND'],
    [new AccountNotFoundError(), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND'],
    [new OrderNotFoundError(), status.NOT_FOUND, 'ORDER_NOT_FOUND'],
    [new BrokerNotFoundError(), status.NOT_FOUND, 'BROKER_NOT_FOUND'],
    [new InsufficientFundsError(), status.FAILED_PRECONDITION, 'INSUFFICIENT_FUNDS'],
    [new OrderRejectedError(), status.FAILED_PRECONDITION, 'ORDER_REJECTED'],
    // The broker refused the platform's credentials: for the client the broker is unusable.
    [new AuthenticationError(), status.UNAVAILABLE, 'AUTHENTICATION_FAILED'],
    [new NotSupportedError(), status.UNIMPLEMENTED, 'NOT_SUPPORTED'],
    [new BrokerUnavailableError(), status.UNAVAILABLE, 'BROKER_UNAVAILABLE'],
    [new BrokerTimeoutError(), status.DEADLINE_EXCEEDED, 'BROKER_TIMEOUT'],
    [new IllegalOrderTransitionError(), status.INTERNAL, 'ILLEGAL_ORDER_TRANSITION'],
    [new OrderOutcomeUnknownError(), status.DEADLINE_EXCEEDED, 'ORDER_OUTCOME_UNKNOWN'],
  ])('maps %p to its status with the domain code in jts-error-code', (error, code, errorCode) => {
    const mapped = toGrpcStatusError(error);

    expect(mapped.code).toBe(code);
    expect(mapped.details).toBe(error.message);
    expect(mapped.trailer('errorCode')).toBe(errorCode);
  });

  it('adds retry-after-ms to a rate-limit error', () => {
    const mapped = toGrpcStatusError(new RateLimitExceededError('slow down', { retryAfterMs: 250 }));

    expect(mapped.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(mapped.trailer('retryAfterMs')).toBe('250');
  });

  it('answers anything else with INTERNAL and a safe message, never the error text', () => {
    const mapped = toGrpcStatusError(new TypeError('secret token abc123 leaked'));

    expect(mapped.code).toBe(status.INTERNAL);
    expect(mapped.details).toBe(INTERNAL_ERROR_MESSAGE);
    expect(mapped.metadata.getMap()).toEqual({});
    expect(isInternalStatus(mapped)).toBe(true);
    expect(toGrpcStatusError('a string').code).toBe(status.INTERNAL);
  });

  it('passes a status error through unchanged', () => {
    const error = new GrpcStatusError(status.FAILED_PRECONDITION, 'final', { errorCode: 'INVALID_ORDER' });

    expect(toGrpcStatusError(error)).toBe(error);
    expect(isInternalStatus(error)).toBe(false);
  });
});
