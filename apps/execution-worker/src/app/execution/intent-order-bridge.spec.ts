import {
  Decimal,
  FailSafeCode,
  InvalidArgumentError,
  OrderSide,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { intentToOrderRequest, orderResponseToExecutionResponse } from './intent-order-bridge';
import { MOCK_GATEWAY_ACCOUNTS, ON_MOCK_BROKER, testIntent } from '@qts/test-support';

describe('intentToOrderRequest', () => {
  it('uses the intent id as clientOrderId and keeps the limit price as the same exact decimal', () => {
    const limitPrice = new Decimal('123456789012345678901234567890');
    const request = intentToOrderRequest(testIntent({ ...ON_MOCK_BROKER, intentId: 'abc-1', limitPrice }));

    expect(request).toEqual({
      clientOrderId: 'abc-1',
      brokerId: 'mock',
      accountId: MOCK_GATEWAY_ACCOUNTS.paper,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.LIMIT,
      quantity: 10,
      price: limitPrice,
    });
    expect(request.price?.toFixed()).toBe('123456789012345678901234567890');
  });

  it('carries no price for a market intent', () => {
    const request = intentToOrderRequest(
      testIntent({ ...ON_MOCK_BROKER, orderType: OrderType.MARKET, limitPrice: undefined, side: OrderSide.SELL, quantity: 3 }),
    );

    expect(request).not.toHaveProperty('price');
    expect(request).toMatchObject({ orderType: OrderType.MARKET, side: OrderSide.SELL, quantity: 3 });
  });
});

describe('orderResponseToExecutionResponse', () => {
  const intent = testIntent({ ...ON_MOCK_BROKER, intentId: 'intent-9' });

  it('answers an accepted order with its id and status and no fail-safe code', () => {
    const response = orderResponseToExecutionResponse(
      intent,
      {
        clientOrderId: 'intent-9',
        orderId: 'B-1',
        accepted: true,
        status: OrderStatus.FILLED,
        filledQuantity: 10,
        message: 'filled',
      },
      'kis',
    );

    expect(response).toEqual({
      intentId: 'intent-9',
      accepted: true,
      broker: 'kis',
      orderId: 'B-1',
      status: OrderStatus.FILLED,
      message: 'filled',
    });
  });

  it('answers a REJECTED order as not accepted with FS040, even if the adapter said accepted', () => {
    const response = orderResponseToExecutionResponse(
      intent,
      {
        clientOrderId: 'intent-9',
        orderId: 'B-2',
        accepted: true,
        status: OrderStatus.REJECTED,
        filledQuantity: 0,
        message: 'no',
      },
      'kis',
    );

    expect(response).toMatchObject({
      accepted: false,
      failSafeCode: FailSafeCode.FS040,
      status: OrderStatus.REJECTED,
    });
  });

  it('answers an UNKNOWN order as not accepted with FS042 and writes a message when the broker gave none', () => {
    const response = orderResponseToExecutionResponse(
      intent,
      {
        clientOrderId: 'intent-9',
        accepted: false,
        status: OrderStatus.UNKNOWN,
        filledQuantity: 0,
        message: '',
      },
      'kis',
    );

    expect(response).toMatchObject({
      accepted: false,
      failSafeCode: FailSafeCode.FS042,
      message: 'order (no id) is UNKNOWN',
    });
    expect(response).not.toHaveProperty('orderId');
  });

  it('refuses to attribute the order of another clientOrderId to the intent', () => {
    expect(() =>
      orderResponseToExecutionResponse(
        intent,
        {
          clientOrderId: 'someone-else',
          orderId: 'B-3',
          accepted: true,
          status: OrderStatus.ACCEPTED,
          filledQuantity: 0,
          message: '',
        },
        'kis',
      ),
    ).toThrow(InvalidArgumentError);
  });
});
