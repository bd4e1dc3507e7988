import { FailSafeCode, OrderStatus } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { brokerOrder } from '../../../test/scripted-broker-factory';

describe('ReconciliationSweep', () => {
  let bed: ProcessingTestBed;

  beforeEach(async () => {
    bed = await ProcessingTestBed.create({ reconcileSweepMs: 100 });
  });

  afterEach(async () => {
    await bed.close();
  });

  async function storeOrder(intentId: string, status: OrderStatus.UNKNOWN | OrderStatus.PENDING, sent: boolean) {
    await bed.store.createIntent(testIntent({ intentId: intentId, symbol: intentId.padStart(6, '0') }), false, bed.clock.now());
    if (sent) await bed.store.markSubmitted(intentId, bed.clock.now());
    if (status === OrderStatus.UNKNOWN) {
      await bed.store.settle(
        intentId,
        {
          answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'timeout' },
          order: { status },
        },
        'broker',
        bed.clock.now(),
      );
    }
  }

  it('queues a reconciliation for each UNKNOWN or sent PENDING order, once', async () => {
    await storeOrder('1', OrderStatus.UNKNOWN, true);
    await storeOrder('2', OrderStatus.PENDING, true);
    await storeOrder('3', OrderStatus.PENDING, false);
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);

    const [first, second] = await Promise.all([bed.sweep.sweep(), bed.sweep.sweep()]);
    await bed.queue.onIdle();

    expect(first + second).toBe(2);
    expect(bed.brokers.lookups.map((ref) => ref.clientOrderId).sort()).toEqual(['1', '2']);
    expect((await bed.store.findIntent('1'))?.order?.status).toBe(OrderStatus.ACCEPTED);
    expect((await bed.store.findIntent('3'))?.order?.status).toBe(OrderStatus.PENDING);
    await expect(bed.sweep.sweep()).resolves.toBe(0);
  });

  it('runs on its interval once started, until shutdown', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const sweep = jest.spyOn(bed.sweep, 'sweep').mockResolvedValue(0);
      bed.sweep.start();
      bed.sweep.start();
      jest.advanceTimersByTime(250);
      expect(sweep).toHaveBeenCalledTimes(2);
      bed.sweep.onApplicationShutdown();
      jest.advanceTimersByTime(1_000);
      expect(sweep).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
