import { BrokerTimeoutError, BrokerType, BrokerUnavailableError, ConnectionStatus, OrderSide, OrderType, Quote } from '@qts/broker-domain';
import { waitFor } from '@qts/test-support';
import { SimulatorHarness, startSimulatorHarness } from '../../test/simulator-harness';
import { ConnectionStatusEvent } from '../lib/connection/connection-status-event';

/**
 * The JTS server going away and coming back, in one test process: the broker turns DISCONNECTED and
 * calls fail fast, then it is CONNECTED again by itself and calls (and a quote stream) carry on.
 */
describe('connection loss and recovery against the JTS simulator', () => {
  const ACCOUNT = '50012345-01';
  let harness: SimulatorHarness;
  const events: ConnectionStatusEvent[] = [];

  beforeAll(async () => {
    harness = await startSimulatorHarness({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'kis-real', accountId: ACCOUNT }],
      deadlineMs: 3_000,
      healthIntervalMs: 30_000,
    });
    harness.manager.onStatusChange((event) => events.push(event));
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('simulator stopped: DISCONNECTED and calls fail fast; restarted: CONNECTED again and calls succeed', async () => {
    const gateway = harness.gateway('kis');
    await expect(gateway.getQuote('005930')).resolves.toBeInstanceOf(Quote);

    await harness.sim.stop();
    await harness.waitForStatus('kis', ConnectionStatus.DISCONNECTED, 5_000);

    for (const call of [() => gateway.getQuote('005930'), () => gateway.getBalance(ACCOUNT), () => gateway.cancelOrder('X')]) {
      const startedAt = Date.now();
      await expect(call()).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(Date.now() - startedAt).toBeLessThan(harness.options.deadlineMs ?? 0);
    }

    await harness.sim.restart();
    await harness.waitForStatus('kis', ConnectionStatus.CONNECTED, 10_000);
    await expect(gateway.getQuote('005930')).resolves.toBeInstanceOf(Quote);
    expect(events.map((event) => event.current)).toEqual(
      expect.arrayContaining([ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTED]),
    );
  });

  it('admin Down/Up of the broker port: the same, with state kept', async () => {
    const gateway = harness.gateway('kis');
    const placed = await gateway.placeOrder({
      accountId: ACCOUNT,
      symbol: '005930',
      side: OrderSide.BUY,
      orderType: OrderType.MARKET,
      quantity: 1,
      clientOrderId: 'recovery-1',
    });

    await harness.sim.admin.down('kis');
    await harness.waitForStatus('kis', ConnectionStatus.DISCONNECTED, 5_000);
    const startedAt = Date.now();
    await expect(gateway.getOrderStatus(placed.id)).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - startedAt).toBeLessThan(harness.options.deadlineMs ?? 0);

    await harness.sim.admin.up('kis');
    await harness.waitForStatus('kis', ConnectionStatus.CONNECTED, 10_000);
    await expect(gateway.getOrderStatus(placed.id)).resolves.toMatchObject({ id: placed.id, clientOrderId: 'recovery-1' });
  });

  it('a hung simulator (SIGSTOP): the first call times out, the broker turns DISCONNECTED, calls then fail fast', async () => {
    const gateway = harness.gateway('kis');
    await harness.waitForStatus('kis', ConnectionStatus.CONNECTED, 10_000);
    await harness.sim.kill('SIGSTOP');
    try {
      await expect(gateway.getQuote('005930')).rejects.toBeInstanceOf(BrokerTimeoutError);
      // The timeout made the manager probe at once; the probe gets no answer within its 2 s timeout.
      await harness.waitForStatus('kis', ConnectionStatus.DISCONNECTED, 5_000);
      const startedAt = Date.now();
      await expect(gateway.getQuote('005930')).rejects.toBeInstanceOf(BrokerUnavailableError);
      expect(Date.now() - startedAt).toBeLessThan(harness.options.deadlineMs ?? 0);
    } finally {
      await harness.sim.kill('SIGCONT');
    }
    await harness.waitForStatus('kis', ConnectionStatus.CONNECTED, 10_000);
    await expect(gateway.getQuote('005930')).resolves.toBeInstanceOf(Quote);
  });

  it('a quote stream resubscribes by itself after the simulator restarts', async () => {
    const controller = new AbortController();
    const gateway = harness.gateway('kis');
    const quotes: Quote[] = [];
    let restarted = false;
    let quotesBeforeRestart = 0;

    const consuming = (async () => {
      for await (const quote of gateway.streamQuotes(['005930'], { signal: controller.signal })) {
        quotes.push(quote);
        if (restarted && quotes.length >= quotesBeforeRestart + 3) controller.abort();
      }
    })();

    await waitFor(() => quotes.length >= 2, { timeoutMs: 10_000, description: 'first quotes' });
    await harness.sim.restart();
    quotesBeforeRestart = quotes.length;
    restarted = true;
    const timeout = setTimeout(() => controller.abort(), 20_000);
    await consuming;
    clearTimeout(timeout);

    expect(quotes.length).toBeGreaterThanOrEqual(quotesBeforeRestart + 3);
    expect((await harness.sim.admin.getBrokerStats('kis')).requests['StreamQuotes']).toBeGreaterThanOrEqual(1);
  });
});
