import { connect } from 'node:net';
import { Metadata, status } from '@grpc/grpc-js';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { waitFor } from '@qts/test-support';
import type { SimulatorAdminClient } from '@qts/test-support';
import {
  adminClient,
  callOptions,
  healthStatus,
  jtsClients,
  rejectionOf,
  trailer,
  unary,
} from '../../../test/jts-test-clients';
import type { JtsTestClients } from '../../../test/jts-test-clients';
import { JtsSimulator } from '../jts-simulator';

jest.setTimeout(30_000);

const ACCOUNT = '50012345-01';

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('SimulatorAdminService: fault injection, stats and orders', () => {
  let simulator: JtsSimulator;
  let kis: JtsTestClients;
  let creon: JtsTestClients;
  let admin: SimulatorAdminClient;

  beforeAll(async () => {
    simulator = await JtsSimulator.start({
      host: '127.0.0.1',
      adminPort: 0,
      seed: 7,
      brokers: [
        { id: 'kis', type: BrokerType.KIS, port: 0, rateLimit: 'none', accounts: [{ id: ACCOUNT, type: AccountType.PAPER }] },
        { id: 'creon', type: BrokerType.CREON, port: 0, rateLimit: 'none', accounts: [] },
      ],
    });
    kis = jtsClients(simulator.brokerAddress('kis'));
    creon = jtsClients(simulator.brokerAddress('creon'));
    admin = adminClient(simulator);
  });

  afterEach(async () => {
    await admin.clearFaults();
    await admin.up();
  });

  afterAll(async () => {
    kis.close();
    creon.close();
    admin.close();
    await simulator.stop(0);
  });

  const quote = (clients: JtsTestClients, deadlineMs?: number): Promise<jtsV1.QuoteData> =>
    unary((cb) => clients.marketData.getQuote({ symbol: '005930' }, new Metadata(), callOptions(deadlineMs), cb));
  const symbols = (clients: JtsTestClients): Promise<jtsV1.GetSymbolsResponse> =>
    unary((cb) => clients.marketData.getSymbols({}, new Metadata(), callOptions(), cb));
  const placeOrder = (clientOrderId: string, deadlineMs?: number): Promise<jtsV1.OrderResponse> =>
    unary((cb) =>
      kis.trading.placeOrder(
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
        callOptions(deadlineMs),
        cb,
      ),
    );
  const statusByClientId = (clientOrderId: string): Promise<jtsV1.OrderStatusResponse> =>
    unary((cb) => kis.trading.getOrderStatus({ clientOrderId }, new Metadata(), callOptions(), cb));

  it('adds latency AFTER processing: a PlaceOrder past the client deadline has still placed the order', async () => {
    await admin.setFaults('kis', { latency: { latencyMs: 1_500, rpcs: ['PlaceOrder'] } });

    const error = await rejectionOf(placeOrder('slow-order-1', 300));

    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    const orders = await admin.listOrders('kis');
    expect(orders.map((order) => order.clientOrderId)).toContain('slow-order-1');
    const found = await statusByClientId('slow-order-1');
    expect(found.order?.status).toBe(jtsV1.OrderStatus.FILLED);
  });

  it('delays only the RPCs named', async () => {
    // A minute: the quote cannot answer within its 2 s deadline, the symbols (not named) answer at once. The exact
    // delay is the pipeline's unit test (fake timers); this checks the admin API sets it on the named RPC only.
    await admin.setFaults('kis', { latency: { latencyMs: 60_000, rpcs: ['GetQuote'] } });

    const delayed = await rejectionOf(quote(kis, 2_000));
    const answered = await symbols(kis);

    expect(delayed.code).toBe(status.DEADLINE_EXCEEDED);
    expect(answered.symbols.length).toBeGreaterThan(0);
  });

  it('fails the next N matching calls before processing them, then serves again', async () => {
    await admin.setFaults('kis', { failNext: { count: 2, code: 'UNAVAILABLE', rpcs: ['placeOrder'] } });

    const first = await rejectionOf(placeOrder('fail-next-1'));
    const second = await rejectionOf(placeOrder('fail-next-2'));
    await symbols(kis); // not a PlaceOrder: does not consume the fault
    const third = await placeOrder('fail-next-3');

    expect([first.code, second.code]).toEqual([status.UNAVAILABLE, status.UNAVAILABLE]);
    expect(third.order?.clientOrderId).toBe('fail-next-3');
    const placed = (await admin.listOrders('kis')).map((order) => order.clientOrderId);
    expect(placed).not.toContain('fail-next-1');
    expect(placed).not.toContain('fail-next-2');
    const [state] = await admin.clearFaults('kis');
    expect(state.faults?.failNext).toBeUndefined();
  });

  it('sends the broker code and a retry hint with an injected RESOURCE_EXHAUSTED', async () => {
    await admin.setFaults('kis', { failNext: { count: 1, code: 'RESOURCE_EXHAUSTED', brokerCode: 'EGW00201' } });

    const error = await rejectionOf(quote(kis));

    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(trailer(error, 'jts-broker-code')).toBe('EGW00201');
    expect(Number(trailer(error, 'retry-after-ms'))).toBeGreaterThan(0);
  });

  it('fails a deterministic share of calls at an error rate, the same calls on every run', async () => {
    const outcomes = async (): Promise<string> => {
      await admin.setFaults('kis', { errorRate: { errorRate: 0.5, code: 'INTERNAL', rpcs: ['GetQuote'] } });
      let pattern = '';
      for (let call = 0; call < 40; call += 1) {
        pattern += await quote(kis).then(
          () => '.',
          (error: { code: number }) => (error.code === status.INTERNAL ? 'x' : '?'),
        );
      }
      return pattern;
    };

    const first = await outcomes();
    const second = await outcomes();

    expect(second).toBe(first);
    const failures = [...first].filter((outcome) => outcome === 'x').length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    expect(first).not.toContain('?');
    await expect(symbols(kis)).resolves.toBeDefined(); // GetSymbols is not selected
  });

  it('applies faults to every broker when no broker id is given', async () => {
    const states = await admin.setFaults('', { errorRate: { errorRate: 1 } });

    expect(states.map((state) => state.brokerId).sort()).toEqual(['creon', 'kis']);
    expect((await rejectionOf(quote(kis))).code).toBe(status.UNAVAILABLE);
    expect((await rejectionOf(quote(creon))).code).toBe(status.UNAVAILABLE);
  });

  it('takes a broker down (connections refused, state kept) and up again on the same port', async () => {
    const placed = await placeOrder('before-down-1');
    const port = simulator.broker('kis').port;

    const [down] = await admin.down('kis');
    expect(down).toMatchObject({ brokerId: 'kis', up: false, port });
    await expect(portRefuses(port)).resolves.toBe(true);
    const fresh = jtsClients(`127.0.0.1:${port}`);
    try {
      expect((await rejectionOf(quote(fresh, 2_000))).code).toBe(status.UNAVAILABLE);
    } finally {
      fresh.close();
    }
    await expect(quote(creon)).resolves.toBeDefined(); // other brokers unaffected

    const [up] = await admin.up('kis');
    expect(up).toMatchObject({ up: true, port });
    const after = await waitFor(() => statusByClientId('before-down-1'), { timeoutMs: 10_000, description: 'kis back up' });
    expect(after.order?.orderId).toBe(placed.order?.orderId);
  });

  it('fails an open quote stream when its broker goes down', async () => {
    const stream = kis.marketData.streamQuotes({ symbols: ['005930'] });
    const ended = new Promise<number>((resolve) => stream.on('error', (error: { code: number }) => resolve(error.code)));
    await new Promise((resolve) => stream.once('data', resolve));

    await admin.down('kis');

    await expect(ended).resolves.toBe(status.UNAVAILABLE);
  });

  it('reports NOT_SERVING through health while calls keep working, SERVING again once cleared', async () => {
    const address = simulator.brokerAddress('kis');
    await admin.setFaults('kis', { notServing: { services: ['jts.v1.TradingService'] } });

    expect(await healthStatus(address, 'jts.v1.TradingService')).toBe('NOT_SERVING');
    expect(await healthStatus(address, 'jts.v1.MarketDataService')).toBe('SERVING');
    await expect(quote(kis)).resolves.toBeDefined();

    await admin.clearFaults('kis');
    expect(await healthStatus(address, 'jts.v1.TradingService')).toBe('SERVING');
  });

  it('counts requests per RPC and resets the counters', async () => {
    await admin.resetStats();
    await quote(kis);
    await quote(kis);
    await symbols(kis);

    const [stats] = await admin.getStats('kis');

    expect(stats.requests).toMatchObject({ GetQuote: 2, GetSymbols: 1, PlaceOrder: 0 });
    expect(stats.totalRequests).toBe(3);
    expect(stats.state).toMatchObject({ brokerId: 'kis', brokerType: 'KIS', up: true, rateLimitPreset: 'none' });
    await admin.resetStats('kis');
    expect((await admin.getBrokerStats('kis')).totalRequests).toBe(0);
  });

  it('reports the faults in force in the broker state', async () => {
    const [state] = await admin.setFaults('kis', {
      latency: { latencyMs: 10 },
      errorRate: { errorRate: 0.25, code: 'deadline_exceeded', rpcs: ['GetQuote'] },
      failNext: { count: 3, rpcs: ['CancelOrder'], brokerCode: 'X1' },
    });

    expect(state.faults).toEqual({
      latency: { latencyMs: 10, rpcs: [] },
      errorRate: { errorRate: 0.25, code: 'DEADLINE_EXCEEDED', rpcs: ['GetQuote'], brokerCode: '' },
      failNext: { count: 3, code: 'UNAVAILABLE', rpcs: ['CancelOrder'], brokerCode: 'X1' },
    });
    const [cleared] = await admin.setFaults('kis', { latency: { latencyMs: 0 } });
    expect(cleared.faults?.latency).toBeUndefined();
  });

  it.each([
    ['an unknown broker', (client: SimulatorAdminClient) => client.getStats('nope'), status.NOT_FOUND, 'nope'],
    ['no faults', (client: SimulatorAdminClient) => client.setFaults('kis', {}), status.INVALID_ARGUMENT, 'faults'],
    [
      'an error rate above 1',
      (client: SimulatorAdminClient) => client.setFaults('kis', { errorRate: { errorRate: 1.5 } }),
      status.INVALID_ARGUMENT,
      'faults.error_rate.error_rate',
    ],
    [
      'an unknown RPC',
      (client: SimulatorAdminClient) => client.setFaults('kis', { latency: { latencyMs: 5, rpcs: ['Trade'] } }),
      status.INVALID_ARGUMENT,
      'faults.latency.rpcs[0]',
    ],
    [
      'an unknown status code',
      (client: SimulatorAdminClient) => client.setFaults('kis', { failNext: { count: 1, code: 'BROKEN' } }),
      status.INVALID_ARGUMENT,
      'faults.fail_next.code',
    ],
    [
      'an unknown health service',
      (client: SimulatorAdminClient) => client.setFaults('kis', { notServing: { services: ['x.Y'] } }),
      status.INVALID_ARGUMENT,
      'faults.not_serving.services[0]',
    ],
    [
      'a latency of an hour',
      (client: SimulatorAdminClient) => client.setFaults('kis', { latency: { latencyMs: 3_600_000 } }),
      status.INVALID_ARGUMENT,
      'latency_ms',
    ],
    ['orders without a broker id', (client: SimulatorAdminClient) => client.listOrders(''), status.INVALID_ARGUMENT, 'broker_id'],
  ])('refuses %s naming the field', async (_case, call, code, mentions) => {
    const error = await rejectionOf(call(admin));

    expect(error.code).toBe(code);
    expect(error.details).toContain(mentions);
  });

  it('stays up itself and answers health while every broker is down', async () => {
    await admin.down();

    expect(await healthStatus(`127.0.0.1:${simulator.adminPort}`, 'qts.simulator.v1.SimulatorAdminService')).toBe('SERVING');
    expect((await admin.getStats()).map((stats) => stats.state?.up)).toEqual([false, false]);
  });
});
