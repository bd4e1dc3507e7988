import { jtsV1, qtsExecutionV1, qtsGatewayV1, qtsTypeV1 } from './index';

/** Base-128 varint, the protobuf encoding of integers and field keys. */
function varint(value: bigint): number[] {
  const bytes: number[] = [];
  do {
    const low = Number(value & 0x7fn);
    value >>= 7n;
    bytes.push(value > 0n ? low | 0x80 : low);
  } while (value > 0n);
  return bytes;
}

/** One varint field written by hand: what a peer might send and the generated encoder never would. */
function varintField(fieldNumber: number, value: bigint): Uint8Array {
  return Uint8Array.from([...varint(BigInt(fieldNumber << 3)), ...varint(value)]);
}

/** Encodes with the generated codec and decodes the bytes back, as a gRPC call does. */
function roundTrip<T>(
  codec: { encode(message: T): { finish(): Uint8Array }; decode(bytes: Uint8Array): T },
  message: T,
): T {
  return codec.decode(codec.encode(message).finish());
}

describe('wire format of the generated messages', () => {
  it('keeps decimal strings byte for byte, trailing zeros included', () => {
    const request: jtsV1.PlaceOrderRequest = {
      accountId: '50012345-01',
      symbol: '005930',
      side: jtsV1.OrderSide.BUY,
      orderType: jtsV1.OrderType.LIMIT,
      quantity: 10,
      price: '71500.00',
      clientOrderId: 'intent-0001',
    };

    const decoded = roundTrip(jtsV1.PlaceOrderRequest, request);

    expect(decoded).toEqual(request);
    expect(decoded.price).toBe('71500.00');
  });

  it('round-trips a candle and a quote with every decimal field intact', () => {
    const candle: jtsV1.CandleData = {
      symbol: '005930',
      timeframe: '1d',
      timestamp: '2024-01-02T00:00:00.000Z',
      open: '78200',
      high: '79800.0',
      low: '78200.00',
      close: '79600',
      volume: 17_142_847,
    };
    const quote: jtsV1.QuoteData = {
      symbol: '035720',
      price: '48050',
      open: '',
      high: '',
      low: '',
      previousClose: '48700',
      change: '-650',
      changeRate: '-1.3347',
      bid: '48050',
      ask: '48100',
      bidSize: 1_203,
      askSize: 57,
      volume: 2_345_678,
      timestamp: '2024-01-02T01:23:45.678Z',
    };

    expect(roundTrip(jtsV1.CandleData, candle)).toEqual(candle);
    expect(roundTrip(jtsV1.QuoteData, quote)).toEqual(quote);
  });

  it('maps int64 to number up to Number.MAX_SAFE_INTEGER and refuses anything larger', () => {
    const largest = { ...jtsV1.CandleData.create(), volume: Number.MAX_SAFE_INTEGER };
    expect(roundTrip(jtsV1.CandleData, largest).volume).toBe(Number.MAX_SAFE_INTEGER);
    expect(jtsV1.CandleData.decode(varintField(8, 2n ** 53n - 1n)).volume).toBe(Number.MAX_SAFE_INTEGER);

    // A peer that sends 2^53 + 1 shares must not be silently rounded to 2^53.
    const tooLarge = varintField(8, 2n ** 53n + 1n);
    expect(() => jtsV1.CandleData.decode(tooLarge)).toThrow('MAX_SAFE_INTEGER');
  });

  it('encodes enums by number and exposes them as their proto names', () => {
    const order: jtsV1.Order = {
      ...jtsV1.Order.create(),
      orderId: '0000117',
      side: jtsV1.OrderSide.SELL,
      orderType: jtsV1.OrderType.MARKET,
      status: jtsV1.OrderStatus.FILLED,
    };

    const decoded = roundTrip(jtsV1.Order, order);

    expect(decoded.status).toBe('ORDER_STATUS_FILLED');
    expect(decoded.side).toBe(jtsV1.OrderSide.SELL);
    expect(jtsV1.orderStatusToNumber(jtsV1.OrderStatus.FILLED)).toBe(4);
  });

  it('decodes an enum number it does not know as UNRECOGNIZED instead of failing', () => {
    // A newer server may add an order status; an older client must still read the order.
    const bytes = varintField(9, 99n);

    expect(jtsV1.Order.decode(bytes).status).toBe(jtsV1.OrderStatus.UNRECOGNIZED);
  });

  it('carries exactly the member of the lookup oneof that was set', () => {
    const byClientId = roundTrip(jtsV1.GetOrderStatusRequest, { clientOrderId: 'intent-0001' });
    const byOrderId = roundTrip(jtsV1.GetOrderStatusRequest, { orderId: '0000117' });

    expect(byClientId).toEqual({ clientOrderId: 'intent-0001', orderId: undefined });
    expect(byOrderId).toEqual({ orderId: '0000117', clientOrderId: undefined });
  });

  it('fills absent scalars with proto3 defaults and leaves absent messages undefined', () => {
    const decoded = roundTrip(jtsV1.OrderResponse, {});

    expect(decoded.order).toBeUndefined();
    expect(jtsV1.Order.decode(new Uint8Array())).toEqual(
      expect.objectContaining({ price: '', quantity: 0, status: jtsV1.OrderStatus.UNSPECIFIED }),
    );
  });

  it('round-trips the gateway broker info with rate-limit ratios as doubles', () => {
    const broker: qtsGatewayV1.Broker = {
      id: 'kis',
      type: qtsGatewayV1.BrokerType.KIS,
      status: qtsGatewayV1.ConnectionStatus.DEGRADED,
      offline: false,
      mock: false,
      transport: 'rest',
      accounts: [
        { id: '50012345-01', name: '모의투자', type: qtsGatewayV1.AccountType.PAPER, isDefault: true },
      ],
      rateLimit: {
        ratio: 0.85,
        rules: [{ ruleId: 'requests', limit: 20, windowMs: 1000, used: 17, ratio: 0.85, waiters: 3 }],
      },
    };

    expect(roundTrip(qtsGatewayV1.Broker, broker)).toEqual(broker);
  });

  it('round-trips an execution intent and its report with the shared qts.type.v1 enums', () => {
    const intent: qtsExecutionV1.SubmitIntentRequest = {
      intentId: 'strategy-a:2024-01-02:0001',
      strategyId: 'strategy-a',
      brokerId: 'kis',
      accountId: '50012345-01',
      symbol: '000660',
      side: qtsTypeV1.OrderSide.BUY,
      quantity: 3,
      orderType: qtsTypeV1.OrderType.LIMIT,
      limitPrice: '131500',
      dryRun: true,
      expiresAt: '2024-01-02T00:01:00.000Z',
      maxDelayMs: 0,
    };
    const report: qtsExecutionV1.ExecutionReport = {
      intentId: intent.intentId,
      orderId: '0000118',
      status: qtsTypeV1.OrderStatus.PARTIAL,
      filledQuantity: 1,
      avgFillPrice: '131500.00',
      message: '',
      timestamp: '2024-01-02T00:05:00.000Z',
      sequence: 42,
      strategyId: 'strategy-a',
      brokerId: 'kis',
      failSafeCode: '',
    };

    expect(roundTrip(qtsExecutionV1.SubmitIntentRequest, intent)).toEqual(intent);
    expect(roundTrip(qtsExecutionV1.ExecutionReport, report)).toEqual(report);
  });

  it('writes JSON with decimals as strings and enums by name', () => {
    const json = jtsV1.BalanceResponse.toJSON({
      accountId: 'MOCK-001',
      totalEquity: '100000000.00',
      cashBalance: '99284500',
      buyingPower: '99284500',
      currency: 'KRW',
    });

    expect(json).toEqual({
      accountId: 'MOCK-001',
      totalEquity: '100000000.00',
      cashBalance: '99284500',
      buyingPower: '99284500',
      currency: 'KRW',
    });
    expect(
      jtsV1.Symbol.toJSON({ code: '005930', name: '삼성전자', market: jtsV1.Market.KOSPI, sector: '' }),
    ).toEqual({
      code: '005930',
      name: '삼성전자',
      market: 'MARKET_KOSPI',
    });
  });
});
