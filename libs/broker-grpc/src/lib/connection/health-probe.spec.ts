import { ConnectionStatus } from '@qts/broker-domain';
import { MARKET_DATA_SERVICE, ScriptedJtsServer, TRADING_SERVICE } from '../../../test/scripted-jts-server';
import { BrokerConnection, createBrokerConnection } from './broker-connection';
import { probeBrokerHealth } from './health-probe';

jest.setTimeout(15_000);

describe('probeBrokerHealth (grpc.health.v1.Health/Check against a real server)', () => {
  let server: ScriptedJtsServer;
  let connection: BrokerConnection;
  // Generous limits where speed is not the point: a loaded CI machine must not turn a test DEGRADED.
  const options = { timeoutMs: 5_000, slowMs: 5_000 };

  beforeEach(async () => {
    server = await ScriptedJtsServer.start();
    connection = createBrokerConnection('kis', { host: '127.0.0.1', port: server.port });
  });

  afterEach(() => {
    connection.close();
    server.stop();
  });

  it('every JTS service SERVING -> CONNECTED', async () => {
    await expect(probeBrokerHealth(connection, options)).resolves.toEqual({
      status: ConnectionStatus.CONNECTED,
      reason: 'all services SERVING',
    });
  });

  it('a service NOT_SERVING -> DEGRADED, naming it', async () => {
    server.setHealth(TRADING_SERVICE, 'NOT_SERVING');

    await expect(probeBrokerHealth(connection, options)).resolves.toEqual({
      status: ConnectionStatus.DEGRADED,
      reason: `${TRADING_SERVICE} NOT_SERVING`,
    });
  });

  it('a service the health service does not know -> DEGRADED', async () => {
    const result = await probeBrokerHealth(connection, { ...options, services: [MARKET_DATA_SERVICE, 'jts.v1.Missing'] });

    expect(result).toEqual({ status: ConnectionStatus.DEGRADED, reason: 'jts.v1.Missing not registered' });
  });

  it('a slow SERVING answer on an established connection -> DEGRADED', async () => {
    await probeBrokerHealth(connection, options); // connects the channel
    server.healthDelayMs = 300;

    const result = await probeBrokerHealth(connection, { timeoutMs: 5_000, slowMs: 50 });

    expect(result.status).toBe(ConnectionStatus.DEGRADED);
    expect(result.reason).toMatch(/health check took \d+ ms \(> 50 ms\)/);
  });

  it('the first probe, which also sets up the connection, is not judged for speed', async () => {
    server.healthDelayMs = 100;

    await expect(probeBrokerHealth(connection, { timeoutMs: 5_000, slowMs: 50 })).resolves.toMatchObject({
      status: ConnectionStatus.CONNECTED,
    });
  });

  it('no answer within the timeout, even on a live connection (a hung server) -> DISCONNECTED', async () => {
    await probeBrokerHealth(connection, options); // connects the channel
    server.healthDelayMs = 1_000;

    const result = await probeBrokerHealth(connection, { timeoutMs: 100, slowMs: 5_000 });

    expect(result.status).toBe(ConnectionStatus.DISCONNECTED);
    expect(result.reason).toContain('unreachable (DEADLINE_EXCEEDED)');
  });

  it('nothing listening -> DISCONNECTED, at once (no waiting for the deadline)', async () => {
    server.stop();

    // A timeout of an hour: waiting for it would time the test out; the refused connection answers at once.
    const result = await probeBrokerHealth(connection, { timeoutMs: 3_600_000, slowMs: 500 });

    expect(result.status).toBe(ConnectionStatus.DISCONNECTED);
    expect(result.reason).toContain('unreachable (UNAVAILABLE)');
  });

  it('a server without a health service is judged by reachability alone -> CONNECTED', async () => {
    const bare = await ScriptedJtsServer.start({ withHealth: false });
    const bareConnection = createBrokerConnection('bare', { host: '127.0.0.1', port: bare.port });
    try {
      await expect(probeBrokerHealth(bareConnection, options)).resolves.toMatchObject({ status: ConnectionStatus.CONNECTED });
    } finally {
      bareConnection.close();
      bare.stop();
    }
  });
});
