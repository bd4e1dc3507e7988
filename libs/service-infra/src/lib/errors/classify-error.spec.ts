import { status } from '@grpc/grpc-js';
import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import {
  AccountNotFoundError,
  IllegalOrderTransitionError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderExpiredError,
  OrderOutcomeUnknownError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { classifyError, MAX_ERROR_MESSAGE_CHARS, retryAfterSeconds } from './classify-error';
import { ERROR_STATUS_TABLE, grpcStatusForHttp } from './error-status-table';
import { PLATFORM_ERROR_CODES } from './platform-error-codes';
import {
  ApiKeyInvalidError,
  ApiKeyNotFoundError,
  InsufficientScopeError,
  PlatformError,
  RequestValidationError,
  ServiceStoppingError,
  StrategyNotPermittedError,
} from './platform-errors';

class CodedError extends PlatformError {
  constructor(
    readonly code: string,
    message = 'coded',
  ) {
    super(message);
  }
}

class ReplayedError extends PlatformError {
  override readonly httpStatus: number;

  constructor(status: number, readonly code: string, message: string) {
    super(message);
    this.httpStatus = status;
  }
}

describe('classifyError', () => {
  it.each([
    [new RequestValidationError(['price must be positive']), 400, status.INVALID_ARGUMENT, 'INVALID_ARGUMENT'],
    [new InvalidOrderError('off tick'), 400, status.INVALID_ARGUMENT, 'INVALID_ORDER'],
    [new ApiKeyInvalidError(), 401, status.UNAUTHENTICATED, 'API_KEY_INVALID'],
    [new InsufficientScopeError('trade'), 403, status.PERMISSION_DENIED, 'INSUFFICIENT_SCOPE'],
    [new AccountNotFoundError(), 404, status.NOT_FOUND, 'ACCOUNT_NOT_FOUND'],
    [new CodedError('IDEMPOTENCY_CONFLICT'), 409, status.ALREADY_EXISTS, 'IDEMPOTENCY_CONFLICT'],
    [new CodedError('IDEMPOTENCY_IN_PROGRESS'), 409, status.ABORTED, 'IDEMPOTENCY_IN_PROGRESS'],
    [new CodedError('INTENT_CONFLICT'), 409, status.ALREADY_EXISTS, 'INTENT_CONFLICT'],
    [new CodedError('INTENT_NOT_CONFIRMED'), 503, status.UNAVAILABLE, 'INTENT_NOT_CONFIRMED'],
    [new ServiceStoppingError(), 503, status.UNAVAILABLE, 'SERVICE_STOPPING'],
    [new InsufficientFundsError(), 422, status.FAILED_PRECONDITION, 'INSUFFICIENT_FUNDS'],
    [new IllegalOrderTransitionError(), 502, status.INTERNAL, 'ILLEGAL_ORDER_TRANSITION'],
    [new OrderExpiredError(), 422, status.FAILED_PRECONDITION, 'ORDER_EXPIRED'],
    [new OrderOutcomeUnknownError('deadline exceeded'), 504, status.DEADLINE_EXCEEDED, 'ORDER_OUTCOME_UNKNOWN'],
  ])('%p -> HTTP %i / gRPC %i / %s', (error, http, grpc, code) => {
    expect(classifyError(error)).toMatchObject({ httpStatus: http, grpcStatus: grpc, code, unexpected: false });
  });

  it('keeps the retry hint of a rate limit and rounds Retry-After up to whole seconds', () => {
    expect(classifyError(new RateLimitExceededError('busy', { retryAfterMs: 2_001 }))).toMatchObject({
      httpStatus: 429,
      grpcStatus: status.RESOURCE_EXHAUSTED,
      retryAfterMs: 2_001,
    });
    expect(retryAfterSeconds(2_001)).toBe(3);
    expect(retryAfterSeconds(1_000)).toBe(1);
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(undefined)).toBe(1);
    expect(retryAfterSeconds(Number.NaN)).toBe(1);
  });

  it('has a row for every stable code, and answers a code outside the table as an internal error', () => {
    expect(Object.keys(ERROR_STATUS_TABLE).sort()).toEqual(Object.values(PLATFORM_ERROR_CODES).sort());
    expect(classifyError(new CodedError('SOMETHING_NEW', 'x'))).toMatchObject({ httpStatus: 500, grpcStatus: status.INTERNAL, code: 'SOMETHING_NEW', unexpected: true });
  });

  it("keeps a domain error's message: it is written for clients", () => {
    expect(classifyError(new OrderOutcomeUnknownError('deadline exceeded')).message).toBe('deadline exceeded');
  });

  it('answers an error that carries its own HTTP status (a replayed answer) with that status, code and message', () => {
    expect(classifyError(new ReplayedError(422, 'INSUFFICIENT_FUNDS', 'not enough cash'))).toMatchObject({
      httpStatus: 422,
      grpcStatus: status.FAILED_PRECONDITION,
      code: 'INSUFFICIENT_FUNDS',
      message: 'not enough cash',
    });
  });

  it('gives framework HTTP errors fixed messages that never quote the request', () => {
    const parse = classifyError(new BadRequestException('Unexpected token p in JSON at position 12: "password": "hunter2"'));
    expect(parse).toMatchObject({ httpStatus: 400, code: 'MALFORMED_REQUEST' });
    expect(parse.message).not.toContain('hunter2');
    expect(classifyError(new NotFoundException())).toMatchObject({ httpStatus: 404, code: 'ROUTE_NOT_FOUND' });
    expect(classifyError(new PayloadTooLargeException())).toMatchObject({ httpStatus: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(classifyError(new HttpException('teapot with "secret"', 418))).toMatchObject({
      httpStatus: 418,
      code: 'MALFORMED_REQUEST',
      message: 'request refused (HTTP 418)',
    });
    expect(classifyError(new HttpException('upstream', 502))).toMatchObject({ httpStatus: 502, code: 'INTERNAL', unexpected: true });
  });

  it('classifies raw client errors of the body parser (http-errors with expose) by their status', () => {
    const charset = Object.assign(new Error('unsupported charset "LATIN1"'), { status: 415, expose: true, type: 'charset.unsupported' });
    expect(classifyError(charset)).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_MEDIA_TYPE', unexpected: false });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(classifyError(tooLarge)).toMatchObject({ httpStatus: 413, code: 'PAYLOAD_TOO_LARGE' });
    // Without `expose` (a server-side failure) or with a 5xx status it stays an internal error.
    expect(classifyError(Object.assign(new Error('x'), { status: 415 }))).toMatchObject({ httpStatus: 500 });
    expect(classifyError(Object.assign(new Error('x'), { status: 503, expose: true }))).toMatchObject({ httpStatus: 500 });
  });

  it('cuts messages longer than MAX_ERROR_MESSAGE_CHARS', () => {
    const classified = classifyError(new InvalidOrderError(`refused: ${'x'.repeat(100_000)}`));
    expect(classified.message.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 20);
    expect(classified.message.endsWith('… (message cut)')).toBe(true);
  });

  it('answers a strategy the key is not bound to with 403 / PERMISSION_DENIED, quoting only a prefix', () => {
    const refused = classifyError(new StrategyNotPermittedError('s'.repeat(5_000)));
    expect(refused).toMatchObject({ httpStatus: 403, grpcStatus: status.PERMISSION_DENIED, code: 'STRATEGY_NOT_PERMITTED' });
    expect(refused.message.length).toBeLessThan(120);
    expect(classifyError(new ApiKeyNotFoundError('nope'))).toMatchObject({ httpStatus: 404, code: 'API_KEY_NOT_FOUND' });
  });

  it('hides unexpected errors behind a generic 500', () => {
    expect(classifyError(new Error('SQLITE_CORRUPT at /var/secret/path'))).toEqual({
      httpStatus: 500,
      grpcStatus: status.INTERNAL,
      code: 'INTERNAL',
      message: 'internal error',
      unexpected: true,
    });
    expect(classifyError('a string')).toMatchObject({ httpStatus: 500, unexpected: true });
  });

  it('maps HTTP statuses without a table row to the nearest gRPC class', () => {
    expect(grpcStatusForHttp(503)).toBe(status.UNAVAILABLE);
    expect(grpcStatusForHttp(418)).toBe(status.INVALID_ARGUMENT);
    expect(grpcStatusForHttp(599)).toBe(status.INTERNAL);
  });
});
