import { connect } from 'node:net';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { jtsV1 } from '@qts/grpc-contracts';
import { startSimulatorProcess } from './simulator-process';
import type { SimulatorProcess } from './simulator-process';
import { waitFor } from './wait-for';

// The real, built simulator process (the `integration` target builds it first).

const ACCOUNT = '50012345-01';

function deadline(ms = 5_000): { deadline: number } {
  return { deadline: Date.now() + ms };
}

function call<T>(invoke: (callback: (error: ServiceError | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => invoke((error, value) => (error === null ? resolve(value) : reject(error))));
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startSimulatorProcess with the built simulator', () => {
  let simulator: SimulatorProcess;
  let marketData: jtsV1.MarketDataServiceClient;
  let trading: jtsV1.TradingServiceClient;

  const connectClients = (): void => {
    const options = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 500 };
    marketData = new jtsV1.MarketDataServiceClient(simulator.brokerAddress('kis'), credentials.createInsecure(), options);
    trading = new jtsV1.TradingServiceClient(simulator.brokerAddress('kis'), credentials.createInsecure(), options);
  };
  const quote = (): Promise<jtsV1.QuoteData> =>
    call((cb) => marketData.getQuote({ symbol: '005930' }, new Metadata(), deadline(), cb));
  const placeOrder = (clientOrderId: string): Promise<jtsV1.OrderResponse> =>
    call((cb) =>
      trading.placeOrder(
        {
          accountId: ACCOUNT,
          symbol: '005930',
          side: jtsV1.OrderSide.BUY,
          orderType: jtsV1.OrderType.MARKET,
          quantity: 1,
          price: '',
          clientOrderId,
        },
        new Metadata(),
        deadline(),
        cb,
      ),
    );

  beforeAll(async () => {
    simulator = await startSimulatorProcess({ args: ['--quote-interval-ms', '50'] });
    connectClients();
  });

  afterAll(async () => {
    marketData?.close();
    trading?.close();
    await simulator?.stop();
  });

  it('is ready with the default KIS paper broker and answers calls and the admin API', async () => {
    await simulator.admin.resetStats('kis', { resetRateWindows: true });

    const answer = await quote();

    expect(answer.symbol).toBe('005930');
    const stats = await simulator.admin.getBrokerStats('kis');
    expect(stats.requests['GetQuote']).toBe(1);
    expect(stats.state).toMatchObject({ brokerId: 'kis', brokerType: 'KIS', up: true, rateLimitPreset: 'kis-paper' });
  });

  it('enforces the KIS paper limit like the broker: EGW00201 beyond 2 requests a second', async () => {
    await simulator.admin.resetStats('kis', { resetRateWindows: true });

    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => quote()));

    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as ServiceError] : []));
    expect(refused).toHaveLength(3);
    expect(refused.every((error) => error.code === status.RESOURCE_EXHAUSTED)).toBe(true);
    expect(refused[0].metadata.get('jts-broker-code')).toEqual(['EGW00201']);
    expect((await simulator.admin.getBrokerStats('kis')).violations['requests']).toBe(3);
  });

  it('goes down and comes back on the same port with its orders kept', async () => {
    await simulator.admin.resetStats('kis', { resetRateWindows: true });
    const placed = await placeOrder('int-before-down');

    await simulator.admin.down('kis');
    await expect(listens(simulator.brokerPorts['kis'])).resolves.toBe(false);
    await simulator.admin.up('kis');

    const orders = await simulator.admin.listOrders('kis', ACCOUNT);
    expect(orders.map((order) => order.orderId)).toContain(placed.order?.orderId);
  });

  it('restarts as a new process on the same ports and serves again', async () => {
    const { pid, adminPort, brokerPorts } = simulator;

    await simulator.restart();

    expect(simulator.pid).not.toBe(pid);
    expect(simulator.adminPort).toBe(adminPort);
    expect(simulator.brokerPorts).toEqual(brokerPorts);
    const answer = await waitFor(() => quote(), { timeoutMs: 10_000, description: 'a quote after the restart' });
    expect(answer.symbol).toBe('005930');
    expect((await simulator.admin.getBrokerStats('kis')).totalRequests).toBeGreaterThanOrEqual(1);
  });

  it('stops and frees its ports', async () => {
    await simulator.stop();

    await expect(listens(simulator.brokerPorts['kis'])).resolves.toBe(false);
    await expect(listens(simulator.adminPort)).resolves.toBe(false);
  });
});
