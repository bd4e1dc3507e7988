import { InvalidArgumentError, InvalidOrderError, OrderSide, OrderType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { parseOrderLookup, parsePlaceOrderRequest, parseTimestamp } from './jts-request-parsing';

describe('jts.v1 request parsing', () => {
  it.each([
    ['2024-01-02T00:00:00Z', '2024-01-02T00:00:00.000Z'],
    ['2024-01-02T00:00:00.123456Z', '2024-01-02T00:00:00.123Z'],
    ['2024-01-02T09:00:00+09:00', '2024-01-02T00:00:00.000Z'],
    ['2024-02-29t12:30:00-01:30', '2024-02-29T14:00:00.000Z'],
  ])('reads the RFC 3339 timestamp %s', (text, iso) => {
    expect(parseTimestamp(text, 'start_time').toISOString()).toBe(iso);
  });

  it.each(['', '2024-01-02', '2024-01-02 00:00:00Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '1704153600000', '2024-01-02T25:00:00Z'])(
    'refuses %j naming the field',
    (text) => {
      expect(() => parseTimestamp(text, 'end_time')).toThrow(InvalidArgumentError);
      expect(() => parseTimestamp(text, 'end_time')).toThrow('end_time');
    },
  );

  const request: jtsV1.PlaceOrderRequest = {
    accountId: 'A-1',
    symbol: '005930',
    side: jtsV1.OrderSide.SELL,
    orderType: jtsV1.OrderType.LIMIT,
    quantity: 3,
    price: '71500.0',
    clientOrderId: 'c-1',
  };

  it('turns a PlaceOrderRequest into the domain command with a Decimal price', () => {
    const command = parsePlaceOrderRequest(request);

    expect(command).toMatchObject({ accountId: 'A-1', symbol: '005930', side: OrderSide.SELL, orderType: OrderType.LIMIT, quantity: 3, clientOrderId: 'c-1' });
    expect(command.price?.toFixed()).toBe('71500');
  });

  it('treats an empty client_order_id as none and an unrecognised enum as missing', () => {
    expect(parsePlaceOrderRequest({ ...request, clientOrderId: '' }).clientOrderId).toBeUndefined();
    expect(() => parsePlaceOrderRequest({ ...request, side: jtsV1.OrderSide.UNRECOGNIZED })).toThrow(InvalidOrderError);
    expect(() => parsePlaceOrderRequest({ ...request, clientOrderId: '   ' })).toThrow('client_order_id');
    expect(() => parsePlaceOrderRequest({ ...request, price: '1e5' })).toThrow('price');
    expect(() => parsePlaceOrderRequest({ ...request, quantity: 1.5 })).toThrow('quantity');
  });

  it('needs exactly one non-empty order reference', () => {
    expect(parseOrderLookup({ orderId: 'MOCK-1' })).toEqual({ orderId: 'MOCK-1' });
    expect(parseOrderLookup({ clientOrderId: 'c-1' })).toEqual({ clientOrderId: 'c-1' });
    expect(() => parseOrderLookup({ orderId: '' })).toThrow('order_id');
    expect(() => parseOrderLookup({ orderId: 'a', clientOrderId: 'b' })).toThrow('exactly one');
  });
});
