import { AccountType, BrokerType, ConnectionStatus, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { qtsTypeV1 } from '@qts/grpc-contracts';
import { brokerToProto, orderSideFromProto, orderToProto, orderTypeFromProto, quoteToProto } from './gateway-proto-mapping';


describe('gateway proto mapping', () => {
  it('maps every order status, side and type of the domain to a specified proto value', () => {
    for (const statusValue of Object.values(OrderStatus)) {
      const order = orderToProto(
        {
          id: '1',
          accountId: 'a',
          symbol: '005930',
          side: OrderSide.SELL,
          orderType: OrderType.MARKET,
          quantity: 1,
          status: statusValue,
          filledQuantity: 0,
          remainingQuantity: 1,
          createdAt: '2024-01-02T00:00:00.000Z',
          updatedAt: '2024-01-02T00:00:00.000Z',
        },
        'kis',
      );
      expect(order.status).toBe(`ORDER_STATUS_${statusValue}`);
      expect(order).toMatchObject({ brokerId: 'kis', price: '', avgFillPrice: '', clientOrderId: '', side: 'ORDER_SIDE_SELL' });
    }
  });

  it('maps every broker type, connection status and account type', () => {
    for (const type of Object.values(BrokerType)) {
      for (const status of Object.values(ConnectionStatus)) {
        const proto = brokerToProto({
          id: 'b',
          type,
          status,
          offline: false,
          mock: true,
          transport: 'mock',
          required: false,
          lastHealthCheckAt: null,
          accounts: Object.values(AccountType).map((accountType) => ({ id: accountType, name: 'n', type: accountType, isDefault: false })),
          rateLimit: null,
        });
        expect(proto.type).toBe(`BROKER_TYPE_${type}`);
        expect(proto.status).toBe(`CONNECTION_STATUS_${status}`);
        expect(proto.accounts.map((account) => account.type)).toEqual(['ACCOUNT_TYPE_REAL', 'ACCOUNT_TYPE_PAPER']);
        expect(proto.rateLimit).toBeUndefined();
        expect(proto.transport).toBe('mock');
      }
    }
  });

  it('reads proto enums back and passes unspecified values through for validation to refuse', () => {
    expect(orderSideFromProto(qtsTypeV1.OrderSide.BUY)).toBe('BUY');
    expect(orderTypeFromProto(qtsTypeV1.OrderType.LIMIT)).toBe('LIMIT');
    expect(orderSideFromProto(qtsTypeV1.OrderSide.UNSPECIFIED)).toBe('ORDER_SIDE_UNSPECIFIED');
  });

  it('writes absent optional quote decimals as empty strings', () => {
    const quote = quoteToProto({
      symbol: '005930',
      price: '71500',
      change: '0',
      changeRate: '0',
      bid: '71400',
      ask: '71500',
      bidSize: 1,
      askSize: 2,
      volume: 3,
      timestamp: '2024-01-02T00:00:00.000Z',
    });
    expect(quote).toMatchObject({ open: '', high: '', low: '', previousClose: '' });
  });
});
