import { createServer, type Server } from 'node:net';
import { AuthenticationError, BrokerType, ConnectionStatus, RateLimitExceededError, type ConnectionStatusEvent } from '@qts/broker-domain';
import { createRestBroker } from '../create-rest-broker';
import { RestTransportError } from '../http/rest-transport-error';
import type { RestCallPermits } from '../permits/rest-call-permits';
import { InMemoryTokenStore } from '../tokens/in-memory-token-store';
import { RestConnectionHealth, tcpReachability, type ReachabilityProbe } from './rest-connection-health';

/** A probe whose answers the test decides, one call at a time. */
function scriptedProbe(): { probe: ReachabilityProbe; calls: () => number; reachable: (value: boolean) => void } {
  let reachable = true;
  let calls = 0;
  return {
    probe: async () => {
      calls += 1;
      if (!reachable) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    },
    calls: () => calls,
    reachable: (value) => (reachable = value),
  };
}

const refused = () => new RestTransportError('connection', 'GET /x: could not connect (ECONNREFUSED)');
const timedOut = () => new RestTransportError('timeout', 'GET /x timed out after 5000 ms');

describe('RestConnectionHealth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function health(probe: ReachabilityProbe) {
    const events: ConnectionStatusEvent[] = [];
    const tracker = new RestConnectionHealth({ brokerId: 'kis-rest', baseUrl: 'https://openapi.example:9443', intervalMs: 10_000, probe, now: Date.now });
    tracker.onStatusChange((event) => events.push(event));
    return { tracker, events };
  }

  it('is CONNECTING until the first probe, which connects to the server before any request is made', async () => {
    const script = scriptedProbe();
    const { tracker, events } = health(script.probe);
    expect(tracker.status).toBe(ConnectionStatus.CONNECTING);
    expect(tracker.target).toBe('openapi.example:9443');

    tracker.start();
    await jest.advanceTimersByTimeAsync(0);

    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
    expect(events.map((event) => [event.previous, event.current])).toEqual([[ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED]]);
    tracker.stop();
  });

  it('takes the status from request outcomes: answered, no answer in time, no connection, refused credentials', () => {
    const { tracker } = health(scriptedProbe().probe);

    tracker.answered();
    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
    tracker.failed(new Error('wrapped', { cause: timedOut() }));
    expect([tracker.status, tracker.reason]).toEqual([ConnectionStatus.DEGRADED, 'a request got no answer in time']);
    tracker.answered();
    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
    tracker.failed(refused());
    expect([tracker.status, tracker.reason]).toEqual([ConnectionStatus.DISCONNECTED, 'cannot connect to openapi.example:9443']);
    tracker.answered();
    tracker.failed(new AuthenticationError('KIS refused the token issuance [EGW00103]'));
    expect(tracker.status).toBe(ConnectionStatus.DISCONNECTED);
    // Decided on this side: says nothing about the server.
    tracker.answered();
    tracker.failed(new RateLimitExceededError('no permit within 10000 ms', { retryAfterMs: 1_000 }));
    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
  });

  it('probes with backoff while the server cannot be reached, and is CONNECTED again once it can', async () => {
    const script = scriptedProbe();
    const { tracker } = health(script.probe);
    tracker.start();
    await jest.advanceTimersByTimeAsync(0);
    script.reachable(false);

    tracker.failed(refused());
    expect(tracker.status).toBe(ConnectionStatus.DISCONNECTED);
    const before = script.calls();
    await jest.advanceTimersByTimeAsync(250);
    expect(script.calls()).toBe(before + 1);
    await jest.advanceTimersByTimeAsync(250);
    expect(script.calls()).toBe(before + 2);
    await jest.advanceTimersByTimeAsync(499);
    expect(script.calls()).toBe(before + 2);
    await jest.advanceTimersByTimeAsync(1);
    expect(script.calls()).toBe(before + 3);
    expect(tracker.reason).toBe('cannot connect to openapi.example:9443 (ECONNREFUSED)');

    script.reachable(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
    tracker.stop();
  });

  it('does not let a reachable server end refused credentials: only an answer does', async () => {
    const script = scriptedProbe();
    const { tracker } = health(script.probe);
    tracker.start();
    await jest.advanceTimersByTimeAsync(0);

    tracker.failed(new AuthenticationError('app key not valid'));
    await jest.advanceTimersByTimeAsync(30_000);

    expect(tracker.status).toBe(ConnectionStatus.DISCONNECTED);
    tracker.answered();
    expect(tracker.status).toBe(ConnectionStatus.CONNECTED);
    tracker.stop();
  });

  it('checks an idle CONNECTED server every interval, and not while requests are answered', async () => {
    const script = scriptedProbe();
    const { tracker } = health(script.probe);
    tracker.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(script.calls()).toBe(1);

    await jest.advanceTimersByTimeAsync(5_000);
    tracker.answered();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(script.calls()).toBe(1);
    script.reachable(false);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(script.calls()).toBe(2);
    expect(tracker.status).toBe(ConnectionStatus.DISCONNECTED);
    tracker.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(script.calls()).toBe(2);
  });
});

describe('tcpReachability', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resolves for a listening port and rejects with the socket error for a closed one', async () => {
    await expect(tcpReachability('127.0.0.1', port, 2_000)).resolves.toBeUndefined();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(tcpReachability('127.0.0.1', closedPort, 2_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('createRestBroker: the connection health hears every request', () => {
  const PERMITS: RestCallPermits = { acquire: async () => ({ complete: () => undefined }) };

  it('is CONNECTED after an answered request and DISCONNECTED when the server cannot be reached', async () => {
    let up = true;
    const fetch = async (url: string): Promise<Response> => {
      if (!up) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      if (url.endsWith('/oauth2/tokenP')) return Response.json({ access_token: 't', expires_in: 86_400 });
      return Response.json({ rt_cd: '0', msg_cd: 'MCA00000', msg1: 'ok', output: { stck_prpr: '70100' } });
    };
    const broker = createRestBroker({
      brokerId: 'kis-rest',
      brokerType: BrokerType.KIS,
      accountId: '50012345-01',
      transport: { environment: 'paper', baseUrl: 'http://127.0.0.1:1', credentials: { appKey: { env: 'K' }, appSecret: { env: 'S' } } },
      credentialReaders: { env: { K: 'PSkey', S: 'secret' } },
      permits: PERMITS,
      tokenStore: new InMemoryTokenStore(),
      fetch,
    });

    await broker.gateway.getQuote('005930').catch(() => undefined);
    expect(broker.health.status).toBe(ConnectionStatus.CONNECTED);
    up = false;
    await expect(broker.gateway.getBalance('50012345-01')).rejects.toThrow();
    expect(broker.health.status).toBe(ConnectionStatus.DISCONNECTED);
  });
});
