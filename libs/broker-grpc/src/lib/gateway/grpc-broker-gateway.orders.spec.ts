import { status } from '@grpc/grpc-js';
import {
  BrokerUnavailableError,
  ConnectionStatus,
  Decimal,
  InsufficientFundsError,
  InvalidOrderError,
  OrderExpiredError,
  OrderOutcomeUnknownError,
  OrderSendStage,
  OrderSide,
  OrderStatus,
  OrderType,
  PlaceOrderCommand,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { brokerConfig } from '../../../test/broker-config-fixture';
import { deadlineMsOf, freezeDate } from '../../../test/frozen-date';
import { BROKER_ID, GatewayHarness, startGatewayHarness } from '../../../test/gateway-harness';
import { RecordingLimiter } from '../../../test/recording-limiter';
import { grpcError, WIRE_ORDER } from '../../../test/scripted-jts-server';
import { BrokerConnectionSource } from '../connection/broker-connection-manager';
import { createBrokerConnection } from '../connection/broker-connection';
import { GrpcBrokerGateway } from './grpc-broker-gateway';

jest.setTimeout(15_000);

const LIMIT_BUY: PlaceOrderCommand = {
  accountId: '50012345-01',
  symbol: '005930',
  side: OrderSide.BUY,
  orderType: OrderType.LIMIT,
  quantity: 10,
  price: new Decimal('71500'),
  clientOrderId: 'intent-0001',
};

describe('GrpcBrokerGateway orders', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });

  afterAll(() => harness.close());

  afterEach(() => jest.useRealTimers());

  beforeEach(() => {
    harness.server.reset();
    harness.limiter.acquired.length = 0;
    harness.limiter.grant = true;
  });

  describe('placeOrder', () => {
    it('sends the command as a jts.v1 PlaceOrderRequest and maps the answer', async () => {
      const order = await harness.gateway().placeOrder(LIMIT_BUY);

      expect(harness.server.requests.placeOrder).toEqual([
        {
          accountId: '50012345-01',
          symbol: '005930',
          side: jtsV1.OrderSide.BUY,
          orderType: jtsV1.OrderType.LIMIT,
          quantity: 10,
          price: '71500',
          clientOrderId: 'intent-0001',
        },
      ]);
      expect(order.status).toBe(OrderStatus.ACCEPTED);
      expect(order.price?.toFixed()).toBe('71500');
      expect(order.clientOrderId).toBe('intent-0001');
      expect(order.brokerId).toBe(BROKER_ID);
      expect(harness.limiter.acquired).toEqual(['placeOrder']);
    });

    it('sends a MARKET SELL with the empty wire price', async () => {
      await harness.gateway().placeOrder({
        ...LIMIT_BUY,
        side: OrderSide.SELL,
        orderType: OrderType.MARKET,
        price: undefined,
      });

      expect(harness.server.requests.placeOrder).toEqual([
        expect.objectContaining({ side: jtsV1.OrderSide.SELL, orderType: jtsV1.OrderType.MARKET, price: '' }),
      ]);
    });

    it('gives an order without clientOrderId one, so that its outcome can always be reconciled', async () => {
      const order = await harness
        .gateway({ newClientOrderId: () => 'generated-1' })
        .placeOrder({ ...LIMIT_BUY, clientOrderId: undefined });

      expect(harness.server.requests.placeOrder).toEqual([expect.objectContaining({ clientOrderId: 'generated-1' })]);
      expect(order.clientOrderId).toBe('generated-1');
    });

    it('generates random UUIDs by default', async () => {
      await harness.gateway().placeOrder({ ...LIMIT_BUY, clientOrderId: undefined });

      const [request] = harness.server.requests.placeOrder as jtsV1.PlaceOrderRequest[];
      expect(request.clientOrderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it.each([
      ['a zero quantity', 'quantity', { quantity: 0 }],
      ['a price off the tick grid', 'price', { price: new Decimal('71550') }],
      ['a MARKET order with a price', 'price', { orderType: OrderType.MARKET }],
      ['a bad symbol', 'symbol', { symbol: '5930' }],
    ])('validates the command first: %s is InvalidOrderError naming %s, nothing sent, no permit', async (_case, field, patch) => {
      await expect(harness.gateway().placeOrder({ ...LIMIT_BUY, ...patch })).rejects.toMatchObject({
        constructor: InvalidOrderError,
        field,
      });
      expect(harness.limiter.acquired).toEqual([]);
      expect(harness.server.calls.placeOrder).toBe(0);
    });

    it('is NEVER retried: UNAVAILABLE from a server reached on a READY channel is an unknown outcome', async () => {
      harness.server.handlers.placeOrder = (_call, callback) => callback(grpcError(status.UNAVAILABLE, 'KIS session lost'));

      const error = await harness.gateway({ readRetries: 5 }).placeOrder(LIMIT_BUY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect(error).toMatchObject({ clientOrderId: 'intent-0001', retryable: false });
      expect(harness.server.calls.placeOrder).toBe(1);
      expect(harness.limiter.acquired).toEqual(['placeOrder']);
    });

    it('a deadline passing while the server works is an unknown outcome carrying the clientOrderId', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.placeOrder = (call) => void deadlines.push(deadlineMsOf(call)); // never answers
      freezeDate();

      const error = await harness.gateway({ deadlineMs: 200 }).placeOrder(LIMIT_BUY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
      expect((error as OrderOutcomeUnknownError).clientOrderId).toBe('intent-0001');
      expect((error as OrderOutcomeUnknownError).details).toMatchObject({ grpcStatus: 'DEADLINE_EXCEEDED' });
      // The call went out with the configured deadline, exactly (the date stands still).
      expect(deadlines).toEqual([200]);
      expect(harness.server.calls.placeOrder).toBe(1);
    });

    it('an answer that cannot be read is an unknown outcome (the order was processed)', async () => {
      harness.server.handlers.placeOrder = (_call, callback) =>
        callback(null, { order: { ...WIRE_ORDER, status: jtsV1.OrderStatus.UNSPECIFIED } });

      await expect(harness.gateway().placeOrder(LIMIT_BUY)).rejects.toMatchObject({
        constructor: OrderOutcomeUnknownError,
        clientOrderId: 'intent-0001',
        details: expect.objectContaining({ field: 'order.status' }),
      });
    });

    it('an answer without an order is an unknown outcome too', async () => {
      harness.server.handlers.placeOrder = (_call, callback) => callback(null, {});

      await expect(harness.gateway().placeOrder(LIMIT_BUY)).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    });

    it.each([
      [status.INVALID_ARGUMENT, {}, 'INVALID_ORDER'],
      [status.FAILED_PRECONDITION, {}, 'INSUFFICIENT_FUNDS'],
      [status.FAILED_PRECONDITION, { 'jts-error-code': 'ORDER_REJECTED', 'jts-broker-code': '3005' }, 'ORDER_REJECTED'],
      [status.RESOURCE_EXHAUSTED, { 'jts-broker-code': 'EGW00201', 'retry-after-ms': '450' }, 'RATE_LIMITED'],
      [status.UNAUTHENTICATED, {}, 'AUTHENTICATION_FAILED'],
      [status.NOT_FOUND, { 'jts-error-code': 'SYMBOL_NOT_FOUND' }, 'SYMBOL_NOT_FOUND'],
      [status.INTERNAL, {}, 'ORDER_OUTCOME_UNKNOWN'],
    ])('maps status %s %j to %s, without a retry', async (code, metadata, expected) => {
      harness.server.handlers.placeOrder = (_call, callback) => callback(grpcError(code, 'refused', metadata));

      await expect(harness.gateway().placeOrder(LIMIT_BUY)).rejects.toMatchObject({ code: expected });
      expect(harness.server.calls.placeOrder).toBe(1);
    });

    it('reports a broker rate-limit answer with its retry-after and broker code', async () => {
      harness.server.handlers.placeOrder = (_call, callback) =>
        callback(grpcError(status.RESOURCE_EXHAUSTED, 'over limit', { 'jts-broker-code': 'EGW00201', 'retry-after-ms': '450' }));

      const error = (await harness.gateway().placeOrder(LIMIT_BUY).catch((e: unknown) => e)) as RateLimitExceededError;

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect(error.retryAfterMs).toBe(450);
      expect(error.details).toMatchObject({ brokerCode: 'EGW00201', grpcStatus: 'RESOURCE_EXHAUSTED' });
    });

    it('a connection lost while the server processes the order (server shut down mid-call) is an unknown outcome', async () => {
      const own = await startGatewayHarness();
      try {
        own.server.handlers.placeOrder = () => setTimeout(() => own.server.stop(), 20);

        const error = await own.gateway().placeOrder(LIMIT_BUY).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
        expect(own.server.calls.placeOrder).toBe(1);
      } finally {
        own.close();
      }
    });
  });

  describe('cancelOrder', () => {
    it('cancels by order id and maps the cancelled order', async () => {
      const order = await harness.gateway().cancelOrder('ORD-0000007');

      expect(harness.server.requests.cancelOrder).toEqual([{ orderId: 'ORD-0000007', accountId: '' }]);
      expect(order.status).toBe(OrderStatus.CANCELLED);
      expect(order.id).toBe('ORD-0000007');
      expect(harness.limiter.acquired).toEqual(['cancelOrder']);
    });

    it('rejects an empty order id as InvalidOrderError', async () => {
      await expect(harness.gateway().cancelOrder(' ')).rejects.toMatchObject({ constructor: InvalidOrderError, field: 'orderId' });
    });

    it('cancelling a final order (FAILED_PRECONDITION) is InvalidOrderError, not InsufficientFunds', async () => {
      harness.server.handlers.cancelOrder = (_call, callback) =>
        callback(grpcError(status.FAILED_PRECONDITION, 'order ORD-1 is FILLED'));

      await expect(harness.gateway().cancelOrder('ORD-1')).rejects.toMatchObject({
        constructor: InvalidOrderError,
        message: 'order ORD-1 is FILLED',
      });
    });

    it('is never retried: UNAVAILABLE and DEADLINE_EXCEEDED are unknown outcomes', async () => {
      harness.server.handlers.cancelOrder = (_call, callback) => callback(grpcError(status.UNAVAILABLE, 'down'));
      await expect(harness.gateway().cancelOrder('ORD-1')).rejects.toMatchObject({
        constructor: OrderOutcomeUnknownError,
        details: expect.objectContaining({ operation: 'cancelOrder' }),
      });

      harness.server.handlers.cancelOrder = () => undefined;
      await expect(harness.gateway({ deadlineMs: 100 }).cancelOrder('ORD-1')).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
      expect(harness.server.calls.cancelOrder).toBe(2);
    });

    it('NOT_FOUND is OrderNotFound', async () => {
      harness.server.handlers.cancelOrder = (_call, callback) =>
        callback(grpcError(status.NOT_FOUND, 'no such order', { 'jts-error-code': 'ORDER_NOT_FOUND' }));

      await expect(harness.gateway().cancelOrder('ORD-404')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
    });
  });

  describe('when the order cannot be sent', () => {
    it('no permit in time: RateLimitExceeded with the limiter estimate, nothing sent', async () => {
      harness.limiter.grant = false;

      const error = (await harness.gateway({ acquireTimeoutMs: 250 }).placeOrder(LIMIT_BUY).catch((e: unknown) => e)) as RateLimitExceededError;

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect(error.retryAfterMs).toBe(harness.limiter.waitEstimateMs);
      expect(error.details).toMatchObject({ source: 'client', operation: 'placeOrder' });
      expect(harness.limiter.timeouts).toContain(250);
      expect(harness.server.calls.placeOrder).toBe(0);
    });

    it('a channel that cannot connect fails the order as BrokerUnavailable (it was never sent), without waiting for its deadline', async () => {
      // The manager (stubbed) still believes the broker CONNECTED, but nothing listens on the port.
      const connection = createBrokerConnection('ghost', brokerConfig('ghost', 1).grpc);
      const source: BrokerConnectionSource = {
        getConnection: () => connection,
        getStatus: () => ConnectionStatus.CONNECTED,
        reportFailure: jest.fn(),
        onStatusChange: () => () => undefined,
      };
      const gateway = new GrpcBrokerGateway({
        brokerId: 'ghost',
        brokerType: brokerConfig('ghost', 1).type,
        connections: source,
        limiter: new RecordingLimiter(),
        // An hour: waiting for it instead of failing on the refused connection would time the test out.
        deadlineMs: 3_600_000,
      });
      try {
        const error = await gateway.placeOrder(LIMIT_BUY).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(BrokerUnavailableError);
        expect(source.reportFailure).toHaveBeenCalledWith('ghost', expect.any(String));
      } finally {
        connection.channel.close();
      }
    });

    it('the broker DISCONNECTED: BrokerUnavailable at once, no permit taken', async () => {
      const source: BrokerConnectionSource = {
        getConnection: () => harness.manager.getConnection(BROKER_ID),
        getStatus: () => ConnectionStatus.DISCONNECTED,
        reportFailure: () => undefined,
        onStatusChange: () => () => undefined,
      };
      const gateway = harness.gateway({ connections: source });

      await expect(gateway.placeOrder(LIMIT_BUY)).rejects.toBeInstanceOf(BrokerUnavailableError);
      await expect(gateway.cancelOrder('ORD-1')).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(harness.limiter.acquired).toEqual([]);
      expect(harness.server.calls.placeOrder + harness.server.calls.cancelOrder).toBe(0);
    });

    it('never sends after its send-by time: no permit before it is OrderExpired, nothing sent', async () => {
      harness.limiter.grant = false;
      const sendBy = new Date(Date.now() + 400);

      const error = await harness.gateway({ acquireTimeoutMs: 10_000 }).placeOrder(LIMIT_BUY, { sendBy }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OrderExpiredError);
      expect((error as OrderExpiredError).details).toMatchObject({ clientOrderId: 'intent-0001', sendBy: sendBy.toISOString() });
      // The permit wait was cut at the send-by time, not the acquire timeout.
      expect(harness.limiter.timeouts.at(-1)).toBeLessThanOrEqual(400);
      expect(harness.limiter.timeouts.at(-1)).toBeGreaterThan(0);
      expect(harness.server.calls.placeOrder).toBe(0);
    });

    it('a send-by time already past: OrderExpired at once, no permit taken', async () => {
      const error = await harness.gateway().placeOrder(LIMIT_BUY, { sendBy: new Date(Date.now() - 1) }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(OrderExpiredError);
      expect(harness.limiter.acquired).toEqual([]);
      expect(harness.server.calls.placeOrder).toBe(0);
    });

    it('a send-by time later than the acquire timeout: no permit is still RateLimitExceeded from the client', async () => {
      harness.limiter.grant = false;

      const error = await harness
        .gateway({ acquireTimeoutMs: 250 })
        .placeOrder(LIMIT_BUY, { sendBy: new Date(Date.now() + 60_000) })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect((error as RateLimitExceededError).details).toMatchObject({ source: 'client' });
      expect(harness.limiter.timeouts.at(-1)).toBe(250);
    });

    it('reports the permit wait, then the send, and sends an order whose send-by time is ahead', async () => {
      const stages: OrderSendStage[] = [];

      const order = await harness.gateway().placeOrder(LIMIT_BUY, {
        sendBy: new Date(Date.now() + 60_000),
        onStage: (stage) => stages.push(stage),
      });

      expect(order.clientOrderId).toBe('intent-0001');
      expect(stages).toEqual(['awaiting-permit', 'sending']);
      expect(harness.server.calls.placeOrder).toBe(1);
    });

    it('without a send-by time the permit wait and the call share one deadline; the permit may take half of it', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.placeOrder = (call, callback) => {
        deadlines.push(deadlineMsOf(call));
        callback(null, { order: { ...WIRE_ORDER, clientOrderId: call.request.clientOrderId } });
      };
      freezeDate();
      const limiter = new RecordingLimiter();
      const acquireLease = limiter.acquireLease.bind(limiter);
      limiter.acquireLease = async (operation, options) => {
        jest.setSystemTime(Date.now() + 700);
        return acquireLease(operation, options);
      };

      await harness.gateway({ deadlineMs: 2_000, acquireTimeoutMs: 10_000, limiter }).placeOrder(LIMIT_BUY);

      expect(limiter.timeouts).toEqual([1_000]);
      expect(deadlines).toEqual([1_300]);
    });

    it('without a send-by time no permit within half the deadline is RateLimitExceeded, nothing sent', async () => {
      harness.limiter.grant = false;

      const error = await harness.gateway({ deadlineMs: 3_000, acquireTimeoutMs: 10_000 }).placeOrder(LIMIT_BUY).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimitExceededError);
      expect(harness.limiter.timeouts.at(-1)).toBe(1_500);
      expect(harness.server.calls.placeOrder).toBe(0);
    });

    it('with a send-by time the order waits for its permit until then, and the call gets the whole deadline', async () => {
      const deadlines: number[] = [];
      harness.server.handlers.placeOrder = (call, callback) => {
        deadlines.push(deadlineMsOf(call));
        callback(null, { order: { ...WIRE_ORDER, clientOrderId: call.request.clientOrderId } });
      };
      freezeDate();
      const limiter = new RecordingLimiter();
      const acquireLease = limiter.acquireLease.bind(limiter);
      limiter.acquireLease = async (operation, options) => {
        jest.setSystemTime(Date.now() + 4_000);
        return acquireLease(operation, options);
      };

      await harness.gateway({ deadlineMs: 2_000, acquireTimeoutMs: 10_000, limiter }).placeOrder(LIMIT_BUY, { sendBy: new Date(Date.now() + 30_000) });

      expect(limiter.timeouts).toEqual([10_000]);
      expect(deadlines).toEqual([2_000]);
    });

    it('InsufficientFunds reaches the caller as is', async () => {
      harness.server.handlers.placeOrder = (_call, callback) =>
        callback(grpcError(status.FAILED_PRECONDITION, 'not enough cash', { 'jts-error-code': 'INSUFFICIENT_FUNDS' }));

      await expect(harness.gateway().placeOrder(LIMIT_BUY)).rejects.toBeInstanceOf(InsufficientFundsError);
    });
  });
});
