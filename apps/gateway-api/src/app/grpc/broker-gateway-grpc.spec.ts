import { status } from '@grpc/grpc-js';
import {
  BrokerTimeoutError,
  BrokerUnavailableError,
  ConnectionStatus,
  Decimal,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
} from '@qts/broker-domain';
import request from 'supertest';
import { errorCodeOf, GatewayGrpcClients } from '../../../test/gateway-grpc-clients';
import { ADMIN_KEY, createTestGateway, PAPER_ACCOUNT, REAL_ACCOUNT, type TestGateway } from '../../../test/gateway-test-app';
import { GrpcHealthPublisher } from './grpc-health-publisher';

describe('gRPC BrokerGatewayService', () => {
  let gateway: TestGateway;
  let clients: GatewayGrpcClients;
  let readKey: string;

  beforeAll(async () => {
    gateway = await createTestGateway();
    clients = new GatewayGrpcClients(gateway.grpcPort);
    readKey = (
      await request(gateway.app.getHttpServer())
        .post('/api/v1/admin/api-keys')
        .set('X-API-Key', ADMIN_KEY)
        .send({ name: 'grpc-reader', scopes: ['read'] })
        .expect(201)
    ).body.key;
  });

  afterAll(async () => {
    clients.close();
    await gateway.close();
  });

  afterEach(() => {
    gateway.kis.clear();
    gateway.kisStatus.current = ConnectionStatus.CONNECTED;
  });

  it('lists brokers and describes one, with status, accounts and rate-limit usage', async () => {
    const list = await clients.unary<{ brokers: Array<Record<string, unknown>> }>('ListBrokers', {}, readKey);
    expect(list.response?.brokers.map((broker) => broker['id'])).toEqual(['kis', 'sim']);
    const one = await clients.unary<{ broker: Record<string, unknown> }>('GetBroker', { brokerId: 'kis' }, readKey);
    expect(one.response?.broker).toMatchObject({
      id: 'kis',
      type: 'BROKER_TYPE_KIS',
      status: 'CONNECTION_STATUS_CONNECTED',
      mock: false,
      accounts: expect.arrayContaining([expect.objectContaining({ id: REAL_ACCOUNT, type: 'ACCOUNT_TYPE_REAL' })]),
      rateLimit: { ratio: expect.any(Number), rules: [expect.objectContaining({ ruleId: 'requests' })] },
    });
  });

  it('answers UNAUTHENTICATED without a key and PERMISSION_DENIED without the scope, with the stable code', async () => {
    const missing = await clients.unary('ListBrokers', {});
    expect(missing.error?.code).toBe(status.UNAUTHENTICATED);
    expect(errorCodeOf(missing.error)).toBe('API_KEY_REQUIRED');
    const denied = await clients.unary('PlaceOrder', { brokerId: 'kis', accountId: PAPER_ACCOUNT }, readKey);
    expect(denied.error?.code).toBe(status.PERMISSION_DENIED);
    expect(errorCodeOf(denied.error)).toBe('INSUFFICIENT_SCOPE');
  });

  it('answers NOT_FOUND for an unknown broker and INVALID_ARGUMENT for a malformed request', async () => {
    const unknown = await clients.unary('GetBroker', { brokerId: 'nope' }, readKey);
    expect(unknown.error?.code).toBe(status.NOT_FOUND);
    expect(errorCodeOf(unknown.error)).toBe('BROKER_NOT_FOUND');
    const malformed = await clients.unary('GetQuote', { brokerId: 'kis', symbol: '59' }, readKey);
    expect(malformed.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(malformed.error?.details).toContain('symbol');
  });

  it('serves symbols, quotes, balance and positions with decimal strings', async () => {
    const symbols = await clients.unary<{ symbols: Array<{ code: string; market: string }> }>('GetSymbols', { brokerId: 'kis' }, readKey);
    expect(symbols.response?.symbols).toEqual(expect.arrayContaining([expect.objectContaining({ code: '005930', market: 'MARKET_KOSPI' })]));
    const quote = await clients.unary<{ quote: { symbol: string; price: string } }>('GetQuote', { brokerId: 'kis', symbol: '005930' }, readKey);
    expect(quote.response?.quote.price).toMatch(/^\d+$/);
    const balance = await clients.unary<{ balance: { currency: string } }>('GetBalance', { brokerId: 'kis', accountId: PAPER_ACCOUNT }, readKey);
    expect(balance.response?.balance.currency).toBe('KRW');
    const positions = await clients.unary<{ positions: unknown[] }>('GetPositions', { brokerId: 'kis', accountId: PAPER_ACCOUNT }, readKey);
    expect(Array.isArray(positions.response?.positions)).toBe(true);
    const unknownAccount = await clients.unary('GetBalance', { brokerId: 'kis', accountId: '1-2' }, readKey);
    expect(errorCodeOf(unknownAccount.error)).toBe('ACCOUNT_NOT_FOUND');
  });

  it('streams candles in chunks with x-data-source, from the cache while the broker is unavailable', async () => {
    const request = { brokerId: 'kis', symbol: '005930', timeframe: '1m', startTime: '2024-02-05T00:00:00Z', endTime: '2024-02-07T00:00:00Z' };
    const live = await clients.collect('GetCandles', request, readKey);
    expect(live.error).toBeUndefined();
    expect(live.metadata?.get('x-data-source')).toEqual(['broker']);
    const chunks = live.messages as Array<{ candles: Array<{ open: string; timestamp: string }> }>;
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0].candles).toHaveLength(500);
    const total = chunks.reduce((sum, chunk) => sum + chunk.candles.length, 0);

    gateway.kis.fail('getCandles', new BrokerUnavailableError('down'));
    const cached = await clients.collect('GetCandles', request, readKey);
    expect(cached.metadata?.get('x-data-source')).toEqual(['cache']);
    expect((cached.messages as typeof chunks).reduce((sum, chunk) => sum + chunk.candles.length, 0)).toBe(total);

    const badRange = await clients.collect('GetCandles', { ...request, endTime: '2024-01-01T00:00:00Z' }, readKey);
    expect(badRange.error?.code).toBe(status.INVALID_ARGUMENT);
  });

  it('streams a range of any length: six months of 1m bars, every bar once, in chunks of at most 500', async () => {
    const request = { brokerId: 'kis', symbol: '005930', timeframe: '1m', startTime: '2026-01-01T00:00:00Z', endTime: '2026-06-30T23:59:00Z' };

    const result = await clients.collect('GetCandles', request, readKey);

    expect(result.error).toBeUndefined();
    const chunks = result.messages as Array<{ candles: Array<{ timestamp: string }> }>;
    expect(Math.max(...chunks.map((chunk) => chunk.candles.length))).toBe(500);
    const times = chunks.flatMap((chunk) => chunk.candles.map((candle) => Date.parse(candle.timestamp)));
    // 129 weekdays of 390 one-minute bars: counted in trading minutes, nothing refused.
    expect(times).toHaveLength(129 * 390);
    expect(times.every((time, index) => index === 0 || time > (times[index - 1] as number))).toBe(true);
  });

  it('streams quotes until the client cancels, then closes the broker stream', async () => {
    const call = clients.stream('StreamQuotes', { brokerId: 'kis', symbols: ['005930', '000660'] }, readKey);
    const received: Array<{ quote: { symbol: string } }> = [];
    await new Promise<void>((resolve) => {
      call.on('data', (message: { quote: { symbol: string } }) => {
        received.push(message);
        if (received.length === 2) resolve();
      });
    });
    expect(received.map((message) => message.quote.symbol).sort()).toEqual(['000660', '005930']);
    expect(gateway.kis.openQuoteStreams).toBe(1);
    call.on('error', () => undefined);
    call.cancel();
    const deadline = Date.now() + 5_000;
    while (gateway.kis.openQuoteStreams > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gateway.kis.openQuoteStreams).toBe(0);

    const empty = await clients.collect('StreamQuotes', { brokerId: 'kis', symbols: [] }, readKey);
    expect(empty.error?.code).toBe(status.INVALID_ARGUMENT);
  });

  it('places orders idempotently: duplicate = true on a repeat, ALREADY_EXISTS for another order', async () => {
    const order = {
      brokerId: 'kis',
      accountId: PAPER_ACCOUNT,
      symbol: '005930',
      side: 'ORDER_SIDE_BUY',
      orderType: 'ORDER_TYPE_LIMIT',
      quantity: 2,
      price: '50000',
      idempotencyKey: 'grpc-key-1',
    };
    const first = await clients.unary<{ order: Record<string, unknown>; duplicate: boolean }>('PlaceOrder', order, ADMIN_KEY);
    expect(first.response).toMatchObject({ duplicate: false, order: { status: 'ORDER_STATUS_ACCEPTED', price: '50000', brokerId: 'kis' } });
    const repeat = await clients.unary<{ order: Record<string, unknown>; duplicate: boolean }>('PlaceOrder', order, ADMIN_KEY);
    expect(repeat.response?.duplicate).toBe(true);
    expect(repeat.response?.order['orderId']).toBe(first.response?.order['orderId']);
    expect(gateway.kis.count('placeOrder')).toBe(1);

    const conflict = await clients.unary('PlaceOrder', { ...order, quantity: 3 }, ADMIN_KEY);
    expect(conflict.error?.code).toBe(status.ALREADY_EXISTS);
    expect(errorCodeOf(conflict.error)).toBe('IDEMPOTENCY_CONFLICT');

    const orderId = first.response?.order['orderId'];
    const read = await clients.unary<{ order: { status: string } }>('GetOrder', { brokerId: 'kis', orderId }, readKey);
    expect(read.response?.order.status).toBe('ORDER_STATUS_ACCEPTED');
    const cancelled = await clients.unary<{ order: { status: string } }>('CancelOrder', { brokerId: 'kis', orderId }, ADMIN_KEY);
    expect(cancelled.response?.order.status).toBe('ORDER_STATUS_CANCELLED');
  });

  it('refuses bad orders and REAL accounts with the REST classes', async () => {
    const base = { brokerId: 'kis', accountId: PAPER_ACCOUNT, symbol: '005930', side: 'ORDER_SIDE_BUY', orderType: 'ORDER_TYPE_LIMIT', quantity: 1 };
    const offTick = await clients.unary('PlaceOrder', { ...base, price: '71550' }, ADMIN_KEY);
    expect(offTick.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(offTick.error?.details).toContain('price');
    const noSide = await clients.unary('PlaceOrder', { ...base, side: 'ORDER_SIDE_UNSPECIFIED', price: '71500' }, ADMIN_KEY);
    expect(noSide.error?.details).toContain('side');
    const real = await clients.unary('PlaceOrder', { ...base, accountId: REAL_ACCOUNT, price: '71500' }, ADMIN_KEY);
    expect(real.error?.code).toBe(status.PERMISSION_DENIED);
    expect(errorCodeOf(real.error)).toBe('LIVE_TRADING_DISABLED');
  });

  it('refuses to cancel an order of a REAL account with PERMISSION_DENIED LIVE_TRADING_DISABLED, sending nothing', async () => {
    // Resting on the REAL account at the broker (placed outside the gateway, e.g. in the broker's own app).
    const resting = await gateway.kis.inner.placeOrder({
      accountId: REAL_ACCOUNT,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 1,
      price: new Decimal('50000'),
      clientOrderId: 'grpc-real-resting-1',
    });

    const refused = await clients.unary('CancelOrder', { brokerId: 'kis', orderId: resting.id }, ADMIN_KEY);

    expect(refused.error?.code).toBe(status.PERMISSION_DENIED);
    expect(errorCodeOf(refused.error)).toBe('LIVE_TRADING_DISABLED');
    expect(gateway.kis.count('cancelOrder')).toBe(0);
    expect((await gateway.kis.inner.getOrderStatus(resting.id)).status).toBe(OrderStatus.ACCEPTED);
  });

  it.each([
    ['RateLimitExceeded', new RateLimitExceededError('busy', { retryAfterMs: 1_500 }), status.RESOURCE_EXHAUSTED, 'RATE_LIMITED'],
    ['BrokerUnavailable', new BrokerUnavailableError('down'), status.UNAVAILABLE, 'BROKER_UNAVAILABLE'],
    ['BrokerTimeout', new BrokerTimeoutError('slow'), status.DEADLINE_EXCEEDED, 'BROKER_TIMEOUT'],
  ])('maps %s to gRPC status %i', async (_name, error, code, stableCode) => {
    gateway.kis.fail('getQuote', error);
    const answer = await clients.unary('GetQuote', { brokerId: 'kis', symbol: '005930' }, readKey);
    expect(answer.error?.code).toBe(code);
    expect(errorCodeOf(answer.error)).toBe(stableCode);
    if (code === status.RESOURCE_EXHAUSTED) expect(answer.error?.metadata.get('retry-after-ms')).toEqual(['1500']);
  });

  it('serves grpc.health.v1 per service and per broker, and server reflection', async () => {
    expect(await clients.healthStatus('')).toBe('SERVING');
    expect(await clients.healthStatus('qts.gateway.v1.BrokerGatewayService')).toBe('SERVING');
    expect(await clients.healthStatus('broker/kis')).toBe('SERVING');
    expect(await clients.healthStatus('broker/sim')).toBe('SERVING');

    gateway.kisStatus.current = ConnectionStatus.DISCONNECTED;
    gateway.app.get(GrpcHealthPublisher).refresh();
    expect(await clients.healthStatus('broker/kis')).toBe('NOT_SERVING');
    // kis is required: the gateway service is not ready without it; liveness ('') is unaffected.
    expect(await clients.healthStatus('qts.gateway.v1.BrokerGatewayService')).toBe('NOT_SERVING');
    expect(await clients.healthStatus('')).toBe('SERVING');

    gateway.kisStatus.current = ConnectionStatus.CONNECTED;
    gateway.app.get(GrpcHealthPublisher).refresh();
    expect(await clients.healthStatus('broker/kis')).toBe('SERVING');

    expect(await clients.listServices()).toEqual(
      expect.arrayContaining(['qts.gateway.v1.BrokerGatewayService', 'grpc.health.v1.Health']),
    );
  });
});

