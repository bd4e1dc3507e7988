import {
  BrokerTimeoutError,
  BrokerUnavailableError,
  Decimal,
  FailSafeCode,
  InvalidArgumentError,
  MockBrokerGateway,
  OrderExpiredError,
  OrderOutcomeUnknownError,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { JtsOrderAdapter } from '../adapters/jts/jts-order-adapter';
import { KisOrderAdapter, UnclassifiedBrokerError } from '@qts/broker-rest';
import { OrderAdapterBrokerEngine } from './order-adapter-broker-engine';
import { ON_MOCK_BROKER, testIntent } from '@qts/test-support';
import { StubOrderAdapter } from '../../../test/stub-order-adapter';

const TUESDAY_10_KST = new Date('2025-03-04T01:00:00Z');

function mockGateway(): MockBrokerGateway {
  return new MockBrokerGateway({ brokerId: 'mock', clock: () => TUESDAY_10_KST });
}

describe('OrderAdapterBrokerEngine over the JTS adapter (MockBrokerGateway)', () => {
  it('places the order under the intent id and answers with the broker order', async () => {
    const gateway = mockGateway();
    const engine = new OrderAdapterBrokerEngine(new JtsOrderAdapter(gateway), { brokerId: 'mock' });

    const response = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'intent-42' }));

    expect(response).toMatchObject({ intentId: 'intent-42', accepted: true, broker: 'mock' });
    expect(response.orderId).toMatch(/^MOCK-/);
    const order = await gateway.findOrderByClientOrderId('intent-42');
    expect(order?.id).toBe(response.orderId);
    expect(order?.price?.toFixed()).toBe('70100');
  });

  it('answers insufficient funds as a refusal with FS041, nothing placed', async () => {
    const gateway = mockGateway();
    const engine = new OrderAdapterBrokerEngine(new JtsOrderAdapter(gateway), { brokerId: 'mock' });

    const response = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, quantity: 1_000_000 }));

    expect(response).toMatchObject({
      accepted: false,
      failSafeCode: FailSafeCode.FS041,
      status: OrderStatus.REJECTED,
    });
    expect(gateway.listOrders()).toHaveLength(0);
  });

  describe('dry run', () => {
    it('builds and validates the payload and sends nothing', async () => {
      const gateway = mockGateway();
      const adapter = new JtsOrderAdapter(gateway);
      const place = jest.spyOn(adapter, 'placeOrder');
      const build = jest.spyOn(adapter, 'buildPayload');
      const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'mock', dryRun: true });

      const response = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, intentId: 'dry-1' }));

      expect(response).toMatchObject({ intentId: 'dry-1', accepted: true, dryRun: true, broker: 'mock' });
      expect(response.message).toMatch(
        /^dry run: BUY 10 005930 LIMIT @ 70100 -> jts\.v1\.TradingService\/PlaceOrder/,
      );
      expect(build).toHaveBeenCalledTimes(1);
      expect(place).not.toHaveBeenCalled();
      expect(gateway.listOrders()).toHaveLength(0);
      expect(engine.name).toBe('mock (dry run)');
    });

    it("refuses with the adapter's error (FS048) when the payload cannot be built, sending nothing", async () => {
      const adapter = new JtsOrderAdapter(mockGateway());
      const place = jest.spyOn(adapter, 'placeOrder');
      jest.spyOn(adapter, 'buildPayload').mockImplementation(() => {
        throw new InvalidArgumentError('symbol is not tradable through JTS', { field: 'symbol' });
      });
      const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'mock', dryRun: true });

      const response = await engine.submitIntent(testIntent(ON_MOCK_BROKER));

      expect(response).toMatchObject({ accepted: false, dryRun: true, failSafeCode: FailSafeCode.FS048 });
      expect(place).not.toHaveBeenCalled();
    });

    it('builds the real KIS payload (tr_id chosen) without touching the client', async () => {
      const client = { send: jest.fn() };
      const adapter = new KisOrderAdapter(client, {
        brokerId: 'kis',
        cano: '50012345',
        acntPrdtCd: '01',
        accountId: 'MOCK-001',
        paper: true,
      });
      const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'kis', dryRun: true });

      const response = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'kis' }));

      expect(response.message).toContain('POST /uapi/domestic-stock/v1/trading/order-cash (tr_id VTTC0012U)');
      expect(client.send).not.toHaveBeenCalled();
    });

    it('validates with the domain order rules when the adapter has no payload builder', async () => {
      const adapter = new StubOrderAdapter('stub');
      const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub', dryRun: true });

      const response = await engine.submitIntent(
        testIntent({ ...ON_MOCK_BROKER,
          brokerId: 'stub',
          orderType: OrderType.MARKET,
          limitPrice: undefined,
          side: OrderSide.SELL,
        }),
      );

      expect(response).toMatchObject({ accepted: true, dryRun: true });
      expect(response.message).toBe(
        'dry run: SELL 10 005930 MARKET -> stub order; payload valid, nothing sent',
      );
      expect(adapter.placed).toHaveLength(0);
    });
  });

  it('refuses an invalid intent with FS048 without calling the adapter', async () => {
    const adapter = new StubOrderAdapter('mock');
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'mock' });

    const offTick = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, limitPrice: new Decimal('70101') }));
    const otherBroker = await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'kis' }));

    expect(offTick).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS048 });
    expect(offTick.message).toContain('tick');
    expect(otherBroker).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS048 });
    expect(adapter.placed).toHaveLength(0);
  });
});

