import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import {
  ALL_PROTO_FILES,
  jtsV1,
  JTS_PROTO_FILES,
  loadPackageDefinition,
  PROTO_LOADER_OPTIONS,
} from './index';

// Real grpc-js server and clients on loopback: the generated definitions must work end to end, beside
// the standard health and reflection services, as the simulator, gateway and worker will use them.
jest.setTimeout(20_000);

const CALL_TIMEOUT_MS = 5_000;
const deadline = (): grpc.CallOptions => ({ deadline: Date.now() + CALL_TIMEOUT_MS });

const ORDER: jtsV1.Order = {
  orderId: '0000117',
  clientOrderId: 'intent-0001',
  accountId: '50012345-01',
  symbol: '005930',
  side: jtsV1.OrderSide.BUY,
  orderType: jtsV1.OrderType.LIMIT,
  quantity: 10,
  price: '71500.00',
  status: jtsV1.OrderStatus.ACCEPTED,
  filledQuantity: 0,
  avgFillPrice: '',
  message: '',
  createdAt: '2024-01-02T00:00:01.000Z',
  updatedAt: '2024-01-02T00:00:01.000Z',
};

function candleAt(minute: number): jtsV1.CandleData {
  const timestamp = new Date(Date.UTC(2024, 0, 2, 0, minute)).toISOString();
  return {
    symbol: '005930',
    timeframe: '1m',
    timestamp,
    open: '78200',
    high: '78300',
    low: '78100',
    close: '78250',
    volume: 1_000 + minute,
  };
}

const marketData: jtsV1.MarketDataServiceServer = {
  getSymbols: (_call, callback) => callback(null, { symbols: [] }),
  getCandles: (call) => {
    for (let minute = 0; minute < 3; minute++) call.write(candleAt(minute));
    call.end();
  },
  getQuote: (call, callback) =>
    callback(null, {
      ...jtsV1.QuoteData.create(),
      symbol: call.request.symbol,
      price: '71500.00',
      bid: '71500',
      ask: '71600',
    }),
  streamQuotes: (call) => call.end(),
};

/** PlaceOrder answers per the error convention of trading.proto when the client id asks for it. */
const trading: jtsV1.TradingServiceServer = {
  getBalance: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
  getPositions: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
  placeOrder: (call, callback) => {
    if (call.request.clientOrderId === 'over-the-limit') {
      const metadata = new grpc.Metadata();
      metadata.set('jts-broker-code', 'EGW00201');
      metadata.set('retry-after-ms', '1000');
      callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'rate limit exceeded', metadata });
      return;
    }
    callback(null, { order: { ...ORDER, ...call.request } });
  },
  cancelOrder: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
  getOrderStatus: (call, callback) =>
    call.request.clientOrderId === ORDER.clientOrderId
      ? callback(null, { order: ORDER })
      : callback({ code: grpc.status.NOT_FOUND, details: 'order not found' }),
};

function unary<Res>(
  invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => void,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
}

function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    stream.on('data', (item: T) => items.push(item));
    stream.on('error', reject);
    stream.on('end', () => resolve(items));
  });
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
}

/**
 * The package (field 2) of a serialized google.protobuf.FileDescriptorProto. Its leading fields are
 * strings (name, package), so a minimal reader of varints and length-delimited fields is enough.
 */
function descriptorPackage(descriptor: Buffer): string | undefined {
  let offset = 0;
  const readVarint = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = descriptor[offset++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
  };
  while (offset < descriptor.length) {
    const key = readVarint();
    if ((key & 7) !== 2) return undefined;
    const length = readVarint();
    if (key >> 3 === 2) return descriptor.toString('utf8', offset, offset + length);
    offset += length;
  }
  return undefined;
}

/** One request on grpc.reflection.v1.ServerReflection, as grpcurl sends it. */
function askReflection(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const reflectionProtoRoot = path.join(
    path.dirname(require.resolve('@grpc/reflection/package.json')),
    'build',
    'proto',
  );
  const definition = loadSync('grpc/reflection/v1/reflection.proto', {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [reflectionProtoRoot],
  });
  const ReflectionClient = grpc.makeGenericClientConstructor(
    definition['grpc.reflection.v1.ServerReflection'] as grpc.ServiceDefinition,
    'ServerReflection',
  );
  const client = new ReflectionClient(address, grpc.credentials.createInsecure());
  const call = client['ServerReflectionInfo'](deadline()) as grpc.ClientDuplexStream<
    object,
    ReflectionResponse
  >;
  return new Promise<ReflectionResponse>((resolve, reject) => {
    call.on('data', (response: ReflectionResponse) => {
      resolve(response);
      call.end();
    });
    call.on('error', reject);
    call.write(request);
  }).finally(() => client.close());
}

