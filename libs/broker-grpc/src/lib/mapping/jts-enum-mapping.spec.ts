import { Market, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import {
  marketFromWire,
  orderSideFromWire,
  orderSideToWire,
  orderStatusFromWire,
  orderTypeFromWire,
  orderTypeToWire,
} from './jts-enum-mapping';
import { MalformedResponseError } from './malformed-response-error';

describe('jts.v1 enums <-> domain enums', () => {
  it.each([
    [OrderSide.BUY, jtsV1.OrderSide.BUY],
    [OrderSide.SELL, jtsV1.OrderSide.SELL],
  ])('side %s <-> %s', (domain, wire) => {
    expect(orderSideToWire(domain)).toBe(wire);
    expect(orderSideFromWire(wire)).toBe(domain);
  });

  it.each([
    [OrderType.MARKET, jtsV1.OrderType.MARKET],
    [OrderType.LIMIT, jtsV1.OrderType.LIMIT],
  ])('order type %s <-> %s', (domain, wire) => {
    expect(orderTypeToWire(domain)).toBe(wire);
    expect(orderTypeFromWire(wire)).toBe(domain);
  });

  it('maps every wire order status but UNSPECIFIED to the domain status of the same name', () => {
    for (const status of Object.values(OrderStatus)) {
      expect(orderStatusFromWire(`ORDER_STATUS_${status}` as jtsV1.OrderStatus)).toBe(status);
    }
  });

  it('maps markets', () => {
    expect(marketFromWire(jtsV1.Market.KOSPI)).toBe(Market.KOSPI);
    expect(marketFromWire(jtsV1.Market.KOSDAQ)).toBe(Market.KOSDAQ);
  });

  it.each([
    () => orderSideFromWire(jtsV1.OrderSide.UNSPECIFIED),
    () => orderTypeFromWire(jtsV1.OrderType.UNRECOGNIZED),
    () => orderStatusFromWire(jtsV1.OrderStatus.UNSPECIFIED),
    () => marketFromWire(jtsV1.Market.UNSPECIFIED),
  ])('refuses UNSPECIFIED / UNRECOGNIZED values from the server (case %#)', (read) => {
    expect(read).toThrow(MalformedResponseError);
  });
});
