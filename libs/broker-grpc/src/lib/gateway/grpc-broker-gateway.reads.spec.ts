import { status } from '@grpc/grpc-js';
import {
  Balance,
  Candle,
  Decimal,
  InvalidArgumentError,
  Market,
  Order,
  OrderSide,
  OrderStatus,
  OrderType,
  Position,
  Quote,
  StockSymbol,
} from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { GatewayHarness, startGatewayHarness } from '../../../test/gateway-harness';
import { grpcError, WIRE_ORDER, WIRE_QUOTE, wireCandle } from '../../../test/scripted-jts-server';

jest.setTimeout(15_000);

describe('GrpcBrokerGateway reads: proto -> domain over a real grpc-js channel', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness();
  });

  afterAll(() => harness.close());

  beforeEach(() => {
    harness.server.reset();
    harness.limiter.acquired.length = 0;
  });

  it('getSymbols maps codes, names, markets and an empty sector to absent', async () => {
    const symbols = await harness.gateway().getSymbols();

    expect(symbols).toHaveLength(2);
    expect(symbols[0]).toBeInstanceOf(StockSymbol);
    expect(symbols.map((s) => s.toJSON())).toEqual([
      { code: '005930', name: '삼성전자', market: Market.KOSPI, sector: '전기전자' },
      { code: '247540', name: '에코프로비엠', market: Market.KOSDAQ },
    ]);
    expect(harness.limiter.acquired).toEqual(['getSymbols']);
  });

  it('getQuote keeps every decimal exactly (no float on the way), including digits a double would lose', async () => {
    harness.server.handlers.getQuote = (call, callback) =>
      callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol, price: '12345678901234567.89', open: '' });

    const quote = await harness.gateway().getQuote('005930');

    expect(quote).toBeInstanceOf(Quote);
    expect(harness.server.requests.getQuote).toEqual([{ symbol: '005930' }]);
    // decimal.js keeps the value exactly; it normalises trailing zeros ('71500.00' -> '71500').
    expect(quote.price.toFixed()).toBe('12345678901234567.89');
    // ...which a JS number could not carry:
    expect(String(Number('12345678901234567.89'))).not.toBe('12345678901234567.89');
    expect(quote.changeRate.toFixed()).toBe('0.5625879043600562587904360056258790436');
    expect(quote.change.equals(new Decimal('400'))).toBe(true);
    expect(quote.high?.toFixed()).toBe('72000.5');
    expect(quote.open).toBeUndefined();
    expect(quote.ask.equals('71500')).toBe(true);
    expect(quote.bidSize).toBe(1200);
    expect(quote.volume).toBe(Number.MAX_SAFE_INTEGER);
    expect(quote.timestamp.toISOString()).toBe('2024-01-02T01:02:03.456Z');
  });

  it('getQuote reads an empty side of the book as 0', async () => {
    harness.server.handlers.getQuote = (call, callback) =>
      callback(null, { ...WIRE_QUOTE, symbol: call.request.symbol, bid: '', askSize: 0 });

    const quote = await harness.gateway().getQuote('005930');

    expect(quote.bid.isZero()).toBe(true);
  });

  it('getBalance and getPositions map amounts as decimals and compute the derived values', async () => {
    const gateway = harness.gateway();

    const balance = await gateway.getBalance('50012345-01');
    const positions = await gateway.getPositions('50012345-01');

    expect(balance).toBeInstanceOf(Balance);
    expect(balance.toJSON()).toEqual({
      accountId: '50012345-01',
      totalEquity: '100000000',
      cashBalance: '99284999.5',
      buyingPower: '99284999.5',
      currency: 'KRW',
    });
    expect(positions).toHaveLength(1);
    expect(positions[0]).toBeInstanceOf(Position);
    expect(positions[0].avgPrice.toFixed()).toBe('71450.5');
    expect(positions[0].marketValue.toFixed()).toBe('715000');
    expect(positions[0].unrealizedPnl.toFixed()).toBe('495');
    expect(harness.server.requests.getPositions).toEqual([{ accountId: '50012345-01' }]);
    expect(harness.limiter.acquired).toEqual(['getBalance', 'getPositions']);
  });

  it('getOrderStatus maps every order field and attributes the order to the broker', async () => {
    const order = await harness.gateway().getOrderStatus('ORD-0000001');

    expect(order).toBeInstanceOf(Order);
    expect(order.toJSON()).toEqual({
      id: 'ORD-0000001',
      clientOrderId: 'intent-0001',
      brokerId: 'kis',
      accountId: '50012345-01',
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 10,
      price: '71500',
      status: OrderStatus.PARTIAL,
      filledQuantity: 4,
      remainingQuantity: 6,
      avgFillPrice: '71450.5',
      message: 'partly filled',
      createdAt: '2024-01-02T00:00:01.000Z',
      updatedAt: '2024-01-02T00:00:02.500Z',
    });
    expect(harness.server.requests.getOrderStatus).toEqual([{ orderId: 'ORD-0000001' }]);
    expect(harness.limiter.acquired).toEqual(['getOrderStatus']);
  });

  it.each([
    [jtsV1.OrderStatus.PENDING, OrderStatus.PENDING, 0],
    [jtsV1.OrderStatus.ACCEPTED, OrderStatus.ACCEPTED, 0],
    [jtsV1.OrderStatus.FILLED, OrderStatus.FILLED, 10],
    [jtsV1.OrderStatus.CANCELLED, OrderStatus.CANCELLED, 4],
    [jtsV1.OrderStatus.REJECTED, OrderStatus.REJECTED, 0],
    [jtsV1.OrderStatus.UNKNOWN, OrderStatus.UNKNOWN, 0],
  ])('maps order status %s to %s', async (wire, domain, filledQuantity) => {
    harness.server.handlers.getOrderStatus = (_call, callback) =>
      callback(null, { order: { ...WIRE_ORDER, status: wire, filledQuantity } });

    const order = await harness.gateway().getOrderStatus('ORD-0000001');

    expect(order.status).toBe(domain);
  });

  it('maps a SELL MARKET order without price and without fills', async () => {
    harness.server.handlers.getOrderStatus = (_call, callback) =>
      callback(null, {
        order: {
          ...WIRE_ORDER,
          side: jtsV1.OrderSide.SELL,
          orderType: jtsV1.OrderType.MARKET,
          price: '',
          status: jtsV1.OrderStatus.ACCEPTED,
          filledQuantity: 0,
          avgFillPrice: '',
          clientOrderId: '',
          message: '',
          updatedAt: '',
        },
      });

    const order = await harness.gateway().getOrderStatus('ORD-0000001');

    expect(order.side).toBe(OrderSide.SELL);
    expect(order.orderType).toBe(OrderType.MARKET);
    expect(order.price).toBeUndefined();
    expect(order.avgFillPrice).toBeUndefined();
    expect(order.clientOrderId).toBeUndefined();
    expect(order.message).toBeUndefined();
    expect(order.updatedAt).toEqual(order.createdAt);
  });

  it('findOrderByClientOrderId looks the order up by client_order_id', async () => {
    const order = await harness.gateway().findOrderByClientOrderId('intent-0042');

    expect(order?.clientOrderId).toBe('intent-0042');
    expect(harness.server.requests.getOrderStatus).toEqual([{ clientOrderId: 'intent-0042' }]);
    expect(harness.limiter.acquired).toEqual(['getOrderStatus']);
  });

  it('findOrderByClientOrderId answers null when the broker has no such order (NOT_FOUND)', async () => {
    harness.server.handlers.getOrderStatus = (_call, callback) =>
      callback(grpcError(status.NOT_FOUND, 'no order intent-0042', { 'jts-error-code': 'ORDER_NOT_FOUND' }));

    await expect(harness.gateway().findOrderByClientOrderId('intent-0042')).resolves.toBeNull();
  });

  it('findOrderByClientOrderId still throws other failures', async () => {
    harness.server.handlers.getOrderStatus = (_call, callback) =>
      callback(grpcError(status.UNAUTHENTICATED, 'token expired'));

    await expect(harness.gateway().findOrderByClientOrderId('intent-0042')).rejects.toMatchObject({
      code: 'AUTHENTICATION_FAILED',
    });
  });

  describe('candles', () => {
    const start = new Date('2024-01-02T00:00:00.000Z');
    const end = new Date('2024-01-02T06:29:00.000Z');

    it('getCandles sends the range as RFC 3339 and collects every streamed candle with exact decimals', async () => {
      const candles = await harness.gateway().getCandles('005930', '1m', start, end);

      expect(harness.server.requests.getCandles).toEqual([
        { symbol: '005930', timeframe: '1m', startTime: '2024-01-02T00:00:00.000Z', endTime: '2024-01-02T06:29:00.000Z' },
      ]);
      expect(candles).toHaveLength(3);
      expect(candles[0]).toBeInstanceOf(Candle);
      expect(candles[2].toJSON()).toEqual({
        symbol: '005930',
        timeframe: '1m',
        timestamp: '2024-01-02T00:02:00.000Z',
        open: '71000',
        high: '71500',
        low: '70900',
        close: '71200.1',
        volume: 102,
      });
      expect(harness.limiter.acquired).toEqual(['getCandles']);
    });

    it('getCandles of an empty range is an empty list', async () => {
      harness.server.handlers.getCandles = (call) => call.end();

      await expect(harness.gateway().getCandles('005930', '1d', start, start)).resolves.toEqual([]);
    });

    it('streamCandles yields lazily and cancels the server stream when the consumer stops early', async () => {
      let cancelled = false;
      let written = 0;
      harness.server.handlers.getCandles = (call) => {
        call.on('cancelled', () => (cancelled = true));
        const writeMore = () => {
          while (!cancelled && written < 100_000) {
            if (!call.write(wireCandle(written++))) return void call.once('drain', writeMore);
          }
          if (!cancelled) call.end();
        };
        writeMore();
      };

      const received: Candle[] = [];
      for await (const candle of harness.gateway().streamCandles('005930', '1m', start, new Date('2024-12-31'))) {
        received.push(candle);
        if (received.length === 5) break;
      }

      expect(received.map((c) => c.volume)).toEqual([100, 101, 102, 103, 104]);
      await waitUntilCancelled(() => cancelled);
      // Back-pressure: the server could not run far ahead of the consumer.
      expect(written).toBeLessThan(100_000);
    });

    it('streamCandles stops quietly when its signal aborts', async () => {
      harness.server.handlers.getCandles = (call) => {
        call.write(wireCandle(0));
        // then nothing: the stream stays open until cancelled
      };
      const controller = new AbortController();
      const received: Candle[] = [];

      for await (const candle of harness.gateway().streamCandles('005930', '1m', start, end, {
        signal: controller.signal,
      })) {
        received.push(candle);
        controller.abort();
      }

      expect(received).toHaveLength(1);
    });

    it('disconnecting the broker ends a running candle stream with BrokerUnavailable', async () => {
      const own = await startGatewayHarness();
      try {
        own.server.handlers.getCandles = (call) => call.write(wireCandle(0)); // then stays open
        const received: Candle[] = [];

        const consuming = (async () => {
          for await (const candle of own.gateway().streamCandles('005930', '1m', start, end)) {
            received.push(candle);
            own.manager.disconnect('kis');
          }
        })();

        await expect(consuming).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE', message: "Broker 'kis' was disconnected" });
        expect(received).toHaveLength(1);
      } finally {
        own.close();
      }
    });

    it.each([
      ['another symbol', wireCandle(0, { symbol: '000660' })],
      ['another timeframe', wireCandle(0, { timeframe: '5m' })],
      ['a bar outside the range', wireCandle(0, { timestamp: '2024-01-03T00:00:00.000Z' })],
      ['an unknown timeframe', wireCandle(0, { timeframe: '2m' })],
      ['high below close', wireCandle(0, { high: '71100' })],
      ['a float-ish garbage price', wireCandle(0, { open: '7.1e4x' })],
    ])('refuses a stream with %s as a malformed answer (BrokerUnavailable)', async (_case, candle) => {
      harness.server.handlers.getCandles = (call) => {
        call.write(candle);
        call.end();
      };

      await expect(harness.gateway().getCandles('005930', '1m', start, end)).rejects.toMatchObject({
        code: 'BROKER_UNAVAILABLE',
      });
    });

    it('refuses candles that are not in ascending order', async () => {
      harness.server.handlers.getCandles = (call) => {
        call.write(wireCandle(1));
        call.write(wireCandle(1));
        call.end();
      };

      await expect(harness.gateway().getCandles('005930', '1m', start, end)).rejects.toMatchObject({
        code: 'BROKER_UNAVAILABLE',
        details: expect.objectContaining({ field: 'candle.timestamp' }),
      });
    });

    it.each([
      ['a bad symbol', () => harness.gateway().getCandles('5930', '1m', start, end), 'symbol'],
      ['a bad timeframe', () => harness.gateway().getCandles('005930', '2m' as '1m', start, end), 'timeframe'],
      ['an invalid start', () => harness.gateway().getCandles('005930', '1m', new Date('x'), end), 'start'],
      ['an invalid end', () => harness.gateway().getCandles('005930', '1m', start, new Date('x')), 'end'],
      ['start after end', () => harness.gateway().getCandles('005930', '1m', end, start), 'start'],
    ])('rejects %s before taking a permit', async (_case, call, field) => {
      await expect(call()).rejects.toMatchObject({ constructor: InvalidArgumentError, field });
      expect(harness.limiter.acquired).toEqual([]);
      expect(harness.server.calls.getCandles).toBe(0);
    });
  });

  it.each([
    ['getQuote', () => harness.gateway().getQuote('ABC'), 'symbol'],
    ['getBalance', () => harness.gateway().getBalance(''), 'accountId'],
    ['getPositions', () => harness.gateway().getPositions('  '), 'accountId'],
    ['getOrderStatus', () => harness.gateway().getOrderStatus(''), 'orderId'],
    ['findOrderByClientOrderId', () => harness.gateway().findOrderByClientOrderId(''), 'clientOrderId'],
  ])('%s rejects bad input with InvalidArgumentError naming the field, sending nothing', async (_op, call, field) => {
    await expect(call()).rejects.toMatchObject({ constructor: InvalidArgumentError, field });
    expect(harness.limiter.acquired).toEqual([]);
  });

  it('refuses a quote for another symbol than asked', async () => {
    harness.server.handlers.getQuote = (_call, callback) => callback(null, { ...WIRE_QUOTE, symbol: '000660' });

    await expect(harness.gateway().getQuote('005930')).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
  });
});

async function waitUntilCancelled(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('the server never saw the cancellation');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