describe('OrderAdapterBrokerEngine error paths', () => {
  it('maps a domain error to a refusal with failSafeCodeForError', async () => {
    const adapter = new StubOrderAdapter().answerNext(new BrokerUnavailableError('JTS down'));
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' });

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).resolves.toMatchObject({
      accepted: false,
      broker: 'stub',
      failSafeCode: FailSafeCode.FS044,
      message: 'JTS down',
    });
  });

  it('passes the send-by time and the stage listener to the adapter', async () => {
    const adapter = new StubOrderAdapter();
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' });
    const options = { sendBy: new Date('2025-03-04T01:00:05Z'), onStage: () => undefined };

    await engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }), options);

    expect(adapter.sendOptions).toEqual([options]);
  });

  it('marks refusals made here before sending (no permit in time, expired) and not those of the broker', async () => {
    const localLimit = new RateLimitExceededError('no permit within 10000 ms', {
      retryAfterMs: 500,
      details: { brokerId: 'stub', operation: 'placeOrder', source: 'client' },
    });
    const brokerLimit = new RateLimitExceededError('EGW00201', { retryAfterMs: 1_000, details: { brokerCode: 'EGW00201' } });
    const expired = new OrderExpiredError('send-by passed');
    const engine = new OrderAdapterBrokerEngine(new StubOrderAdapter().answerNext(localLimit, brokerLimit, expired), {
      brokerId: 'stub',
    });
    const intent = testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' });

    const [local, broker, late] = [
      await engine.submitIntent(intent),
      await engine.submitIntent(intent),
      await engine.submitIntent(intent),
    ];

    expect(local).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS043, refusedBeforeSending: true });
    expect(broker).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS043 });
    expect(broker.refusedBeforeSending).toBeUndefined();
    expect(late).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS050, refusedBeforeSending: true });
  });

  it('maps an unclassified broker refusal to FS049', async () => {
    const adapter = new StubOrderAdapter().answerNext(
      new UnclassifiedBrokerError('KIS refused: [X1] ?', { brokerCode: 'X1' }),
    );
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' });

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).resolves.toMatchObject({
      accepted: false,
      failSafeCode: FailSafeCode.FS049,
    });
  });

  it('re-throws OrderOutcomeUnknownError so the order is reconciled', async () => {
    const unknown = new OrderOutcomeUnknownError('deadline', { clientOrderId: 'intent-1' });
    const engine = new OrderAdapterBrokerEngine(new StubOrderAdapter().answerNext(unknown), {
      brokerId: 'stub',
    });

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).rejects.toBe(unknown);
  });

  it('turns an unexpected exception into OrderOutcomeUnknownError: the order may exist', async () => {
    const engine = new OrderAdapterBrokerEngine(
      new StubOrderAdapter().answerNext(new TypeError('socket hang up')),
      {
        brokerId: 'stub',
      },
    );

    const failure = engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub', intentId: 'i-7' }));

    await expect(failure).rejects.toBeInstanceOf(OrderOutcomeUnknownError);
    await expect(failure).rejects.toMatchObject({
      clientOrderId: 'i-7',
      message: expect.stringContaining('socket hang up'),
    });
  });

  it('treats a BrokerTimeoutError from placeOrder as an unknown outcome, never as a refusal', async () => {
    const engine = new OrderAdapterBrokerEngine(
      new StubOrderAdapter().answerNext(new BrokerTimeoutError('slow')),
      {
        brokerId: 'stub',
      },
    );

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).rejects.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
  });

  it('turns an UNKNOWN status into OrderOutcomeUnknownError', async () => {
    const adapter = new StubOrderAdapter().answerNext((request) => ({
      clientOrderId: request.clientOrderId,
      accepted: true,
      status: OrderStatus.UNKNOWN,
      filledQuantity: 0,
      message: 'no ack',
    }));
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' });

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).rejects.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
  });

  it('turns an answer for another clientOrderId into OrderOutcomeUnknownError', async () => {
    const adapter = new StubOrderAdapter().answerNext({
      clientOrderId: 'other',
      orderId: 'O-1',
      accepted: true,
      status: OrderStatus.ACCEPTED,
      filledQuantity: 0,
      message: '',
    });
    const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'stub' });

    await expect(engine.submitIntent(testIntent({ ...ON_MOCK_BROKER, brokerId: 'stub' }))).rejects.toThrow(
      /answered for clientOrderId 'other'/,
    );
  });

  it('needs a broker id', () => {
    expect(() => new OrderAdapterBrokerEngine(new StubOrderAdapter(), { brokerId: ' ' })).toThrow(
      InvalidArgumentError,
    );
  });
});
