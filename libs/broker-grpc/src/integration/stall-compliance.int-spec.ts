import { BrokerType } from '@qts/broker-domain';
import { SimulatorHarness, startSimulatorHarness } from '../../test/simulator-harness';

/**
 * The broker stalls (the simulator is SIGSTOPped, as a hung JTS server or a paused VM would be) while
 * the gateway is loaded at three times the broker's limit, then resumes. Everything written during the
 * stall reaches the simulator at once when it resumes; it counts every arrival against the raw rule
 * (kis-paper: 2 per second) and must see no violation. Calls that got no answer keep their slots until
 * a health check sent after them is answered, plus one window.
 */
describe('rate limits through a broker stall (kis-paper, 3x load, SIGSTOP/SIGCONT)', () => {
  const ACCOUNT = '50012345-01';
  const LOAD_PER_SECOND = 6;
  let harness: SimulatorHarness;

  beforeEach(async () => {
    harness = await startSimulatorHarness({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'kis-paper', accountId: ACCOUNT }],
      // Calls give up after 1 s without an answer (abandoned), and after 5 s without a permit (429).
      deadlineMs: 1_000,
      acquireTimeoutMs: 5_000,
      healthIntervalMs: 1_000,
    });
  });

  afterEach(async () => {
    await harness?.close();
  });

  async function loadThroughStall(
    stallMs: number,
  ): Promise<{ requests: number; violations: number; succeeded: number }> {
    await harness.sim.admin.resetStats('kis', { resetRateWindows: true });
    const gateway = harness.gateway('kis');
    const calls: Promise<unknown>[] = [];
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading; i++) {
        calls.push(i % 3 === 2 ? gateway.getBalance(ACCOUNT) : gateway.getQuote('005930'));
        await new Promise((resolve) => setTimeout(resolve, 1_000 / LOAD_PER_SECOND));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await harness.sim.kill('SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, stallMs));
    } finally {
      await harness.sim.kill('SIGCONT');
    }
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    loading = false;
    await load;
    const results = await Promise.allSettled(calls);
    // Let the last answers and any request still buffered reach the simulator before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stats = await harness.sim.admin.getBrokerStats('kis');
    return {
      requests: Number(stats.totalRequests),
      violations: Number(stats.totalViolations),
      succeeded: results.filter((result) => result.status === 'fulfilled').length,
    };
  }

  it.each([3_000, 7_000])(
    'the simulator counts no violation when it resumes after a %d ms stall',
    async (stallMs) => {
      const { requests, violations, succeeded } = await loadThroughStall(stallMs);
      console.log(
        `SIGSTOP ${stallMs} ms under ${LOAD_PER_SECOND}/s (3x kis-paper): ${requests} requests at the simulator, ${violations} violations, ${succeeded} calls succeeded`,
      );
      expect(violations).toBe(0);
      // The broker was used before and after the stall: the test measured something.
      expect(requests).toBeGreaterThanOrEqual(8);
      expect(succeeded).toBeGreaterThanOrEqual(8);
    },
    90_000,
  );
});
