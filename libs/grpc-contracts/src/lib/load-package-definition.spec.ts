import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MethodDefinition } from '@grpc/proto-loader';
import { jtsV1 } from '../index';
import { loadPackageDefinition } from './load-package-definition';
import { ALL_PROTO_FILES, EXECUTION_PROTO_FILES, GATEWAY_PROTO_FILES, JTS_PROTO_FILES } from './proto-files';
import { PROTO_ROOT } from './proto-root';

const SERVICES = [
  'jts.v1.MarketDataService',
  'jts.v1.TradingService',
  'qts.gateway.v1.BrokerGatewayService',
  'qts.execution.v1.ExecutionService',
];

function method<Req, Res>(
  definition: object,
  service: string,
  rpc: string,
): MethodDefinition<Req, Res, Req, Res> {
  return (definition as Record<string, Record<string, MethodDefinition<Req, Res, Req, Res>>>)[service][rpc];
}

describe('loadPackageDefinition', () => {
  it('loads every proto file and lists every service and shared type', () => {
    const definition = loadPackageDefinition();

    expect(Object.keys(definition)).toEqual(expect.arrayContaining(SERVICES));
    expect(Object.keys(definition)).toEqual(
      expect.arrayContaining([
        'jts.v1.Order',
        'jts.v1.OrderStatus',
        'qts.type.v1.OrderStatus',
        'qts.type.v1.Market',
      ]),
    );
    expect(Object.keys(definition)).not.toContain('grpc.health.v1.Health');
  });

  it.each([
    ['jts', JTS_PROTO_FILES, ['jts.v1.MarketDataService', 'jts.v1.TradingService']],
    ['gateway', GATEWAY_PROTO_FILES, ['qts.gateway.v1.BrokerGatewayService']],
    ['execution', EXECUTION_PROTO_FILES, ['qts.execution.v1.ExecutionService']],
  ])('loads the %s files on their own, resolving their imports through the root', (_api, files, services) => {
    const definition = loadPackageDefinition(files);

    expect(Object.keys(definition)).toEqual(expect.arrayContaining(services));
  });

  it('adds the standard grpc.health.v1.Health service for reflection when asked', () => {
    const definition = loadPackageDefinition(ALL_PROTO_FILES, { includeHealth: true });

    expect(Object.keys(definition)).toEqual(expect.arrayContaining([...SERVICES, 'grpc.health.v1.Health']));
  });

  it('reads from another proto root, such as the copy next to a bundle', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'proto-copy-'));
    try {
      cpSync(PROTO_ROOT, path.join(scratch, 'proto'), { recursive: true });

      const definition = loadPackageDefinition(JTS_PROTO_FILES, { protoRoot: path.join(scratch, 'proto') });

      expect(Object.keys(definition)).toContain('jts.v1.TradingService');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('names the missing file and the folder it looked in', () => {
    expect(() => loadPackageDefinition(['jts/v1/missing.proto'], { protoRoot: '/nowhere/proto' })).toThrow(
      'Proto file jts/v1/missing.proto not found under /nowhere/proto',
    );
  });

  describe('objects from proto-loader and from ts-proto are interchangeable', () => {
    const definition = loadPackageDefinition(JTS_PROTO_FILES);
    const placeOrder = method<jtsV1.PlaceOrderRequest, jtsV1.OrderResponse>(
      definition,
      'jts.v1.TradingService',
      'PlaceOrder',
    );
    const request: jtsV1.PlaceOrderRequest = {
      accountId: '50012345-01',
      symbol: '005930',
      side: jtsV1.OrderSide.BUY,
      orderType: jtsV1.OrderType.LIMIT,
      quantity: 10,
      price: '71500.00',
      clientOrderId: 'intent-0001',
    };

    it('proto-loader reads ts-proto bytes as the same object', () => {
      const bytes = Buffer.from(jtsV1.PlaceOrderRequest.encode(request).finish());

      expect(placeOrder.requestDeserialize(bytes)).toEqual(request);
    });

    it('ts-proto reads proto-loader bytes as the same object', () => {
      const response: jtsV1.OrderResponse = {
        order: {
          ...jtsV1.Order.fromPartial(request),
          orderId: '0000117',
          status: jtsV1.OrderStatus.PARTIAL,
          filledQuantity: 4,
          avgFillPrice: '71450.00',
          message: '',
          createdAt: '2024-01-02T00:00:01.000Z',
          updatedAt: '2024-01-02T00:00:02.000Z',
        },
      };

      expect(jtsV1.OrderResponse.decode(placeOrder.responseSerialize(response))).toEqual(response);
    });

    it('proto-loader also names the oneof member that is set', () => {
      const getOrderStatus = method<jtsV1.GetOrderStatusRequest, jtsV1.OrderStatusResponse>(
        definition,
        'jts.v1.TradingService',
        'GetOrderStatus',
      );
      const bytes = Buffer.from(
        jtsV1.GetOrderStatusRequest.encode({ clientOrderId: 'intent-0001' }).finish(),
      );

      expect(getOrderStatus.requestDeserialize(bytes)).toEqual({
        clientOrderId: 'intent-0001',
        lookup: 'clientOrderId',
      });
    });
  });
});
