import { status } from '@grpc/grpc-js';
import {
  AccountNotFoundError,
  AuthenticationError,
  BROKER_OPERATIONS,
  BrokerOperation,
  BrokerTimeoutError,
  BrokerUnavailableError,
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
import { grpcError } from '../../../test/scripted-jts-server';
import { MalformedResponseError } from '../mapping/malformed-response-error';
import { DEFAULT_RETRY_AFTER_MS, mapGrpcError } from './map-grpc-error';

const READS = BROKER_OPERATIONS.filter((op) => op !== 'placeOrder' && op !== 'cancelOrder');
const ORDERS: BrokerOperation[] = ['placeOrder', 'cancelOrder'];

describe('mapGrpcError', () => {
  describe('UNAVAILABLE', () => {
    it.each(READS)('%s -> BrokerUnavailable (retryable)', (operation) => {
      const error = mapGrpcError(grpcError(status.UNAVAILABLE, 'down'), operation, { brokerId: 'kis' });

      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ brokerId: 'kis', operation, grpcStatus: 'UNAVAILABLE' });
    });

    it.each(ORDERS)('%s sent on a READY channel -> OrderOutcomeUnknown carrying the clientOrderId', (operation) => {
      const error = mapGrpcError(grpcError(status.UNAVAILABLE, 'Connection dropped'), operation, {
        clientOrderId: 'intent-7',
        sentOnReadyChannel: true,
      });

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error.retryable).toBe(false);
      expect((error as OrderOutcomeUnknownError).clientOrderId).toBe('intent-7');
    });

    it.each(ORDERS)('%s whose channel was not READY (failed fast, never sent) -> BrokerUnavailable', (operation) => {
      const error = mapGrpcError(grpcError(status.UNAVAILABLE, 'No connection established'), operation, {
        sentOnReadyChannel: false,
      });

      expect(error).toBeInstanceOf(BrokerUnavailableError);
    });

    it('an order whose channel state is unknown is treated as sent (the safe side)', () => {
      expect(mapGrpcError(grpcError(status.UNAVAILABLE, 'x'), 'placeOrder')).toBeInstanceOf(OrderOutcomeUnknownError);
    });
  });

  describe('DEADLINE_EXCEEDED', () => {
    it.each(READS)('%s -> BrokerTimeout', (operation) => {
      expect(mapGrpcError(grpcError(status.DEADLINE_EXCEEDED, 'late'), operation)).toBeInstanceOf(BrokerTimeoutError);
    });

    it.each(ORDERS)('%s -> OrderOutcomeUnknown with the clientOrderId', (operation) => {
      const error = mapGrpcError(grpcError(status.DEADLINE_EXCEEDED, 'late'), operation, { clientOrderId: 'c-1' });

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error).toMatchObject({ clientOrderId: 'c-1', details: expect.objectContaining({ clientOrderId: 'c-1' }) });
      expect(error.message).toMatch(/reconcile/);
    });
  });

  describe('RESOURCE_EXHAUSTED', () => {
    it.each(BROKER_OPERATIONS)('%s -> RateLimitExceeded with retry-after-ms and the broker code', (operation) => {
      const error = mapGrpcError(
        grpcError(status.RESOURCE_EXHAUSTED, 'over', { 'jts-broker-code': 'EGW00201', 'retry-after-ms': '1250' }),
        operation,
      );

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect((error as RateLimitExceededError).retryAfterMs).toBe(1250);
      expect(error.details).toMatchObject({ brokerCode: 'EGW00201' });
    });

    it.each([
      ['missing', {}],
      ['not an integer', { 'retry-after-ms': '1.5s' }],
      ['negative', { 'retry-after-ms': '-5' }],
    ])('retry-after-ms %s -> the default wait', (_case, metadata) => {
      const error = mapGrpcError(grpcError(status.RESOURCE_EXHAUSTED, 'over', metadata), 'getQuote');

      expect((error as RateLimitExceededError).retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
    });
  });

  describe('INVALID_ARGUMENT', () => {
    it.each(ORDERS)('%s -> InvalidOrder with the server reason', (operation) => {
      const error = mapGrpcError(grpcError(status.INVALID_ARGUMENT, 'price 71550 is not on the tick grid'), operation);

      expect(error).toBeInstanceOf(InvalidOrderError);
      expect(error.message).toBe('price 71550 is not on the tick grid');
    });

    it.each(READS)('%s -> InvalidArgument', (operation) => {
      expect(mapGrpcError(grpcError(status.INVALID_ARGUMENT, 'bad timeframe'), operation)).toBeInstanceOf(InvalidArgumentError);
    });

    it('OUT_OF_RANGE and ALREADY_EXISTS are refusals of the same kind', () => {
      expect(mapGrpcError(grpcError(status.OUT_OF_RANGE, 'x'), 'getCandles')).toBeInstanceOf(InvalidArgumentError);
      expect(mapGrpcError(grpcError(status.ALREADY_EXISTS, 'x'), 'placeOrder')).toBeInstanceOf(InvalidOrderError);
    });

    it('without a server message it still says something useful', () => {
      expect(mapGrpcError(grpcError(status.INVALID_ARGUMENT, ''), 'getQuote', { brokerId: 'kis' }).message).toBe(
        "Broker 'kis' refused the request as invalid (getQuote)",
      );
      expect(mapGrpcError(grpcError(status.INVALID_ARGUMENT, ''), 'placeOrder').message).toBe('Broker refused the order as invalid');
    });

    it('bounds a very long server message', () => {
      const error = mapGrpcError(grpcError(status.INVALID_ARGUMENT, 'x'.repeat(1_000)), 'getQuote');

      expect(error.message.length).toBeLessThanOrEqual(303);
    });
  });

  describe('NOT_FOUND', () => {
    it.each([
      ['SYMBOL_NOT_FOUND', SymbolNotFoundError],
      ['ACCOUNT_NOT_FOUND', AccountNotFoundError],
      ['ORDER_NOT_FOUND', OrderNotFoundError],
    ])('jts-error-code %s decides, whatever the operation', (code, expected) => {
      for (const operation of BROKER_OPERATIONS) {
        expect(mapGrpcError(grpcError(status.NOT_FOUND, 'missing', { 'jts-error-code': code }), operation)).toBeInstanceOf(expected);
      }
    });

    it.each([
      ['getCandles', SymbolNotFoundError],
      ['getQuote', SymbolNotFoundError],
      ['streamQuotes', SymbolNotFoundError],
      ['getBalance', AccountNotFoundError],
      ['getPositions', AccountNotFoundError],
      ['getOrderStatus', OrderNotFoundError],
      ['cancelOrder', OrderNotFoundError],
      ['getSymbols', OrderNotFoundError],
      ['placeOrder', InvalidOrderError],
    ] as const)('without jts-error-code, %s -> %p', (operation, expected) => {
      expect(mapGrpcError(grpcError(status.NOT_FOUND, ''), operation)).toBeInstanceOf(expected);
    });
  });

  describe('FAILED_PRECONDITION', () => {
    it('-> InsufficientFunds', () => {
      expect(mapGrpcError(grpcError(status.FAILED_PRECONDITION, 'not enough cash'), 'placeOrder')).toBeInstanceOf(
        InsufficientFundsError,
      );
    });

    it.each([
      ['INSUFFICIENT_FUNDS', InsufficientFundsError],
      ['ORDER_REJECTED', OrderRejectedError],
      ['INVALID_ORDER', InvalidOrderError],
      ['ILLEGAL_ORDER_TRANSITION', InvalidOrderError],
    ])('jts-error-code %s refines it', (code, expected) => {
      expect(
        mapGrpcError(grpcError(status.FAILED_PRECONDITION, 'no', { 'jts-error-code': code }), 'placeOrder'),
      ).toBeInstanceOf(expected);
    });

    it('keeps the broker code of a rejection', () => {
      const error = mapGrpcError(
        grpcError(status.FAILED_PRECONDITION, '주문가능금액을 초과', { 'jts-error-code': 'ORDER_REJECTED', 'jts-broker-code': 'APBK0919' }),
        'placeOrder',
      );

      expect(error).toMatchObject({ brokerCode: 'APBK0919', message: '주문가능금액을 초과' });
    });

    it('on cancelOrder it means the order is already final -> InvalidOrder', () => {
      const error = mapGrpcError(grpcError(status.FAILED_PRECONDITION, ''), 'cancelOrder');

      expect(error).toBeInstanceOf(InvalidOrderError);
      expect(error.message).toBe('The order can no longer be cancelled');
    });
  });

  it.each([status.UNAUTHENTICATED, status.PERMISSION_DENIED])('%s -> Authentication, never echoing the server text', (code) => {
    const error = mapGrpcError(grpcError(code, 'appsecret=abc123 rejected'), 'getBalance', { brokerId: 'kis' });

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).not.toContain('abc123');
  });

  it('UNIMPLEMENTED -> NotSupported', () => {
    expect(mapGrpcError(grpcError(status.UNIMPLEMENTED, 'no'), 'getCandles')).toBeInstanceOf(NotSupportedError);
  });

  describe('CANCELLED and unknown statuses', () => {
    it.each([status.CANCELLED, status.UNKNOWN, status.INTERNAL, status.DATA_LOSS, status.ABORTED])(
      'reads: status %s -> BrokerUnavailable with a safe message',
      (code) => {
        const error = mapGrpcError(grpcError(code, 'java.lang.NullPointerException at com.kis...'), 'getQuote', { brokerId: 'kis' });

        expect(error).toBeInstanceOf(BrokerUnavailableError);
        expect(error.message).not.toContain('NullPointer');
      },
    );

    it.each([status.CANCELLED, status.UNKNOWN, status.INTERNAL, status.DATA_LOSS, status.ABORTED])(
      'orders: status %s happened after the server got the order -> OrderOutcomeUnknown',
      (code) => {
        const error = mapGrpcError(grpcError(code, 'boom'), 'placeOrder', { clientOrderId: 'c-9' });

        expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
        expect((error as OrderOutcomeUnknownError).clientOrderId).toBe('c-9');
      },
    );
  });

  describe('failures that are not gRPC statuses', () => {
    it('a domain error passes through unchanged', () => {
      const original = new SymbolNotFoundError('x');

      expect(mapGrpcError(original, 'getQuote')).toBe(original);
    });

    it('an unreadable answer: BrokerUnavailable for a read, OrderOutcomeUnknown for an order', () => {
      const malformed = new MalformedResponseError('order.status', 'has no usable value');

      expect(mapGrpcError(malformed, 'getOrderStatus')).toMatchObject({
        constructor: BrokerUnavailableError,
        details: expect.objectContaining({ field: 'order.status' }),
      });
      expect(mapGrpcError(malformed, 'placeOrder', { clientOrderId: 'c-1' })).toMatchObject({
        constructor: OrderOutcomeUnknownError,
        clientOrderId: 'c-1',
      });
    });

    it('anything else: BrokerUnavailable for a read, OrderOutcomeUnknown for an order', () => {
      expect(mapGrpcError(new TypeError('boom'), 'getSymbols')).toBeInstanceOf(BrokerUnavailableError);
      expect(mapGrpcError('boom', 'cancelOrder')).toBeInstanceOf(OrderOutcomeUnknownError);
    });
  });

  it('keeps the original error as the cause, for logs only', () => {
    const original = grpcError(status.UNAVAILABLE, 'down');

    const error = mapGrpcError(original, 'getQuote');

    expect(error.cause).toBe(original);
    expect(JSON.stringify(error)).not.toContain('down');
  });
});