describe('generated services over a real gRPC connection', () => {
  let server: grpc.Server;
  let address: string;
  let marketDataClient: jtsV1.MarketDataServiceClient;
  let tradingClient: jtsV1.TradingServiceClient;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(jtsV1.MarketDataServiceService, marketData);
    server.addService(jtsV1.TradingServiceService, trading);
    new HealthImplementation({ '': 'SERVING', 'jts.v1.TradingService': 'SERVING' }).addToServer(server);
    new ReflectionService(loadPackageDefinition(ALL_PROTO_FILES, { includeHealth: true })).addToServer(
      server,
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      ),
    );
    address = `127.0.0.1:${port}`;
    marketDataClient = new jtsV1.MarketDataServiceClient(address, grpc.credentials.createInsecure());
    tradingClient = new jtsV1.TradingServiceClient(address, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    marketDataClient?.close();
    tradingClient?.close();
    server?.forceShutdown();
  });

  it('answers a unary call with decimal strings intact', async () => {
    const quote = await unary<jtsV1.QuoteData>((callback) =>
      marketDataClient.getQuote({ symbol: '005930' }, new grpc.Metadata(), deadline(), callback),
    );

    expect(quote).toEqual(
      expect.objectContaining({ symbol: '005930', price: '71500.00', bid: '71500', ask: '71600' }),
    );
  });

  it('streams candles in order and ends the stream', async () => {
    const request = {
      symbol: '005930',
      timeframe: '1m',
      startTime: '2024-01-02T00:00:00Z',
      endTime: '2024-01-02T00:02:00Z',
    };

    const candles = await collect<jtsV1.CandleData>(marketDataClient.getCandles(request, deadline()));

    expect(candles).toEqual([candleAt(0), candleAt(1), candleAt(2)]);
  });

  it('carries the error class as a status code and the broker code and retry delay as metadata', async () => {
    const request = { ...jtsV1.PlaceOrderRequest.fromPartial(ORDER), clientOrderId: 'over-the-limit' };

    const error = await unary((callback) =>
      tradingClient.placeOrder(request, new grpc.Metadata(), deadline(), callback),
    ).catch((e: grpc.ServiceError) => e);

    expect(error).toEqual(
      expect.objectContaining({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'rate limit exceeded' }),
    );
    const metadata = (error as grpc.ServiceError).metadata;
    expect(metadata.get('jts-broker-code')).toEqual(['EGW00201']);
    expect(metadata.get('retry-after-ms')).toEqual(['1000']);
  });

  it('serves a proto-loader client (as NestJS or grpcurl-style tools use) with the same objects', async () => {
    type LoadedClient = grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientUnaryCall>;
    const loaded = grpc.loadPackageDefinition(loadPackageDefinition(JTS_PROTO_FILES)) as unknown as {
      jts: {
        v1: { TradingService: new (address: string, credentials: grpc.ChannelCredentials) => LoadedClient };
      };
    };
    const client = new loaded.jts.v1.TradingService(address, grpc.credentials.createInsecure());
    try {
      const response = await unary<jtsV1.OrderStatusResponse>((callback) =>
        client['GetOrderStatus']({ clientOrderId: 'intent-0001' }, new grpc.Metadata(), deadline(), callback),
      );

      expect(response.order).toEqual(ORDER);
    } finally {
      client.close();
    }
  });

  it('lists the application services and grpc.health.v1.Health through server reflection', async () => {
    const response = await askReflection(address, { listServices: '' });

    const names = response.listServicesResponse?.service.map((service) => service.name) ?? [];
    expect(names).toEqual(
      expect.arrayContaining([
        'jts.v1.MarketDataService',
        'jts.v1.TradingService',
        'qts.gateway.v1.BrokerGatewayService',
        'qts.execution.v1.ExecutionService',
        'grpc.health.v1.Health',
      ]),
    );
  });

  it('describes a service and the packages it imports through reflection, so tools need no .proto files', async () => {
    const response = await askReflection(address, {
      fileContainingSymbol: 'qts.gateway.v1.BrokerGatewayService',
    });

    const packages = response.fileDescriptorResponse?.fileDescriptorProto.map(descriptorPackage);
    expect(packages).toEqual(expect.arrayContaining(['qts.gateway.v1', 'qts.type.v1']));
  });
});
