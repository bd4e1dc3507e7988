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
} from '../errors/broker-errors';
import { FAIL_SAFE_CODES, FailSafeCode, isFailSafeCode } from './fail-safe-code';
import { failSafeCodeForError } from './fail-safe-code-for-error';

describe('FAIL_SAFE_CODES', () => {
  it('documents FS040 through FS050, each code equal to its name', () => {
    expect(Object.keys(FAIL_SAFE_CODES)).toEqual([
      'FS040',
      'FS041',
      'FS042',
      'FS043',
      'FS044',
      'FS045',
      'FS046',
      'FS047',
      'FS048',
      'FS049',
      'FS050',
    ]);
    expect(Object.values(FailSafeCode)).toEqual(Object.keys(FAIL_SAFE_CODES));
    for (const meaning of Object.values(FAIL_SAFE_CODES)) {
      expect(meaning.length).toBeGreaterThan(10);
    }
    expect(FAIL_SAFE_CODES.FS042).toMatch(/timeout/i);
    expect(FAIL_SAFE_CODES.FS047).toMatch(/live trading/i);
    expect(isFailSafeCode('FS046')).toBe(true);
    expect(FAIL_SAFE_CODES.FS050).toMatch(/expir/i);
    expect(isFailSafeCode('FS050')).toBe(true);
    expect(isFailSafeCode('FS051')).toBe(false);
  });
});

describe('failSafeCodeForError', () => {
  it.each([
    [new OrderRejectedError(), FailSafeCode.FS040],
    [new NotSupportedError(), FailSafeCode.FS040],
    [new InsufficientFundsError(), FailSafeCode.FS041],
    [new BrokerTimeoutError(), FailSafeCode.FS042],
    [new OrderOutcomeUnknownError(), FailSafeCode.FS042],
    [new RateLimitExceededError('busy', { retryAfterMs: 100 }), FailSafeCode.FS043],
    [new BrokerUnavailableError(), FailSafeCode.FS044],
    [new BrokerNotFoundError(), FailSafeCode.FS044],
    [new AuthenticationError(), FailSafeCode.FS045],
    [new InvalidOrderError(), FailSafeCode.FS048],
    [new InvalidArgumentError(), FailSafeCode.FS048],
    [new SymbolNotFoundError(), FailSafeCode.FS048],
    [new AccountNotFoundError(), FailSafeCode.FS048],
    [new OrderNotFoundError(), FailSafeCode.FS049],
    [new IllegalOrderTransitionError(), FailSafeCode.FS049],
    [new OrderExpiredError(), FailSafeCode.FS050],
  ])('maps %p to %s', (error, code) => {
    expect(failSafeCodeForError(error)).toBe(code);
  });

  it('maps anything that is not a domain error to FS049', () => {
    for (const thrown of [
      new Error('boom'),
      new TypeError('x'),
      'string',
      undefined,
      null,
      { code: 'RATE_LIMITED' },
    ]) {
      expect(failSafeCodeForError(thrown)).toBe(FailSafeCode.FS049);
    }
  });
});
