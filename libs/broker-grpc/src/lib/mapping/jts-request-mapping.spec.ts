import { Decimal, OrderSide, OrderType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { candlesRequestToWire, placeOrderRequestToWire } from './jts-request-mapping';

describe('domain -> jts.v1 requests', () => {
  it('a LIMIT order carries its price as a plain decimal string', () => {
    expect(
      placeOrderRequestToWire(
        { accountId: 'A', symbol: '005930', side: OrderSide.SELL, orderType: OrderType.LIMIT, quantity: 3, price: new Decimal('1.05e3') },
        'c-1',
      ),
    ).toEqual({
      accountId: 'A',
      symbol: '005930',
      side: jtsV1.OrderSide.SELL,
      orderType: jtsV1.OrderType.LIMIT,
      quantity: 3,
      price: '1050',
      clientOrderId: 'c-1',
    });
  });

  it('a MARKET order carries the empty price', () => {
    expect(
      placeOrderRequestToWire({ accountId: 'A', symbol: '005930', side: OrderSide.BUY, orderType: OrderType.MARKET, quantity: 1 }, 'c').price,
    ).toBe('');
  });

  it('a candle range is sent as RFC 3339 UTC', () => {
    expect(candlesRequestToWire('005930', '1w', new Date('2024-01-01T00:00:00Z'), new Date('2024-03-31T00:00:00Z'))).toEqual({
      symbol: '005930',
      timeframe: '1w',
      startTime: '2024-01-01T00:00:00.000Z',
      endTime: '2024-03-31T00:00:00.000Z',
    });
  });
});
