import { Decimal, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import request from 'supertest';
import {
  ADMIN_KEY,
  createTestGateway,
  PAPER_ACCOUNT,
  REAL_ACCOUNT,
  type TestGateway,
} from '../../../test/gateway-test-app';

describe('REST: accounts and orders', () => {
  let gateway: TestGateway;
  const server = () => gateway.app.getHttpServer();
  const get = (path: string) => request(server()).get(path).set('X-API-Key', ADMIN_KEY);
  const orders = `/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`;
  const post = (path: string, body: unknown) => request(server()).post(path).set('X-API-Key', ADMIN_KEY).send(body as object);

  beforeAll(async () => {
    gateway = await createTestGateway();
  });

  afterAll(async () => {
    await gateway.close();
  });

  afterEach(() => gateway.kis.clear());

  it('GET balance and positions of a configured account', async () => {
    const balance = await get(`/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/balance`).expect(200);
    expect(balance.body).toMatchObject({ accountId: PAPER_ACCOUNT, currency: 'KRW', cashBalance: expect.stringMatching(/^\d+$/) });
    const positions = await get(`/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/positions`).expect(200);
    expect(positions.body).toEqual({ accountId: PAPER_ACCOUNT, positions: expect.any(Array) });
  });

  it('answers 404 ACCOUNT_NOT_FOUND for an account the configuration does not list, without a broker call', async () => {
    const response = await get('/api/v1/brokers/kis/accounts/11111111-01/balance').expect(404);
    expect(response.body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await post('/api/v1/brokers/kis/accounts/11111111-01/orders', { symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 }).expect(404)).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect(gateway.kis.count('getBalance') + gateway.kis.count('placeOrder')).toBe(0);
  });

  it('places a LIMIT order with a decimal string price, reads it back and cancels it', async () => {
    const quote = await get('/api/v1/brokers/kis/quotes/005930').expect(200);
    // Far below the market so the order rests; 50,000 is on the 100-won tick of its band.
    expect(Number(quote.body.price)).toBeGreaterThan(60_000);
    const placed = await post(orders, { symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 3, price: '50000' }).expect(201);
    expect(placed.body).toMatchObject({ accountId: PAPER_ACCOUNT, symbol: '005930', price: '50000', quantity: 3, status: 'ACCEPTED' });
    expect(placed.body.clientOrderId).toMatch(/^gw-[0-9a-f]{32}$/);

    const read = await get(`/api/v1/brokers/kis/orders/${placed.body.id}`).expect(200);
    expect(read.body.id).toBe(placed.body.id);

    const cancelled = await request(server()).delete(`/api/v1/brokers/kis/orders/${placed.body.id}`).set('X-API-Key', ADMIN_KEY).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
  });

  it('answers 404 ORDER_NOT_FOUND for an unknown order and 400 for a malformed order id', async () => {
    expect((await get('/api/v1/brokers/kis/orders/does-not-exist').expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await get('/api/v1/brokers/kis/orders/bad%20id').expect(400)).body.message).toContain('orderId');
  });

  it('refuses orders on a REAL account with 403 LIVE_TRADING_DISABLED before any broker call', async () => {
    const response = await post(`/api/v1/brokers/kis/accounts/${REAL_ACCOUNT}/orders`, {
      symbol: '005930',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 1,
    }).expect(403);
    expect(response.body.code).toBe('LIVE_TRADING_DISABLED');
    expect(gateway.kis.count('placeOrder')).toBe(0);
  });

  it('refuses to cancel an order of a REAL account with 403 LIVE_TRADING_DISABLED, and leaves it open at the broker', async () => {
    // Resting on the REAL account at the broker (placed outside the gateway, e.g. in the broker's own app).
    const resting = await gateway.kis.inner.placeOrder({
      accountId: REAL_ACCOUNT,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 1,
      price: new Decimal('50000'),
      clientOrderId: 'real-resting-1',
    });

    const response = await request(server()).delete(`/api/v1/brokers/kis/orders/${resting.id}`).set('X-API-Key', ADMIN_KEY).expect(403);

    expect(response.body).toMatchObject({ statusCode: 403, code: 'LIVE_TRADING_DISABLED' });
    expect(response.body.message).toContain(REAL_ACCOUNT);
    expect(gateway.kis.count('cancelOrder')).toBe(0);
    expect((await gateway.kis.inner.getOrderStatus(resting.id)).status).toBe(OrderStatus.ACCEPTED);
  });

  it.each([
    ['a price given as a JSON number', { orderType: 'LIMIT', price: 71500 }, 'price'],
    ['a price off the KRX tick grid', { orderType: 'LIMIT', price: '71550' }, 'price'],
    ['a price in exponent notation', { orderType: 'LIMIT', price: '7.15e4' }, 'price'],
    ['a negative price', { orderType: 'LIMIT', price: '-71500' }, 'price'],
    ['a LIMIT order without price', { orderType: 'LIMIT' }, 'price'],
    ['a MARKET order with a price', { orderType: 'MARKET', price: '71500' }, 'price'],
    ['a quantity given as a string', { quantity: '10' }, 'quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
    ['a zero quantity', { quantity: 0 }, 'quantity'],
    ['an unknown side', { side: 'HOLD' }, 'side'],
    ['an unknown order type', { orderType: 'STOP' }, 'orderType'],
    ['a 5-character symbol', { symbol: '05930' }, 'symbol'],
    ['an extra field', { apiKey: 'leaked-secret-value' }, 'apiKey'],
  ])('answers 400 naming the field for %s', async (_case, override, field) => {
    const body = { symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1, ...override };
    const response = await post(orders, body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'INVALID_ARGUMENT' });
    expect(response.body.message).toContain(field);
    expect(JSON.stringify(response.body)).not.toContain('leaked-secret-value');
    expect(gateway.kis.count('placeOrder')).toBe(0);
  });

  it('answers 400 MALFORMED_REQUEST for a body that is not JSON, without echoing it', async () => {
    const response = await request(server())
      .post(orders)
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send('{"symbol":"005930", "password": "hunter2')
      .expect(400);
    expect(response.body.code).toBe('MALFORMED_REQUEST');
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });

  it('answers 415 for a JSON body in an unsupported charset and 413 for an oversized body', async () => {
    const charset = await request(server())
      .post(orders)
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"symbol":"005930"}')
      .expect(415);
    expect(charset.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await post(orders, { symbol: '005930', padding: 'x'.repeat(200_000) }).expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for a JSON array body and for a malformed Idempotency-Key', async () => {
    expect((await post(orders, [1, 2]).expect(400)).body.code).toBe('INVALID_ARGUMENT');
    const response = await request(server())
      .post(orders)
      .set('X-API-Key', ADMIN_KEY)
      .set('Idempotency-Key', 'has spaces in it')
      .send({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 })
      .expect(400);
    expect(response.body.message).toContain('Idempotency-Key');
  });

  it('answers 422 INSUFFICIENT_FUNDS when the broker refuses the order for cash', async () => {
    const response = await post(orders, { symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 100_000_000 }).expect(422);
    expect(response.body.code).toBe('INSUFFICIENT_FUNDS');
  });

  it('answers 404 ROUTE_NOT_FOUND for unknown routes', async () => {
    expect((await get('/api/v1/nothing-here').expect(404)).body).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: 'no such route',
    });
  });
});

describe('REST: orders on a REAL account with live trading enabled', () => {
  let gateway: TestGateway;
  const server = () => gateway.app.getHttpServer();

  beforeAll(async () => {
    gateway = await createTestGateway({ liveTradingEnabled: true });
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('places and cancels an order of a REAL account', async () => {
    const placed = await request(server())
      .post(`/api/v1/brokers/kis/accounts/${REAL_ACCOUNT}/orders`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 1, price: '50000' })
      .expect(201);
    expect(placed.body).toMatchObject({ accountId: REAL_ACCOUNT, status: 'ACCEPTED' });

    const cancelled = await request(server()).delete(`/api/v1/brokers/kis/orders/${placed.body.id}`).set('X-API-Key', ADMIN_KEY).expect(200);

    expect(cancelled.body).toMatchObject({ id: placed.body.id, accountId: REAL_ACCOUNT, status: 'CANCELLED' });
    expect(gateway.kis.count('cancelOrder')).toBe(1);
    expect((await gateway.kis.inner.getOrderStatus(placed.body.id)).status).toBe(OrderStatus.CANCELLED);
  });
});
