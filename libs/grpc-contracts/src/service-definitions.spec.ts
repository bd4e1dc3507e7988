import type { MethodDefinition } from '@grpc/grpc-js';
import { ALL_PROTO_FILES, jtsV1, loadPackageDefinition, qtsExecutionV1, qtsGatewayV1 } from './index';

type Kind = 'unary' | 'server-stream';

/** The gRPC contract: every RPC of every service, with its streaming kind. */
const EXPECTED_SERVICES: Record<string, Record<string, Kind>> = {
  'jts.v1.MarketDataService': {
    GetSymbols: 'unary',
    GetCandles: 'server-stream',
    GetQuote: 'unary',
    StreamQuotes: 'server-stream',
  },
  'jts.v1.TradingService': {
    GetBalance: 'unary',
    GetPositions: 'unary',
    PlaceOrder: 'unary',
    CancelOrder: 'unary',
    GetOrderStatus: 'unary',
  },
  'qts.gateway.v1.BrokerGatewayService': {
    ListBrokers: 'unary',
    GetBroker: 'unary',
    GetSymbols: 'unary',
    GetCandles: 'server-stream',
    GetQuote: 'unary',
    StreamQuotes: 'server-stream',
    GetBalance: 'unary',
    GetPositions: 'unary',
    PlaceOrder: 'unary',
    GetOrder: 'unary',
    CancelOrder: 'unary',
  },
  'qts.execution.v1.ExecutionService': {
    SubmitIntent: 'unary',
    GetIntent: 'unary',
    StreamExecutionReports: 'server-stream',
    ResetFailSafe: 'unary',
  },
};

type AnyMethod = Pick<MethodDefinition<unknown, unknown>, 'path' | 'requestStream' | 'responseStream'>;

function kind(method: AnyMethod): Kind | 'client-stream' | 'bidi' {
  if (method.requestStream) return method.responseStream ? 'bidi' : 'client-stream';
  return method.responseStream ? 'server-stream' : 'unary';
}

/** path "/jts.v1.TradingService/PlaceOrder" -> { PlaceOrder: 'unary' } for one service. */
function describeService(methods: Record<string, AnyMethod>): Record<string, string> {
  return Object.fromEntries(
    Object.values(methods).map((method) => [method.path.split('/')[2], kind(method)]),
  );
}

describe('service definitions', () => {
  const generated: Record<string, { service: Record<string, AnyMethod>; serviceName: string }> = {
    'jts.v1.MarketDataService': jtsV1.MarketDataServiceClient,
    'jts.v1.TradingService': jtsV1.TradingServiceClient,
    'qts.gateway.v1.BrokerGatewayService': qtsGatewayV1.BrokerGatewayServiceClient,
    'qts.execution.v1.ExecutionService': qtsExecutionV1.ExecutionServiceClient,
  };

  it.each(Object.keys(EXPECTED_SERVICES))('generated %s has every RPC with its streaming kind', (name) => {
    const client = generated[name];

    expect(client.serviceName).toBe(name);
    expect(describeService(client.service)).toEqual(EXPECTED_SERVICES[name]);
    for (const method of Object.values(client.service)) {
      expect(method.path.startsWith(`/${name}/`)).toBe(true);
    }
  });

  it('generated definitions agree with what proto-loader reads from the .proto files', () => {
    const definition = loadPackageDefinition(ALL_PROTO_FILES);

    for (const name of Object.keys(EXPECTED_SERVICES)) {
      const fromProto = definition[name] as unknown as Record<string, AnyMethod>;
      expect(describeService(fromProto)).toEqual(describeService(generated[name].service));
    }
  });
});
