import {
  BrokerGateway,
  Decimal,
  InsufficientFundsError,
  InvalidArgumentError,
  InvalidOrderError,
  MockBrokerGateway,
  Order,
  OrderOutcomeUnknownError,
  OrderRequest,
  OrderSide,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { JtsOrderAdapter } from './jts-order-adapter';

const TUESDAY_10_KST = new Date('2025-03-04T01:00:00Z');

function aRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'c-1',
    brokerId: 'mock',
    accountId: 'MOCK-001',
    symbol: '005930',
    side: OrderSide.BUY,
    orderType: OrderType.LIMIT,
    quantity: 10,
    price: new Decimal('10000'),
    ...overrides,
  };
}

describe('JtsOrderAdapter over MockBrokerGateway', () => {
  let gateway: MockBrokerGateway;
  let adapter: JtsOrderAdapter;

  beforeEach(() => {
    gateway = new MockBrokerGateway({ brokerId: 'mock', clock: () => TUESDAY_10_KST });
    adapter = new JtsOrderAdapter(gateway);
  });

  it('places an order with its clientOrderId and answers with the broker order', async () => {
    const response = await adapter.placeOrder(aRequest({ clientOrderId: 'c-place' }));

    expect(adapter.brokerId).toBe('mock');
    expect(response).toMatchObject({ clientOrderId: 'c-place', accepted: true, filledQuantity: 0 });
    expect(response.status).toBe(OrderStatus.ACCEPTED);
    const stored = await gateway.findOrderByClientOrderId('c-place');
    expect(stored).toMatchObject({ id: response.orderId, quantity: 10, side: OrderSide.BUY });
    expect(stored?.price?.toFixed()).toBe('10000');
  });

  it('is idempotent on clientOrderId: placing it again returns the first order', async () => {
    const first = await adapter.placeOrder(aRequest({ clientOrderId: 'c-twice' }));
    const second = await adapter.placeOrder(aRequest({ clientOrderId: 'c-twice' }));

    expect(second.orderId).toBe(first.orderId);
    expect(gateway.listOrders()).toHaveLength(1);
  });

  it('reports fills of a marketable order with the decimal average price', async () => {
    const response = await adapter.placeOrder(
      aRequest({ clientOrderId: 'c-market', orderType: OrderType.MARKET, price: undefined, quantity: 2 }),
    );

    expect(response.status).toBe(OrderStatus.FILLED);
    expect(response.filledQuantity).toBe(2);
    expect(response.avgFillPrice).toBeInstanceOf(Decimal);
  });

  it('finds an order by clientOrderId or by orderId, and answers null for an unknown one', async () => {
    const placed = await adapter.placeOrder(aRequest({ clientOrderId: 'c-find' }));

    await expect(adapter.getOrder({ clientOrderId: 'c-find' })).resolves.toMatchObject({
      orderId: placed.orderId,
    });
    await expect(adapter.getOrder({ orderId: placed.orderId })).resolves.toMatchObject({
      clientOrderId: 'c-find',
    });
    await expect(
      adapter.getOrder({ orderId: placed.orderId, clientOrderId: 'c-find' }),
    ).resolves.toMatchObject({
      status: OrderStatus.ACCEPTED,
    });
    await expect(adapter.getOrder({ clientOrderId: 'never-sent' })).resolves.toBeNull();
    await expect(adapter.getOrder({ orderId: 'MOCK-9999999' })).resolves.toBeNull();
  });

  it('refuses a lookup whose orderId and clientOrderId belong to different orders, or that names neither', async () => {
    const placed = await adapter.placeOrder(aRequest({ clientOrderId: 'c-a' }));

    await expect(adapter.getOrder({ orderId: placed.orderId, clientOrderId: 'c-b' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(adapter.getOrder({})).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('cancels a resting order', async () => {
    const placed = await adapter.placeOrder(aRequest({ clientOrderId: 'c-cancel' }));

    const cancelled = await adapter.cancelOrder(placed.orderId as string);

    expect(cancelled).toMatchObject({
      clientOrderId: 'c-cancel',
      orderId: placed.orderId,
      status: OrderStatus.CANCELLED,
      accepted: true,
    });
  });

  it('passes domain errors through (insufficient funds)', async () => {
    await expect(adapter.placeOrder(aRequest({ quantity: 1_000_000 }))).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );
  });

  it('validates before sending: an off-tick price, a market order with a price, another broker', async () => {
    const place = jest.spyOn(gateway, 'placeOrder');

    await expect(adapter.placeOrder(aRequest({ price: new Decimal('10001') }))).rejects.toBeInstanceOf(
      InvalidOrderError,
    );
    await expect(adapter.placeOrder(aRequest({ orderType: OrderType.MARKET }))).rejects.toBeInstanceOf(
      InvalidOrderError,
    );
    await expect(adapter.placeOrder(aRequest({ brokerId: 'kis' }))).rejects.toThrow(
      /sent to the adapter of 'mock'/,
    );
    await expect(adapter.placeOrder(aRequest({ clientOrderId: ' ' }))).rejects.toBeInstanceOf(
      InvalidOrderError,
    );
    expect(place).not.toHaveBeenCalled();
  });

  it('builds the PlaceOrder command as its payload without sending it', () => {
    const place = jest.spyOn(gateway, 'placeOrder');

    const payload = adapter.buildPayload(aRequest({ clientOrderId: 'c-dry' }));

    expect(payload.endpoint).toBe('jts.v1.TradingService/PlaceOrder (broker mock)');
    expect(payload.body).toMatchObject({
      accountId: 'MOCK-001',
      symbol: '005930',
      quantity: 10,
      clientOrderId: 'c-dry',
    });
    expect(place).not.toHaveBeenCalled();
  });
});

describe('JtsOrderAdapter over a failing gateway', () => {
  function gatewayThat(placeOrder: BrokerGateway['placeOrder']): BrokerGateway {
    const base = new MockBrokerGateway({ brokerId: 'jts-kis', clock: () => TUESDAY_10_KST });
    return Object.assign(Object.create(base) as BrokerGateway, { placeOrder, brokerId: 'jts-kis' });
  }

  it('lets OrderOutcomeUnknownError propagate untouched', async () => {
    const unknown = new OrderOutcomeUnknownError('deadline exceeded', { clientOrderId: 'c-1' });
    const adapter = new JtsOrderAdapter(gatewayThat(() => Promise.reject(unknown)));

    await expect(adapter.placeOrder(aRequest({ brokerId: 'jts-kis' }))).rejects.toBe(unknown);
  });

  it('treats an answer carrying another clientOrderId as an unknown outcome', async () => {
    const foreign = new Order({
      id: 'X-1',
      clientOrderId: 'somebody-else',
      accountId: 'MOCK-001',
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.MARKET,
      quantity: 1,
      status: OrderStatus.ACCEPTED,
      createdAt: TUESDAY_10_KST,
    });
    const adapter = new JtsOrderAdapter(gatewayThat(() => Promise.resolve(foreign)));

    await expect(adapter.placeOrder(aRequest({ brokerId: 'jts-kis' }))).rejects.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
  });

  it('answers a REJECTED order as not accepted', async () => {
    const rejected = new Order({
      id: 'X-2',
      clientOrderId: 'c-1',
      accountId: 'MOCK-001',
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.MARKET,
      quantity: 1,
      status: OrderStatus.REJECTED,
      createdAt: TUESDAY_10_KST,
    });
    const adapter = new JtsOrderAdapter(gatewayThat(() => Promise.resolve(rejected)));

    await expect(adapter.placeOrder(aRequest({ brokerId: 'jts-kis' }))).resolves.toMatchObject({
      accepted: false,
      status: OrderStatus.REJECTED,
      message: 'order X-2 is REJECTED',
    });
  });
});
