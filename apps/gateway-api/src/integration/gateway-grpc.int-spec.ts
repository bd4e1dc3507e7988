import { status } from '@grpc/grpc-js';
import { startSimulatorProcess, waitFor, type SimulatorProcess } from '@qts/test-support';
import { E2E_ADMIN_KEY, startE2eGateway, type E2eGateway } from '../../test/e2e-gateway';
import { errorCodeOf, GatewayGrpcClients } from '../../test/gateway-grpc-clients';

const PAPER = '50012345-01';

/**
 * qts.gateway.v1.BrokerGatewayService and grpc.health.v1.Health end to end, called with a plain
 * @grpc/grpc-js client built from the .proto files by @grpc/proto-loader, against the real simulator.
 */
describe('gateway-api gRPC end to end (JTS simulator process)', () => {
  let simulator: SimulatorProcess;
  let gateway: E2eGateway;
  let clients: GatewayGrpcClients;

  beforeAll(async () => {
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS', preset: 'none', accounts: [{ id: PAPER, type: 'PAPER' }] }],
      args: ['--quote-interval-ms', '100'],
    });
    gateway = await startE2eGateway([
      {
        id: 'kis',
        type: 'KIS',
        grpc: { host: '127.0.0.1', port: simulator.brokerPorts['kis'] },
        rateLimit: { rules: [{ id: 'requests', limit: 500, windowMs: 1_000 }] },
        required: true,
        accounts: [{ id: PAPER, type: 'PAPER', default: true }],
      },
    ]);
    clients = new GatewayGrpcClients(gateway.grpcPort);
    await waitFor(async () => (await clients.healthStatus('broker/kis')) === 'SERVING', {
      timeoutMs: 20_000,
      description: 'broker/kis SERVING',
    });
  });

  afterAll(async () => {
    clients?.close();
    await gateway?.close();
    await simulator?.stop();
  });

  it('answers every read RPC from the simulator', async () => {
    const brokers = await clients.unary<{ brokers: Array<{ id: string; status: string }> }>('ListBrokers', {}, E2E_ADMIN_KEY);
    expect(brokers.response?.brokers).toEqual([expect.objectContaining({ id: 'kis', status: 'CONNECTION_STATUS_CONNECTED', transport: 'jts' })]);
    expect((await clients.unary('GetBroker', { brokerId: 'kis' }, E2E_ADMIN_KEY)).response).toMatchObject({ broker: { id: 'kis', transport: 'jts' } });
    const symbols = await clients.unary<{ symbols: unknown[] }>('GetSymbols', { brokerId: 'kis' }, E2E_ADMIN_KEY);
    expect(symbols.response?.symbols.length).toBeGreaterThan(5);
    const candles = await clients.collect(
      'GetCandles',
      { brokerId: 'kis', symbol: '005930', timeframe: '1m', startTime: '2024-02-05T00:00:00Z', endTime: '2024-02-09T23:59:59Z' },
      E2E_ADMIN_KEY,
    );
    expect(candles.error).toBeUndefined();
    const total = (candles.messages as Array<{ candles: unknown[] }>).reduce((sum, chunk) => sum + chunk.candles.length, 0);
    expect(total).toBeGreaterThan(1_500);
    expect(candles.metadata?.get('x-data-source')).toEqual(['broker']);
    const quote = await clients.unary<{ quote: { price: string } }>('GetQuote', { brokerId: 'kis', symbol: '005930' }, E2E_ADMIN_KEY);
    expect(quote.response?.quote.price).toMatch(/^\d+$/);
    expect((await clients.unary('GetBalance', { brokerId: 'kis', accountId: PAPER }, E2E_ADMIN_KEY)).response).toBeDefined();
    expect((await clients.unary('GetPositions', { brokerId: 'kis', accountId: PAPER }, E2E_ADMIN_KEY)).response).toBeDefined();
  });

  it('streams quotes until cancelled', async () => {
    const call = clients.stream('StreamQuotes', { brokerId: 'kis', symbols: ['005930'] }, E2E_ADMIN_KEY);
    const quotes: unknown[] = [];
    await new Promise<void>((resolve) =>
      call.on('data', (message: unknown) => {
        quotes.push(message);
        if (quotes.length === 3) resolve();
      }),
    );
    call.on('error', () => undefined);
    call.cancel();
    expect(quotes).toHaveLength(3);
  });

  it('places orders idempotently through the same service as REST: one simulator order per key', async () => {
    const order = {
      brokerId: 'kis',
      accountId: PAPER,
      symbol: '005930',
      side: 'ORDER_SIDE_BUY',
      orderType: 'ORDER_TYPE_LIMIT',
      quantity: 1,
      price: '50000',
      idempotencyKey: 'grpc-e2e-1',
    };
    const answers = await Promise.all(Array.from({ length: 4 }, () => clients.unary<{ order: { orderId: string; clientOrderId: string }; duplicate: boolean }>('PlaceOrder', order, E2E_ADMIN_KEY)));
    expect(answers.filter((answer) => answer.response?.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.response?.order.orderId)).size).toBe(1);
    const clientOrderId = answers[0].response?.order.clientOrderId;
    expect((await simulator.admin.listOrders('kis')).filter((placed) => placed.clientOrderId === clientOrderId)).toHaveLength(1);

    const conflict = await clients.unary('PlaceOrder', { ...order, quantity: 2 }, E2E_ADMIN_KEY);
    expect(conflict.error?.code).toBe(status.ALREADY_EXISTS);
    const orderId = answers[0].response?.order.orderId;
    const read = await clients.unary<{ order: { status: string } }>('GetOrder', { brokerId: 'kis', orderId }, E2E_ADMIN_KEY);
    expect(read.response?.order.status).toBe('ORDER_STATUS_ACCEPTED');
    const cancelled = await clients.unary<{ order: { status: string } }>('CancelOrder', { brokerId: 'kis', orderId }, E2E_ADMIN_KEY);
    expect(cancelled.response?.order.status).toBe('ORDER_STATUS_CANCELLED');
  });

  it('answers with gRPC status codes and the stable code in qts-error-code', async () => {
    const unauthenticated = await clients.unary('ListBrokers', {});
    expect([unauthenticated.error?.code, errorCodeOf(unauthenticated.error)]).toEqual([status.UNAUTHENTICATED, 'API_KEY_REQUIRED']);
    const notFound = await clients.unary('GetQuote', { brokerId: 'kis', symbol: '999999' }, E2E_ADMIN_KEY);
    expect([notFound.error?.code, errorCodeOf(notFound.error)]).toEqual([status.NOT_FOUND, 'SYMBOL_NOT_FOUND']);
    const invalidStream = await clients.collect('GetCandles', { brokerId: 'kis', symbol: '005930', timeframe: '7m' }, E2E_ADMIN_KEY);
    expect(invalidStream.error?.code).toBe(status.INVALID_ARGUMENT);

    await simulator.admin.setFaults('kis', { latency: { latencyMs: 2_500, rpcs: ['GetQuote'] } });
    try {
      const late = await clients.unary('GetQuote', { brokerId: 'kis', symbol: '005930' }, E2E_ADMIN_KEY);
      expect([late.error?.code, errorCodeOf(late.error)]).toEqual([status.DEADLINE_EXCEEDED, 'BROKER_TIMEOUT']);
    } finally {
      await simulator.admin.clearFaults('kis');
    }
    await simulator.admin.setFaults('kis', { failNext: { count: 1, code: 'RESOURCE_EXHAUSTED', rpcs: ['GetSymbols'], brokerCode: 'EGW00201' } });
    const limited = await clients.unary('GetSymbols', { brokerId: 'kis' }, E2E_ADMIN_KEY);
    expect([limited.error?.code, errorCodeOf(limited.error)]).toEqual([status.RESOURCE_EXHAUSTED, 'RATE_LIMITED']);
    expect(Number(limited.error?.metadata.get('retry-after-ms')[0])).toBeGreaterThanOrEqual(0);
  });

  it('serves grpc.health.v1 per service and per broker following the connection, and reflection', async () => {
    expect(await clients.healthStatus('')).toBe('SERVING');
    expect(await clients.healthStatus('qts.gateway.v1.BrokerGatewayService')).toBe('SERVING');
    expect(await clients.listServices()).toEqual(
      expect.arrayContaining(['qts.gateway.v1.BrokerGatewayService', 'grpc.health.v1.Health']),
    );

    await simulator.stop();
    await waitFor(async () => (await clients.healthStatus('broker/kis')) === 'NOT_SERVING', {
      timeoutMs: 15_000,
      description: 'broker/kis NOT_SERVING while the simulator is down',
    });
    expect(await clients.healthStatus('qts.gateway.v1.BrokerGatewayService')).toBe('NOT_SERVING');
    expect(await clients.healthStatus('')).toBe('SERVING');
    const unavailable = await clients.unary('GetQuote', { brokerId: 'kis', symbol: '005930' }, E2E_ADMIN_KEY);
    expect([unavailable.error?.code, errorCodeOf(unavailable.error)]).toEqual([status.UNAVAILABLE, 'BROKER_UNAVAILABLE']);

    await simulator.restart();
    await waitFor(async () => (await clients.healthStatus('broker/kis')) === 'SERVING', {
      timeoutMs: 20_000,
      description: 'broker/kis SERVING after the restart',
    });
    expect(await clients.healthStatus('qts.gateway.v1.BrokerGatewayService')).toBe('SERVING');
  });
});