describe('gRPC BrokerGatewayService with live trading enabled', () => {
  let gateway: TestGateway;
  let clients: GatewayGrpcClients;

  beforeAll(async () => {
    gateway = await createTestGateway({ liveTradingEnabled: true });
    clients = new GatewayGrpcClients(gateway.grpcPort);
  });

  afterAll(async () => {
    clients.close();
    await gateway.close();
  });

  it('places and cancels an order of a REAL account', async () => {
    const placed = await clients.unary<{ order: { orderId: string; accountId: string; status: string } }>(
      'PlaceOrder',
      {
        brokerId: 'kis',
        accountId: REAL_ACCOUNT,
        symbol: '005930',
        side: 'ORDER_SIDE_BUY',
        orderType: 'ORDER_TYPE_LIMIT',
        quantity: 1,
        price: '50000',
      },
      ADMIN_KEY,
    );
    expect(placed.response?.order).toMatchObject({ accountId: REAL_ACCOUNT, status: 'ORDER_STATUS_ACCEPTED' });
    const orderId = placed.response?.order.orderId as string;

    const cancelled = await clients.unary<{ order: { orderId: string; status: string } }>('CancelOrder', { brokerId: 'kis', orderId }, ADMIN_KEY);

    expect(cancelled.error).toBeUndefined();
    expect(cancelled.response?.order).toMatchObject({ orderId, status: 'ORDER_STATUS_CANCELLED' });
    expect(gateway.kis.count('cancelOrder')).toBe(1);
    expect((await gateway.kis.inner.getOrderStatus(orderId)).status).toBe(OrderStatus.CANCELLED);
  });
});
