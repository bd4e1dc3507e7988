import { BrokerType, ConnectionStatus, Quote } from '@qts/broker-domain';
import { SimulatorHarness, startSimulatorHarness } from '../../test/simulator-harness';

/**
 * Three times a broker's limit pushed through the gateway: the client-side limiter queues the excess,
 * the simulator (enforcing the same rule server-side, like KIS) counts ZERO violations, and every call
 * eventually succeeds.
 */
describe('rate-limit compliance against the JTS simulator (kis-paper: 2 requests per second)', () => {
  const ACCOUNT = '50012345-01';
  let harness: SimulatorHarness;

  beforeAll(async () => {
    harness = await startSimulatorHarness({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'kis-paper', accountId: ACCOUNT }],
      acquireTimeoutMs: 30_000,
      // A call's deadline bounds its wait for a permit: long enough here for the whole queue to be served.
      deadlineMs: 30_000,
      // Probes do not count against the broker's budget, but keep them out of the way anyway.
      healthIntervalMs: 30_000,
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('fires 6 calls/s for 3 s: all succeed, the broker sees no violation', async () => {
    expect(harness.manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    await harness.sim.admin.resetStats('kis', { resetRateWindows: true });
    const gateway = harness.gateway('kis');
    const calls: Promise<unknown>[] = [];
    const startedAt = Date.now();

    for (let i = 0; i < 18; i++) {
      calls.push(i % 3 === 2 ? gateway.getBalance(ACCOUNT) : gateway.getQuote('005930'));
      await new Promise((resolve) => setTimeout(resolve, 1_000 / 6));
    }
    const results = await Promise.allSettled(calls);

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(results.filter((result) => result.status === 'fulfilled' && result.value instanceof Quote)).toHaveLength(12);
    const stats = await harness.sim.admin.getBrokerStats('kis');
    expect(Number(stats.totalViolations)).toBe(0);
    expect(Number(stats.totalRequests)).toBe(18);
    // 18 requests at 2 per second (each slot held from send to answer plus 1 s) need at least 8 windows.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(8_000);
  });
});
