import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { sendUnaryData } from '@grpc/grpc-js';
import { qtsSimulatorV1 } from '@qts/grpc-contracts';
import { getFreePort } from './get-free-port';
import { SimulatorAdminClient } from './simulator-admin-client';

jest.setTimeout(20_000);

const STATE: qtsSimulatorV1.BrokerState = {
  brokerId: 'kis',
  brokerType: 'KIS',
  port: 50061,
  up: true,
  faults: {},
  rateLimitPreset: 'kis-paper',
};

/** A scripted admin server that records what it received. */
function scriptedAdmin(received: unknown[]): qtsSimulatorV1.SimulatorAdminServiceServer {
  const answer = <Req, Res>(response: (request: Req) => Res) => (call: { request: Req }, callback: sendUnaryData<Res>) => {
    received.push(call.request);
    callback(null, response(call.request));
  };
  return {
    setFaults: answer(() => ({ brokers: [STATE] })),
    clearFaults: answer(() => ({ brokers: [STATE] })),
    down: answer(() => ({ brokers: [{ ...STATE, up: false }] })),
    up: answer(() => ({ brokers: [STATE] })),
    getStats: (call, callback) => {
      received.push(call.request);
      if (call.request.brokerId === 'nope') {
        callback({ code: status.NOT_FOUND, details: "no simulated broker 'nope'" });
        return;
      }
      callback(null, {
        brokers: [
          {
            state: STATE,
            requests: { GetQuote: 3 },
            violations: { requests: 1 },
            ordersPlaced: 0,
            injectedFailures: 0,
            totalRequests: 3,
            totalViolations: 1,
          },
        ],
      });
    },
    resetStats: answer(() => ({})),
    listOrders: answer(() => ({ orders: [] })),
  };
}

async function listen(port: number, received: unknown[]): Promise<Server> {
  const server = new Server();
  server.addService(qtsSimulatorV1.SimulatorAdminServiceService, scriptedAdmin(received));
  await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return server;
}

describe('SimulatorAdminClient', () => {
  let port: number;
  let server: Server | undefined;
  let client: SimulatorAdminClient;
  const received: unknown[] = [];

  beforeEach(async () => {
    received.length = 0;
    port = await getFreePort();
    client = new SimulatorAdminClient(`127.0.0.1:${port}`, { deadlineMs: 5_000 });
  });

  afterEach(() => {
    client.close();
    server?.forceShutdown();
    server = undefined;
  });

  it('sends each admin call with its fields filled in and resolves with the answer', async () => {
    server = await listen(port, received);

    await expect(client.setFaults('kis', { latency: { latencyMs: 100 } })).resolves.toEqual([STATE]);
    await expect(client.clearFaults()).resolves.toEqual([STATE]);
    await expect(client.down('kis')).resolves.toEqual([{ ...STATE, up: false }]);
    await expect(client.up()).resolves.toEqual([STATE]);
    await expect(client.getBrokerStats('kis')).resolves.toMatchObject({ requests: { GetQuote: 3 }, violations: { requests: 1 } });
    await client.resetStats('kis', { resetRateWindows: true });
    await client.resetStats();
    await expect(client.listOrders('kis', 'A-1')).resolves.toEqual([]);

    expect(received).toEqual([
      { brokerId: 'kis', faults: { latency: { latencyMs: 100, rpcs: [] } } },
      { brokerId: '' },
      { brokerId: 'kis' },
      { brokerId: '' },
      { brokerId: 'kis' },
      { brokerId: 'kis', resetRateWindows: true },
      { brokerId: '', resetRateWindows: false },
      { brokerId: 'kis', accountId: 'A-1' },
    ]);
  });

  it('rejects with the server status', async () => {
    server = await listen(port, received);

    await expect(client.getStats('nope')).rejects.toMatchObject({ code: status.NOT_FOUND, details: "no simulated broker 'nope'" });
  });

  it('waits for the admin port to come up within its deadline (a restarting simulator)', async () => {
    const pending = client.getStats();
    await new Promise((resolve) => setTimeout(resolve, 300));
    server = await listen(port, received);

    await expect(pending).resolves.toHaveLength(1);
  });

  it('opens a new channel after close()', async () => {
    server = await listen(port, received);
    await client.getStats();

    client.close();

    await expect(client.getStats()).resolves.toHaveLength(1);
  });

  it('gives up at its deadline when nothing listens', async () => {
    const impatient = new SimulatorAdminClient(`127.0.0.1:${port}`, { deadlineMs: 200 });
    try {
      await expect(impatient.getStats()).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    } finally {
      impatient.close();
    }
  });
});
