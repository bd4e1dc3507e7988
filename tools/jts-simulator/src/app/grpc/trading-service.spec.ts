import { Metadata, status } from '@grpc/grpc-js';
import { AccountType, BrokerType, Decimal, roundToKrxTick } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import type { SimulatorAdminClient } from '@qts/test-support';
import { adminClient, callOptions, jtsClients, rejectionOf, trailer, unary } from '../../../test/jts-test-clients';
import type { JtsTestClients } from '../../../test/jts-test-clients';
import { JtsSimulator } from '../jts-simulator';

jest.setTimeout(30_000);

const ACCOUNT = '50012345-01';
const SECOND_ACCOUNT = '50012345-02';

describe('jts.v1.TradingService of the simulator', () => {
  let simulator: JtsSimulator;
  let clients: JtsTestClients;
  let admin: SimulatorAdminClient;

  beforeAll(async () => {
    simulator = await JtsSimulator.start({
      host: '127.0.0.1',
      adminPort: 0,
      seed: 42,
      brokers: [
        {
          id: 'kis',
          type: BrokerType.KIS,
          port: 0,
          rateLimit: 'none',
          accounts: [
            { id: ACCOUNT, type: AccountType.PAPER },
            { id: SECOND_ACCOUNT, type: AccountType.PAPER },
          ],
        },
      ],
    });
    clients = jtsClients(simulator.brokerAddress('kis'));
    admin = adminClient(simulator);
  });

  afterAll(async () => {
    clients.close();
    admin.close();
    await simulator.stop(0);
  });

  const balance = (accountId: string): Promise<jtsV1.BalanceResponse> =>
    unary((cb) => clients.trading.getBalance({ accountId }, new Metadata(), callOptions(), cb));
  const positions = (accountId: string): Promise<jtsV1.PositionsResponse> =>
    unary((cb) => clients.trading.getPositions({ accountId }, new Metadata(), callOptions(), cb));
  const place = (request: Partial<jtsV1.PlaceOrderRequest>): Promise<jtsV1.Order> =>
    unary<jtsV1.OrderResponse>((cb) =>
      clients.trading.placeOrder(jtsV1.PlaceOrderRequest.fromPartial(request), new Metadata(), callOptions(), cb),
    ).then((response) => response.order as jtsV1.Order);
  const cancel = (orderId: string, accountId = ''): Promise<jtsV1.Order> =>
    unary<jtsV1.OrderResponse>((cb) => clients.trading.cancelOrder({ orderId, accountId }, new Metadata(), callOptions(), cb)).then(
      (response) => response.order as jtsV1.Order,
    );
  const orderStatus = (lookup: jtsV1.GetOrderStatusRequest): Promise<jtsV1.Order> =>
    unary<jtsV1.OrderStatusResponse>((cb) => clients.trading.getOrderStatus(lookup, new Metadata(), callOptions(), cb)).then(
      (response) => response.order as jtsV1.Order,
    );
  const quote = (symbol: string): Promise<jtsV1.QuoteData> =>
    unary((cb) => clients.marketData.getQuote({ symbol }, new Metadata(), callOptions(), cb));

  const marketBuy = { accountId: ACCOUNT, side: jtsV1.OrderSide.BUY, orderType: jtsV1.OrderType.MARKET };

  it('starts every paper account with 100,000,000 KRW in cash', async () => {
    await expect(balance(SECOND_ACCOUNT)).resolves.toEqual({
      accountId: SECOND_ACCOUNT,
      totalEquity: '100000000',
      cashBalance: '100000000',
      buyingPower: '100000000',
      currency: 'KRW',
    });
  });

  it('fills a market buy at once and shows the position and the smaller cash balance', async () => {
    const order = await place({ ...marketBuy, symbol: '005930', quantity: 10, clientOrderId: 'market-buy-1' });

    expect(order).toMatchObject({ status: jtsV1.OrderStatus.FILLED, filledQuantity: 10, quantity: 10, price: '' });
    const fillPrice = new Decimal(order.avgFillPrice);
    const { positions: held } = await positions(ACCOUNT);
    expect(held).toContainEqual(
      expect.objectContaining({ symbol: '005930', symbolName: '삼성전자', quantity: 10, avgPrice: fillPrice.toFixed() }),
    );
    const cash = await balance(ACCOUNT);
    expect(cash.cashBalance).toBe(new Decimal(100_000_000).minus(fillPrice.times(10)).toFixed());
  });

  it('sells part of the position and keeps the rest', async () => {
    await place({ ...marketBuy, symbol: '000660', quantity: 5 });

    const sold = await place({ ...marketBuy, side: jtsV1.OrderSide.SELL, symbol: '000660', quantity: 3 });

    expect(sold.status).toBe(jtsV1.OrderStatus.FILLED);
    const { positions: held } = await positions(ACCOUNT);
    expect(held.find((position) => position.symbol === '000660')?.quantity).toBe(2);
  });

  it('rests a limit buy below the market, cancels it, and refuses to cancel it twice', async () => {
    const current = await quote('035420');
    const limit = roundToKrxTick(new Decimal(current.bid).times(0.5), 'down').toFixed();

    const resting = await place({
      ...marketBuy,
      orderType: jtsV1.OrderType.LIMIT,
      symbol: '035420',
      quantity: 1,
      price: limit,
      clientOrderId: 'limit-rest-1',
    });
    expect(resting).toMatchObject({ status: jtsV1.OrderStatus.ACCEPTED, price: limit, filledQuantity: 0 });

    const cancelled = await cancel(resting.orderId, ACCOUNT);
    expect(cancelled).toMatchObject({ orderId: resting.orderId, status: jtsV1.OrderStatus.CANCELLED });

    const again = await rejectionOf(cancel(resting.orderId));
    expect(again.code).toBe(status.FAILED_PRECONDITION);
    expect(trailer(again, 'jts-error-code')).toBe('INVALID_ORDER');
    expect(again.details).toContain('CANCELLED');
  });

  it('fills a marketable limit buy at once, at the ask or better than its limit', async () => {
    const current = await quote('068270');
    const limit = roundToKrxTick(new Decimal(current.ask).times(1.05), 'up');

    const order = await place({ ...marketBuy, orderType: jtsV1.OrderType.LIMIT, symbol: '068270', quantity: 1, price: limit.toFixed() });

    expect(order.status).toBe(jtsV1.OrderStatus.FILLED);
    expect(new Decimal(order.avgFillPrice).lte(limit)).toBe(true);
  });

  it('returns the existing order for a repeated client_order_id and places it only once', async () => {
    const request = { ...marketBuy, symbol: '005380', quantity: 2, clientOrderId: 'idempotent-1' };

    const first = await place(request);
    const second = await place(request);

    expect(second).toEqual(first);
    const orders = await admin.listOrders('kis', ACCOUNT);
    expect(orders.filter((order) => order.clientOrderId === 'idempotent-1')).toHaveLength(1);
  });

  it('finds an order by order_id and by client_order_id', async () => {
    const placed = await place({ ...marketBuy, symbol: '000270', quantity: 1, clientOrderId: 'lookup-1' });

    await expect(orderStatus({ orderId: placed.orderId })).resolves.toEqual(placed);
    await expect(orderStatus({ clientOrderId: 'lookup-1' })).resolves.toEqual(placed);
  });

  it.each([
    [{ orderId: 'MOCK-9999999' }, 'ORDER_NOT_FOUND'],
    [{ clientOrderId: 'never-placed' }, 'ORDER_NOT_FOUND'],
  ])('answers NOT_FOUND for an unknown order %j', async (lookup, errorCode) => {
    const error = await rejectionOf(orderStatus(lookup));

    expect([error.code, trailer(error, 'jts-error-code')]).toEqual([status.NOT_FOUND, errorCode]);
  });

  it('answers INVALID_ARGUMENT when the lookup names neither id', async () => {
    const error = await rejectionOf(orderStatus({}));

    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain('order_id');
  });

  it('answers NOT_FOUND when cancelling with another account than the owner', async () => {
    const placed = await place({ ...marketBuy, symbol: '005930', quantity: 1 });

    const error = await rejectionOf(cancel(placed.orderId, SECOND_ACCOUNT));

    expect([error.code, trailer(error, 'jts-error-code')]).toEqual([status.NOT_FOUND, 'ORDER_NOT_FOUND']);
  });

  it.each([
    ['an unknown account', () => balance('00000000-00'), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND'],
    ['no account', () => balance(''), status.INVALID_ARGUMENT, 'INVALID_ARGUMENT'],
    ['positions of an unknown account', () => positions('nobody'), status.NOT_FOUND, 'ACCOUNT_NOT_FOUND'],
  ])('answers %s with its status', async (_case, call, code, errorCode) => {
    const error = await rejectionOf(call());

    expect([error.code, trailer(error, 'jts-error-code')]).toEqual([code, errorCode]);
  });

  it.each([
    ['side', { side: jtsV1.OrderSide.UNSPECIFIED }],
    ['order_type', { orderType: jtsV1.OrderType.UNSPECIFIED }],
    ['quantity', { quantity: 0 }],
    ['quantity', { quantity: -5 }],
    ['account_id', { accountId: '' }],
    ['symbol', { symbol: '5930' }],
    ['price', { orderType: jtsV1.OrderType.LIMIT, price: '' }],
    ['price', { orderType: jtsV1.OrderType.LIMIT, price: '7l500' }],
    ['price', { orderType: jtsV1.OrderType.LIMIT, price: '71501' }],
    ['price', { orderType: jtsV1.OrderType.LIMIT, price: '-100' }],
    ['price', { price: '71500' }],
  ])('refuses an order with a bad %s (%j) as INVALID_ARGUMENT naming the field', async (field, patch) => {
    const error = await rejectionOf(place({ ...marketBuy, symbol: '005930', quantity: 1, ...patch }));

    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(trailer(error, 'jts-error-code')).toBe('INVALID_ORDER');
    expect(error.details).toContain(field);
  });

  it('answers FAILED_PRECONDITION for a buy beyond the cash and a sell beyond the holdings', async () => {
    const tooBig = await rejectionOf(place({ ...marketBuy, accountId: SECOND_ACCOUNT, symbol: '005930', quantity: 1_000_000 }));
    const naked = await rejectionOf(
      place({ ...marketBuy, accountId: SECOND_ACCOUNT, side: jtsV1.OrderSide.SELL, symbol: '005930', quantity: 1 }),
    );

    for (const error of [tooBig, naked]) {
      expect([error.code, trailer(error, 'jts-error-code')]).toEqual([status.FAILED_PRECONDITION, 'INSUFFICIENT_FUNDS']);
    }
  });

  it('refuses to reuse a client_order_id for a different order', async () => {
    await place({ ...marketBuy, symbol: '005930', quantity: 1, clientOrderId: 'reused-1' });

    const error = await rejectionOf(place({ ...marketBuy, symbol: '005930', quantity: 2, clientOrderId: 'reused-1' }));

    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain('clientOrderId');
  });

  it('counts distinct orders placed, not idempotent repeats', async () => {
    await admin.resetStats('kis');
    const request = { ...marketBuy, symbol: '005930', quantity: 1, clientOrderId: 'counted-1' };

    await place(request);
    await place(request);
    await place({ ...request, clientOrderId: 'counted-2' });

    const stats = await admin.getBrokerStats('kis');
    expect(stats.ordersPlaced).toBe(2);
    expect(stats.requests['PlaceOrder']).toBe(3);
  });
});
