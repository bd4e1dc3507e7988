import { status } from '@grpc/grpc-js';
import {
  AccountNotFoundError,
  BrokerNotFoundError,
  InvalidArgumentError,
  InvalidOrderError,
  OrderNotFoundError,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { IntentConflictError } from '../processing/intent-conflict-error';
import { IntentNotPersistedError } from '../processing/intent-not-persisted-error';
import { WorkerStoppingError } from '../processing/worker-stopping-error';
import { grpcStatusForError } from './grpc-status-for-error';

describe('grpcStatusForError', () => {
  it('names the proto field of a bad argument', () => {
    expect(grpcStatusForError(new InvalidArgumentError('limitPrice must be a positive finite Decimal', { field: 'limitPrice' }))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'limit_price must be a positive finite Decimal',
    });
    expect(grpcStatusForError(new InvalidArgumentError('intent must be an object'))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'intent must be an object',
    });
    expect(grpcStatusForError(new InvalidArgumentError('not on the tick grid', { field: 'limitPrice' })).details).toBe(
      'limit_price: not on the tick grid',
    );
    expect(grpcStatusForError(new InvalidOrderError('bad')).code).toBe(status.INVALID_ARGUMENT);
  });

  it.each([
    [new BrokerNotFoundError('x'), status.NOT_FOUND],
    [new AccountNotFoundError('x'), status.NOT_FOUND],
    [new OrderNotFoundError('x'), status.NOT_FOUND],
    [new IntentConflictError('i', 'quantity'), status.ALREADY_EXISTS],
    [new IntentNotPersistedError('i', new Error('disk')), status.UNAVAILABLE],
    [new WorkerStoppingError('i'), status.UNAVAILABLE],
  ])('maps %p to status %s', (error, code) => {
    expect(grpcStatusForError(error).code).toBe(code);
  });

  it('never passes an internal message on', () => {
    for (const error of [new Error('SQLITE_CORRUPT at /srv/data'), new RateLimitExceededError('x', { retryAfterMs: 1 }), 'boom']) {
      expect(grpcStatusForError(error)).toEqual({ code: status.INTERNAL, details: 'internal error of the execution worker' });
    }
  });
});
