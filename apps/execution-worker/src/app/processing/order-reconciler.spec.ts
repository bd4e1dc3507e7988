import { Logger } from '@nestjs/common';
import { BrokerUnavailableError, Decimal, FailSafeCode, OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';
import { testBrokerConfig, testIntent, testPlatformConfig } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { brokerOrder } from '../../../test/scripted-broker-factory';
import { NEVER_REACHED_MESSAGE } from './order-reconciler';
import { orderingKey } from './ordering-key';

describe('OrderReconciler', () => {
  let bed: ProcessingTestBed;

  /** Stores an intent whose order was sent and whose outcome is unknown. */
  async function unknownOrder(intentId: string, status = OrderStatus.UNKNOWN): Promise<void> {
    await bed.store.createIntent(testIntent({ intentId: intentId }), false, bed.clock.now());
    await bed.store.markSubmitted(intentId, bed.clock.now());
    if (status === OrderStatus.UNKNOWN) {
      await bed.store.settle(
        intentId,
        {
          answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'timeout' },
          order: { status: OrderStatus.UNKNOWN },
        },
        'broker',
        bed.clock.now(),
      );
    }
  }

  beforeEach(async () => {
    bed = await ProcessingTestBed.create({
      reconcileGraceMs: 10_000,
      reconcileInitialDelayMs: 250,
      reconcileMaxDelayMs: 2_000,
      reconcileMaxBlockingMs: 60_000,
    });
  });

  afterEach(async () => {
    await bed.close();
  });

  it('tells the broker what was sent and when, so brokers without a client order id can match it', async () => {
    await unknownOrder('intent-1');
    const sentAt = (await bed.store.findIntent('intent-1'))?.order?.submittedAt;
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);

    await bed.reconciler.reconcile('intent-1');

    expect(bed.brokers.lookups).toEqual([
      {
        clientOrderId: 'intent-1',
        placed: {
          accountId: '50012345-01',
          symbol: '005930',
          side: OrderSide.BUY,
          orderType: OrderType.LIMIT,
          quantity: 10,
          price: new Decimal('70100'),
          sentAt,
        },
      },
    ]);
    expect(sentAt).toBeInstanceOf(Date);
  });

  it('leaves an order matching several broker orders UNKNOWN with the operator flag, and never asks or sends again', async () => {
    await unknownOrder('intent-1');
    bed.brokers.lookup = async (ref) =>
      brokerOrder(ref.clientOrderId as string, OrderStatus.UNKNOWN, {
        orderId: undefined,
        brokerCode: 'AMBIGUOUS_MATCH',
        message: 'ambiguous: 2 KIS orders (0000001, 0000002) match',
      });

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('ambiguous');

    const stored = await bed.store.findIntent('intent-1');
    expect(stored?.order).toMatchObject({ status: OrderStatus.UNKNOWN, operatorFlag: 'AMBIGUOUS_MATCH' });
    expect(stored?.order?.message).toContain('needs an operator: ambiguous: 2 KIS orders (0000001, 0000002)');
    expect(stored?.answer).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS042 });
    expect(bed.clock.sleeps).toEqual([]);
    // Neither the reconciler nor the sweep asks about it again; nothing is ever sent.
    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('ambiguous');
    await expect(bed.sweep.sweep()).resolves.toBe(0);
    expect(bed.brokers.lookups).toHaveLength(1);
    expect(bed.brokers.sent).toEqual([]);
    bed.metrics.useSources({
      ordersByStatus: () => bed.store.countOrdersByStatus(),
      ordersByOperatorFlag: () => bed.store.countOrdersByOperatorFlag(),
      failSafeStatus: () => [],
    });
    const metrics = await bed.metrics.registry.metrics();
    expect(metrics).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="ambiguous"\} 2/);
    expect(metrics).toMatch(/execution_worker_orders_needing_operator\{flag="AMBIGUOUS_MATCH"\} 1/);
  });

  it('gives the order the status the broker has, with fills, as soon as the broker knows it', async () => {
    await unknownOrder('intent-1');
    let calls = 0;
    bed.brokers.lookup = async (ref) =>
      ++calls < 3
        ? null
        : brokerOrder(ref.clientOrderId as string, OrderStatus.PARTIAL, { filledQuantity: 4, avgFillPrice: new Decimal('70050') });

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('found');

    const stored = await bed.store.findIntent('intent-1');
    expect(stored?.order).toMatchObject({ status: OrderStatus.PARTIAL, filledQuantity: 4, brokerOrderId: 'ord-intent-1' });
    expect(stored?.order?.avgFillPrice?.toFixed()).toBe('70050');
    expect(stored?.answer).toMatchObject({ accepted: true, handledBy: 'live' });
    expect(bed.clock.sleeps).toEqual([250, 500]);
    expect(bed.brokers.sent).toEqual([]);
  });

  it('declares an order the broker still does not know after the grace period REJECTED: never reached the broker', async () => {
    await unknownOrder('intent-1');

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('never_reached');

    const stored = await bed.store.findIntent('intent-1');
    expect(stored?.order?.status).toBe(OrderStatus.REJECTED);
    expect(stored?.answer).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS042 });
    expect(stored?.answer?.message).toContain(NEVER_REACHED_MESSAGE);
    // Backoff doubles up to the cap and never overshoots the end of the grace period.
    expect(bed.clock.sleeps).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 250]);
    expect(bed.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(bed.brokers.sent).toEqual([]);
  });

  it("waits the broker's own grace when its configuration sets one", async () => {
    await bed.close();
    const config = testPlatformConfig({ brokers: [testBrokerConfig({ reconcileGraceMs: 3_000 })] });
    bed = await ProcessingTestBed.create({ reconcileGraceMs: 10_000, reconcileInitialDelayMs: 250, reconcileMaxDelayMs: 2_000 }, config);
    await unknownOrder('intent-1');

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('never_reached');

    expect(bed.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect((await bed.store.findIntent('intent-1'))?.answer?.message).toContain('3 s after it was sent');
  });

  it('holds the key of the order while it reconciles it: the blocked-keys gauge and the queued intents see it', async () => {
    await unknownOrder('intent-1');
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const asking = new Promise<void>((resolve) => (asked = resolve));
    bed.brokers.lookup = async (ref) => {
      asked();
      await answered;
      return brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);
    };
    const key = orderingKey(testIntent({ intentId: 'intent-1' }));

    const reconciling = bed.reconciler.reconcile('intent-1');
    await asking;
    expect(bed.reconciler.isKeyBlocked(key)).toBe(true);
    expect(bed.reconciler.isKeyBlocked(orderingKey(testIntent({ symbol: '000660' })))).toBe(false);
    expect(await bed.metrics.registry.metrics()).toContain('execution_worker_blocked_keys{broker_id="kis"} 1');

    release();
    await expect(reconciling).resolves.toBe('found');
    expect(bed.reconciler.isKeyBlocked(key)).toBe(false);
    expect(await bed.metrics.registry.metrics()).not.toContain('execution_worker_blocked_keys{broker_id="kis"}');
  });

  it('keeps asking while the broker cannot answer, and defers to the sweep after reconcileMaxBlockingMs', async () => {
    await unknownOrder('intent-1');
    bed.brokers.lookup = async () => {
      throw new BrokerUnavailableError('JTS is down');
    };

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('deferred');

    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.UNKNOWN);
    expect(bed.brokers.lookups.length).toBeGreaterThan(5);
    expect(Math.max(...bed.clock.sleeps)).toBe(2_000);
    expect(await bed.metrics.registry.metrics()).toMatch(/execution_worker_reconciliation_outcomes_total\{outcome="deferred"\} 1/);
  });

  it('warns about a broker that does not answer once per intent, then at most every 10 minutes, and afresh once settled', async () => {
    await unknownOrder('intent-1');
    let down = true;
    bed.brokers.lookup = async (ref) => {
      if (down) throw new BrokerUnavailableError('JTS is down');
      return brokerOrder(ref.clientOrderId as string, OrderStatus.FILLED, { filledQuantity: 10 });
    };
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const lines = () => warnings.mock.calls.map((call) => String(call[0]));

    // The blocking reconciliation, then sweeps every 30 s: each one asks again and again for a minute.
    const started = bed.clock.now().getTime();
    const minutes = () => (bed.clock.now().getTime() - started) / 60_000;
    await bed.reconciler.reconcile('intent-1');
    while (minutes() < 8) {
      bed.clock.advance(30_000);
      await bed.reconciler.reconcile('intent-1');
    }
    expect(bed.brokers.lookups.length).toBeGreaterThan(100);
    expect(lines().filter((line) => line.includes('broker did not answer'))).toHaveLength(1);
    expect(lines().filter((line) => line.includes('the periodic sweep will keep reconciling it'))).toHaveLength(1);

    while (minutes() < 12) {
      bed.clock.advance(30_000);
      await bed.reconciler.reconcile('intent-1');
    }
    const unanswered = lines().filter((line) => line.includes('broker did not answer'));
    expect(unanswered).toHaveLength(2);
    expect(unanswered[1]).toMatch(/\(\d{3} similar warnings left out\)$/);
    down = false;
    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('found');
    warnings.mockRestore();
    expect(lines()).toHaveLength(0);
  });

  it('never declares "never reached" while the broker says the order exists but is still pending', async () => {
    await unknownOrder('intent-1');
    let calls = 0;
    bed.brokers.lookup = async (ref) =>
      brokerOrder(ref.clientOrderId as string, ++calls < 12 ? OrderStatus.PENDING : OrderStatus.ACCEPTED);

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('found');
    expect(bed.clock.now().getTime() - new Date('2024-01-02T00:00:00Z').getTime()).toBeGreaterThan(10_000);
    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.ACCEPTED);
  });

  it('settles a sent PENDING order found CANCELLED through UNKNOWN (the state machine has no PENDING -> CANCELLED)', async () => {
    await unknownOrder('intent-1', OrderStatus.PENDING);
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.CANCELLED);

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('found');

    const events = await bed.store.listEvents('intent-1');
    expect(events.map((e) => e.toStatus)).toEqual(['PENDING', 'UNKNOWN', 'CANCELLED']);
  });

  it('records a broker rejection found by reconciliation as FS040', async () => {
    await unknownOrder('intent-1');
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.REJECTED, { message: 'price limit' });

    await bed.reconciler.reconcile('intent-1');

    expect((await bed.store.findIntent('intent-1'))?.answer).toMatchObject({
      accepted: false,
      failSafeCode: FailSafeCode.FS040,
      message: 'reconciled with the broker: REJECTED (price limit)',
    });
  });

  it('does nothing for settled, unsent or unknown intents', async () => {
    await bed.store.createIntent(testIntent({ intentId: 'unsent' }), false, bed.clock.now());

    await expect(bed.reconciler.reconcile('unsent')).resolves.toBe('settled');
    await expect(bed.reconciler.reconcile('nope')).resolves.toBe('settled');
    expect(bed.brokers.lookups).toEqual([]);
  });

  it('leaves the order UNKNOWN when the broker has no order adapter', async () => {
    await unknownOrder('intent-1');
    bed.brokers.hasAdapter = false;

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('no_adapter');
    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.UNKNOWN);
  });

  it('stops at its next step when the worker shuts down, leaving the order for the next start', async () => {
    await unknownOrder('intent-1');
    bed.brokers.lookup = async () => {
      bed.reconciler.stop();
      return null;
    };

    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('aborted');
    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.UNKNOWN);
  });

  it('runs one reconciliation per order at a time', async () => {
    await unknownOrder('intent-1');
    let release!: () => void;
    bed.brokers.lookup = (ref) =>
      new Promise((resolve) => (release = () => resolve(brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED))));

    const first = bed.reconciler.reconcile('intent-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(bed.reconciler.isReconciling('intent-1')).toBe(true);
    await expect(bed.reconciler.reconcile('intent-1')).resolves.toBe('settled');
    release();

    await expect(first).resolves.toBe('found');
    expect(bed.brokers.lookups).toHaveLength(1);
  });
});
