import { Logger } from '@nestjs/common';
import {
  AccountType,
  BrokerUnavailableError,
  Decimal,
  MockBrokerGateway,
  NotSupportedError,
  OrderSide,
  OrderStatus,
  OrderType,
  RateLimitExceededError,
} from '@qts/broker-domain';
import { JtsOrderAdapter } from '../adapters';
import { OrderAdapterBrokerEngine } from '../execution';
import { TEST_ACCOUNTS, testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { acceptedResponse, brokerOrder } from '../../../test/scripted-broker-factory';

/** A Tuesday, 10:00 KST: the mock market is in its regular session. */
const SESSION_START = new Date('2025-03-04T01:00:00Z');

describe('OpenOrderTracker', () => {
  let bed: ProcessingTestBed;

  afterEach(async () => {
    await bed.close();
  });

  /** Submits a LIMIT buy the scripted broker accepts (ACCEPTED, resting); one symbol per intent. */
  async function restingOrder(intentId: string, symbol = intentId.padStart(6, '0')): Promise<void> {
    const { result } = await bed.executions.submit(testIntent({ intentId: intentId, symbol }));
    expect(result.status).toBe(OrderStatus.ACCEPTED);
  }

  function metric(text: string, name: string): number {
    const line = text.split('\n').find((candidate) => candidate.startsWith(name));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  describe('with a scripted broker', () => {
    beforeEach(async () => {
      bed = await ProcessingTestBed.create({ openOrderPollMs: 100, openOrderPollBatch: 20 });
    });

    it('stores a fill found at the broker with its price, writes an order event and publishes the report', async () => {
      await restingOrder('1');
      bed.brokers.lookup = async (ref) =>
        brokerOrder(ref.clientOrderId as string, OrderStatus.FILLED, { filledQuantity: 10, avgFillPrice: new Decimal('70050') });
      const before = bed.reports.length;

      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 1 });

      const order = (await bed.store.findIntent('1'))?.order;
      expect(order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 10, brokerOrderId: 'ord-1' });
      expect(order?.avgFillPrice?.toFixed()).toBe('70050');
      expect(bed.brokers.lookups).toEqual([{ clientOrderId: '1', orderId: 'ord-1' }]);
      const events = await bed.store.listEvents('1');
      expect(events.at(-1)).toMatchObject({
        fromStatus: OrderStatus.ACCEPTED,
        toStatus: OrderStatus.FILLED,
        source: 'open_order_poll',
        avgFillPrice: '70050',
      });
      expect(bed.reports.slice(before)).toEqual([
        expect.objectContaining({ intentId: '1', status: OrderStatus.FILLED, filledQuantity: 10, orderId: 'ord-1' }),
      ]);
      expect(bed.reports.at(-1)?.avgFillPrice?.toFixed()).toBe('70050');
      // FILLED is final: the order is not asked for again, and nothing is ever sent.
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 0, changed: 0 });
      expect(bed.brokers.sent).toHaveLength(1);
      const metrics = await bed.metrics.registry.metrics();
      expect(metric(metrics, 'execution_worker_open_order_polls_total')).toBe(2);
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="changed"}')).toBe(1);
      expect(metric(metrics, 'execution_worker_open_order_changes_total{status="FILLED"}')).toBe(1);
    });

    it('follows partial fills (PARTIAL -> PARTIAL -> CANCELLED) and sees a cancellation at the broker', async () => {
      await restingOrder('1');
      const answers = [
        brokerOrder('1', OrderStatus.PARTIAL, { filledQuantity: 3, avgFillPrice: new Decimal('70000') }),
        brokerOrder('1', OrderStatus.PARTIAL, { filledQuantity: 7, avgFillPrice: new Decimal('70020') }),
        brokerOrder('1', OrderStatus.CANCELLED, { filledQuantity: 7, avgFillPrice: new Decimal('70020'), message: 'cancelled' }),
      ];
      bed.brokers.lookup = async () => answers.shift() ?? null;

      for (let round = 0; round < 3; round += 1) await bed.tracker.poll();

      expect((await bed.store.listEvents('1')).map((event) => [event.toStatus, event.filledQuantity])).toEqual([
        [OrderStatus.PENDING, 0],
        [OrderStatus.ACCEPTED, 0],
        [OrderStatus.PARTIAL, 3],
        [OrderStatus.PARTIAL, 7],
        [OrderStatus.CANCELLED, 7],
      ]);
      expect(bed.reports.at(-1)).toMatchObject({ status: OrderStatus.CANCELLED, filledQuantity: 7 });
      expect((await bed.executions.find('1'))?.order?.message).toBe('broker reports CANCELLED (cancelled)');
    });

    it('writes and publishes nothing for an order the broker reports unchanged', async () => {
      await restingOrder('1');
      bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);
      const events = (await bed.store.listEvents('1')).length;
      const reports = bed.reports.length;
      const updatedAt = (await bed.store.findIntent('1'))?.order?.updatedAt;
      bed.clock.advance(5_000);

      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 0 });

      expect(await bed.store.listEvents('1')).toHaveLength(events);
      expect(bed.reports).toHaveLength(reports);
      expect((await bed.store.findIntent('1'))?.order?.updatedAt).toEqual(updatedAt);
    });

    it('never stores an illegal transition or a lower filled quantity; broker PENDING/UNKNOWN is asked again', async () => {
      await restingOrder('1');
      await restingOrder('2');
      await bed.store.settle('2', { order: { status: OrderStatus.PARTIAL, filledQuantity: 5 } }, 'broker', bed.clock.now());
      const scripted: Record<string, OrderStatus> = { '1': OrderStatus.PENDING, '2': OrderStatus.PARTIAL };
      bed.brokers.lookup = async (ref) =>
        brokerOrder(ref.clientOrderId as string, scripted[ref.clientOrderId as string], { filledQuantity: 2 });
      const reports = bed.reports.length;

      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 2, changed: 0 });
      scripted['1'] = OrderStatus.ACCEPTED; // ACCEPTED with a fill but no PARTIAL: not a transition
      scripted['2'] = OrderStatus.REJECTED; // PARTIAL -> REJECTED is illegal
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 2, changed: 0 });

      expect(bed.reports).toHaveLength(reports);
      expect((await bed.store.findIntent('1'))?.order).toMatchObject({ status: OrderStatus.ACCEPTED, filledQuantity: 0 });
      expect((await bed.store.findIntent('2'))?.order).toMatchObject({ status: OrderStatus.PARTIAL, filledQuantity: 5 });
      const metrics = await bed.metrics.registry.metrics();
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="illegal"}')).toBe(3);
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="unchanged"}')).toBe(1);
    });

    it('skips an order the broker cannot answer for this round and settles it in a later one', async () => {
      for (const id of ['1', '2', '3', '4']) await restingOrder(id);
      const errors: Record<string, Error> = {
        '1': new BrokerUnavailableError('broker down'),
        '2': new RateLimitExceededError('slow down', { retryAfterMs: 100 }),
        '3': new NotSupportedError('order lookup is not supported by this REST adapter'),
      };
      bed.brokers.lookup = async (ref) => {
        const id = ref.clientOrderId as string;
        if (errors[id] !== undefined) throw errors[id];
        return id === '4' ? null : brokerOrder(id, OrderStatus.FILLED, { filledQuantity: 10 });
      };

      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 4, changed: 0 });
      for (const id of ['1', '2', '3', '4']) {
        expect((await bed.store.findIntent(id))?.order?.status).toBe(OrderStatus.ACCEPTED);
      }

      delete errors['1'];
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 4, changed: 1 });
      expect((await bed.store.findIntent('1'))?.order?.status).toBe(OrderStatus.FILLED);
      const metrics = await bed.metrics.registry.metrics();
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="broker_error"}')).toBe(5);
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="not_found"}')).toBe(2);
    });

    it('warns about an order the broker no longer knows once, then at most every 10 minutes, saying how often it was seen', async () => {
      await restingOrder('1');
      await restingOrder('2');
      bed.brokers.lookup = async () => null;
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      const unknownWarnings = () => warnings.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('is unknown to broker'));

      // A poll every 2 s for 10 minutes: 300 looks at each order.
      for (let round = 0; round < 300; round += 1) {
        await bed.tracker.poll();
        bed.clock.advance(2_000);
      }
      expect(unknownWarnings()).toHaveLength(2);
      await bed.tracker.poll();
      const lines = unknownWarnings();
      warnings.mockRestore();
      expect(lines).toHaveLength(4);
      expect(lines[2]).toContain('(299 similar warnings left out)');
      const metrics = await bed.metrics.registry.metrics();
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="not_found"}')).toBe(602);
    });

    it('skips orders of a broker without an order adapter, and survives any thrown error', async () => {
      await restingOrder('1');
      bed.brokers.hasAdapter = false;
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 0 });

      bed.brokers.hasAdapter = true;
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      bed.brokers.lookup = async () => {
        throw new TypeError('fetch failed for https://broker.example/orders?appsecret=do-not-log');
      };
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 0 });
      bed.brokers.lookup = async () => {
        throw new NotSupportedError('order lookup is not supported');
      };
      await bed.tracker.poll();
      await bed.tracker.poll();

      expect((await bed.store.findIntent('1'))?.order?.status).toBe(OrderStatus.ACCEPTED);
      const metrics = await bed.metrics.registry.metrics();
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="skipped"}')).toBe(1);
      // Logged by class, without the text of a foreign error (it may carry credentials).
      const logged = warnings.mock.calls.map((call) => String(call[0]));
      warnings.mockRestore();
      expect(logged).toContainEqual(expect.stringContaining('did not answer (TypeError)'));
      expect(logged.filter((line) => line.includes('cannot look orders up'))).toHaveLength(1);
      expect(logged.join('\n')).not.toContain('appsecret');
      expect(metric(metrics, 'execution_worker_open_order_checks_total{outcome="broker_error"}')).toBe(3);
    });

    it('asks at most openOrderPollBatch orders per round, those checked longest ago first', async () => {
      await bed.close();
      bed = await ProcessingTestBed.create({ openOrderPollBatch: 2 });
      for (const id of ['1', '2', '3', '4', '5']) await restingOrder(id);
      bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);
      const askedPerRound: string[][] = [];

      for (let round = 0; round < 4; round += 1) {
        const before = bed.brokers.lookups.length;
        await expect(bed.tracker.poll()).resolves.toMatchObject({ checked: 2 });
        askedPerRound.push(bed.brokers.lookups.slice(before).map((ref) => ref.clientOrderId as string).sort());
      }

      expect(askedPerRound).toEqual([
        ['1', '2'],
        ['3', '4'],
        ['1', '5'],
        ['2', '3'],
      ]);
    });

    it('never runs beside the queue work of the same (broker, account, symbol)', async () => {
      await restingOrder('1', '005930');
      let releaseIntent: () => void = () => undefined;
      bed.brokers.engine = (intent) =>
        new Promise((resolve) => {
          releaseIntent = () => resolve(acceptedResponse(intent));
        });
      const order: string[] = [];
      bed.brokers.lookup = async (ref) => {
        order.push(`lookup ${ref.clientOrderId}`);
        return brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);
      };

      const submitting = bed.executions.submit(testIntent({ intentId: '2', symbol: '005930' }));
      // Intent 2 holds the key's queue slot while the broker has not answered.
      while (bed.brokers.sent.length < 2) await new Promise((resolve) => setImmediate(resolve));
      const polling = bed.tracker.poll();
      for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual([]);
      order.push('intent 2 answered');
      releaseIntent();
      await submitting;
      await polling;

      expect(order).toEqual(['intent 2 answered', 'lookup 1']);
    });

    it('polls on its interval once started (timer unref), until stopped', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      try {
        const poll = jest.spyOn(bed.tracker, 'poll').mockResolvedValue({ checked: 0, changed: 0 });
        bed.tracker.start();
        bed.tracker.start();
        jest.advanceTimersByTime(250);
        expect(poll).toHaveBeenCalledTimes(2);
        bed.tracker.onApplicationShutdown();
        bed.tracker.start();
        jest.advanceTimersByTime(1_000);
        expect(poll).toHaveBeenCalledTimes(2);
      } finally {
        jest.useRealTimers();
      }
      // A stopped tracker asks nothing, even when called directly.
      await restingOrder('1');
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 0, changed: 0 });
      expect(bed.brokers.lookups).toEqual([]);
    });
  });

  it('does not poll at all when openOrderPollMs is 0', async () => {
    bed = await ProcessingTestBed.create({ openOrderPollMs: 0 });
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const poll = jest.spyOn(bed.tracker, 'poll');
      bed.tracker.start();
      jest.advanceTimersByTime(60_000);
      expect(poll).not.toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('over MockBrokerGateway (JtsOrderAdapter)', () => {
    let now: Date;
    let gateway: MockBrokerGateway;

    beforeEach(async () => {
      now = SESSION_START;
      gateway = new MockBrokerGateway({
        brokerId: 'kis',
        clock: () => now,
        accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER, initialCash: '100000000' }],
      });
      const adapter = new JtsOrderAdapter(gateway);
      const engine = new OrderAdapterBrokerEngine(adapter, { brokerId: 'kis' });
      bed = await ProcessingTestBed.create({ openOrderPollMs: 100 });
      bed.brokers.engine = (intent) => engine.submitIntent(intent);
      bed.brokers.lookup = (ref) => adapter.getOrder(ref);
    });

    it('fills a resting LIMIT buy once the quote crosses it, at the fill price the broker reports', async () => {
      // The first later ask below the current one: a limit there rests now and fills then.
      const ask0 = (await gateway.getQuote('005930')).ask;
      let fillAt: { at: Date; ask: Decimal } | undefined;
      for (let step = 1; step <= 3_600 && fillAt === undefined; step += 1) {
        now = new Date(SESSION_START.getTime() + step * 1_000);
        const { ask } = await gateway.getQuote('005930');
        if (ask.lessThan(ask0)) fillAt = { at: now, ask };
      }
      if (fillAt === undefined) throw new Error('the mock quote never went below its first ask within an hour');
      now = SESSION_START;

      const { result } = await bed.executions.submit(
        testIntent({ intentId: 'limit-1', orderType: OrderType.LIMIT, side: OrderSide.BUY, quantity: 10, limitPrice: fillAt.ask }),
      );
      expect(result.status).toBe(OrderStatus.ACCEPTED);
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 0 });

      now = fillAt.at;
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 1 });

      const order = (await bed.store.findIntent('limit-1'))?.order;
      expect(order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 10, brokerOrderId: result.orderId });
      expect(order?.avgFillPrice?.toFixed()).toBe(fillAt.ask.toFixed());
      expect(bed.reports.at(-1)).toMatchObject({ intentId: 'limit-1', status: OrderStatus.FILLED, filledQuantity: 10 });
      expect(gateway.listOrders(TEST_ACCOUNTS.paper)).toHaveLength(1);
    });

    it('sees a cancellation made at the broker', async () => {
      const { result } = await bed.executions.submit(testIntent({ intentId: 'limit-2', limitPrice: new Decimal('10000') }));
      expect(result.status).toBe(OrderStatus.ACCEPTED);

      await gateway.cancelOrder(result.orderId as string);
      await expect(bed.tracker.poll()).resolves.toEqual({ checked: 1, changed: 1 });

      expect((await bed.store.findIntent('limit-2'))?.order?.status).toBe(OrderStatus.CANCELLED);
      expect(bed.reports.at(-1)).toMatchObject({ intentId: 'limit-2', status: OrderStatus.CANCELLED, filledQuantity: 0 });
      expect(gateway.listOrders(TEST_ACCOUNTS.paper)).toHaveLength(1);
    });
  });
});
