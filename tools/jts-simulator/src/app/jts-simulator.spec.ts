import { connect, createServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { Metadata, status } from '@grpc/grpc-js';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { getFreePort, waitFor } from '@qts/test-support';
import {
  adminClient,
  callOptions,
  healthStatus,
  jtsClients,
  reflectedServices,
  rejectionOf,
  trailer,
  unary,
} from '../../test/jts-test-clients';
import type { JtsTestClients } from '../../test/jts-test-clients';
import type { SimulatedBrokerConfig } from './config/simulator-config';
import { JtsSimulator, READY_LINE_PREFIX } from './jts-simulator';

jest.setTimeout(30_000);

const KIS: SimulatedBrokerConfig = {
  id: 'kis',
  type: BrokerType.KIS,
  port: 0,
  rateLimit: 'none',
  accounts: [{ id: '50012345-01', type: AccountType.PAPER }],
};

function start(overrides: Partial<Parameters<typeof JtsSimulator.start>[0]> = {}): Promise<JtsSimulator> {
  return JtsSimulator.start({ host: '127.0.0.1', adminPort: 0, seed: 42, brokers: [KIS], ...overrides });
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function getQuote(clients: JtsTestClients, symbol = '005930'): Promise<jtsV1.QuoteData> {
  return unary((cb) => clients.marketData.getQuote({ symbol }, new Metadata(), callOptions(), cb));
}

describe('JtsSimulator', () => {
  const started: JtsSimulator[] = [];
  const opened: JtsTestClients[] = [];

  async function running(overrides: Partial<Parameters<typeof JtsSimulator.start>[0]> = {}): Promise<JtsSimulator> {
    const simulator = await start(overrides);
    started.push(simulator);
    return simulator;
  }

  function clientsOf(simulator: JtsSimulator, brokerId = 'kis'): JtsTestClients {
    const clients = jtsClients(simulator.brokerAddress(brokerId));
    opened.push(clients);
    return clients;
  }

  afterEach(async () => {
    opened.splice(0).forEach((clients) => clients.close());
    await Promise.all(started.splice(0).map((simulator) => simulator.stop(0)));
  });

  it('announces its ports in one READY line', async () => {
    const simulator = await running({
      brokers: [KIS, { id: 'kiwoom', type: BrokerType.KIWOOM, port: 0, rateLimit: 'none', accounts: [] }],
    });

    const line = simulator.readyLine();

    expect(line.startsWith(`${READY_LINE_PREFIX} `)).toBe(true);
    expect(JSON.parse(line.slice(READY_LINE_PREFIX.length + 1))).toEqual({
      admin: simulator.adminPort,
      brokers: { kis: simulator.broker('kis').port, kiwoom: simulator.broker('kiwoom').port },
    });
    expect(simulator.brokerPorts()['kis']).toBeGreaterThan(0);
  });

  it('serves the standard health service per service name on broker and admin ports', async () => {
    const simulator = await running();
    const broker = simulator.brokerAddress('kis');
    const admin = `127.0.0.1:${simulator.adminPort}`;

    for (const service of ['', 'jts.v1.MarketDataService', 'jts.v1.TradingService']) {
      expect(await healthStatus(broker, service)).toBe('SERVING');
    }
    expect(await healthStatus(admin, '')).toBe('SERVING');
    expect(await healthStatus(admin, 'qts.simulator.v1.SimulatorAdminService')).toBe('SERVING');
    await expect(healthStatus(broker, 'no.such.Service')).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it('answers server reflection with the services each port serves', async () => {
    const simulator = await running();

    expect(await reflectedServices(simulator.brokerAddress('kis'))).toEqual([
      'grpc.health.v1.Health',
      'jts.v1.MarketDataService',
      'jts.v1.TradingService',
    ]);
    expect(await reflectedServices(`127.0.0.1:${simulator.adminPort}`)).toEqual([
      'grpc.health.v1.Health',
      'qts.simulator.v1.SimulatorAdminService',
    ]);
  });

  describe('rate enforcement like the broker', () => {
    let now = 0;
    const rateClock = (): number => now;

    beforeEach(() => {
      now = 0;
    });

    it('answers a burst over the KIS paper 2/s limit with RESOURCE_EXHAUSTED, EGW00201 and a retry hint', async () => {
      const simulator = await running({ brokers: [{ ...KIS, rateLimit: { preset: 'kis-paper' } }], rateClock });
      const clients = clientsOf(simulator);

      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => getQuote(clients)));

      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
      expect(refused).toHaveLength(3);
      for (const error of refused) {
        expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
        expect(trailer(error, 'jts-broker-code')).toBe('EGW00201');
        expect(trailer(error, 'jts-error-code')).toBe('RATE_LIMITED');
        expect(trailer(error, 'retry-after-ms')).toBe('1000');
      }
      const stats = await adminOf(simulator).getBrokerStats('kis');
      expect(stats.violations).toEqual({ requests: 3, token: 0 });
      expect(stats.totalViolations).toBe(3);
      expect(stats.state?.rateLimitPreset).toBe('kis-paper');

      now = 1_000; // the two grants leave the window
      await expect(getQuote(clients)).resolves.toBeDefined();
      await expect(getQuote(clients)).resolves.toBeDefined();
      expect((await rejectionOf(getQuote(clients))).code).toBe(status.RESOURCE_EXHAUSTED);
    });

    it('counts a quote stream once when it opens, not per quote', async () => {
      const simulator = await running({
        brokers: [{ ...KIS, rateLimit: { preset: 'kis-paper' } }],
        rateClock,
        quoteIntervalMs: 10,
      });
      const clients = clientsOf(simulator);
      const stream = clients.marketData.streamQuotes({ symbols: ['005930'] });
      let quotes = 0;
      stream.on('data', () => (quotes += 1));
      stream.on('error', () => undefined);
      await waitFor(() => quotes >= 5, { timeoutMs: 5_000, description: 'five streamed quotes' });

      await expect(getQuote(clients)).resolves.toBeDefined();
      const refused = await rejectionOf(getQuote(clients));
      stream.cancel();

      expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    });

    it('rejects with the Kiwoom code 1700 over the kiwoom preset', async () => {
      const simulator = await running({
        brokers: [{ id: 'kiwoom', type: BrokerType.KIWOOM, port: 0, rateLimit: { preset: 'kiwoom' }, accounts: [] }],
        rateClock,
      });
      const clients = clientsOf(simulator, 'kiwoom');

      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => getQuote(clients)));

      const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(refused).toHaveLength(1);
      expect(trailer(refused[0], 'jts-broker-code')).toBe('1700');
    });
  });

  it('starts with its broker ports refusing connections with refuse, and serves once brought up', async () => {
    const brokerPort = await getFreePort();
    const simulator = await running({ brokers: [{ ...KIS, port: brokerPort }], startDown: true });

    expect(simulator.broker('kis').isUp).toBe(false);
    await expect(portRefuses(brokerPort)).resolves.toBe(true);
    expect(simulator.readyLine()).toContain(`"kis":${brokerPort}`);

    await adminOf(simulator).up('kis');
    await expect(getQuote(clientsOf(simulator))).resolves.toBeDefined();
  });

  it('starts every broker with the faults of the command line', async () => {
    const simulator = await running({ faults: { errorRate: 1, errorCode: status.INTERNAL, latencyMs: 5 } });

    const error = await rejectionOf(getQuote(clientsOf(simulator)));

    expect(error.code).toBe(status.INTERNAL);
    expect(simulator.broker('kis').state().faults).toMatchObject({ latency: { latencyMs: 5 }, errorRate: { rate: 1 } });
  });

  it('answers calls in flight with UNAVAILABLE when stopped, after their grace, and frees its ports', async () => {
    const simulator = await start();
    const clients = clientsOf(simulator);
    const brokerPort = simulator.broker('kis').port;
    await adminOf(simulator).setFaults('kis', { latency: { latencyMs: 5_000, rpcs: ['GetQuote'] } });
    const inFlight = rejectionOf(getQuote(clients));
    await waitFor(() => simulator.broker('kis').stats.snapshot().requests.GetQuote === 1, { description: 'the call to arrive' });

    await simulator.stop(100);

    const error = await inFlight;
    expect(error.code).toBe(status.UNAVAILABLE);
    await expect(portRefuses(brokerPort)).resolves.toBe(true);
    await expect(portRefuses(simulator.adminPort)).resolves.toBe(true);
  });

  describe('refuses to start', () => {
    let blocker: NetServer;
    let blockedPort: number;

    beforeEach(async () => {
      // grpc-js prints its own bind failure ("No address added...") besides rejecting; the rejection is asserted.
      jest.spyOn(console, 'error').mockImplementation(() => undefined);
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      blockedPort = (blocker.address() as { port: number }).port;
    });

    afterEach(async () => {
      jest.restoreAllMocks();
      await new Promise((resolve) => blocker.close(resolve));
    });

    it('when the admin port is taken, naming it', async () => {
      await expect(start({ adminPort: blockedPort })).rejects.toThrow(`admin API: cannot listen on 127.0.0.1:${blockedPort}`);
    });

    it('when a broker port is taken, naming the broker, and releases what it bound', async () => {
      const adminPort = await getFreePort();

      await expect(start({ adminPort, brokers: [{ ...KIS, port: blockedPort }] })).rejects.toThrow(
        `broker kis: cannot listen on 127.0.0.1:${blockedPort}`,
      );
      await expect(portRefuses(adminPort)).resolves.toBe(true);
    });

    it('when a broker id is listed twice', async () => {
      await expect(start({ brokers: [KIS, KIS] })).rejects.toThrow("broker id 'kis' is listed twice");
    });
  });

  const admins: ReturnType<typeof adminClient>[] = [];
  function adminOf(simulator: JtsSimulator): ReturnType<typeof adminClient> {
    const admin = adminClient(simulator);
    admins.push(admin);
    return admin;
  }

  afterAll(() => admins.forEach((admin) => admin.close()));
});
