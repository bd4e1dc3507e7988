import { FailSafeCode, OrderStatus, OrderType } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { acceptedResponse, brokerOrder } from '../../../test/scripted-broker-factory';

describe('InFlightRecovery (start-up after a crash)', () => {
  let bed: ProcessingTestBed;

  beforeEach(async () => {
    bed = await ProcessingTestBed.create();
  });

  afterEach(async () => {
    await bed.close();
  });

  it('sends stored intents that never reached the broker, once, in arrival order', async () => {
    for (const id of ['a', 'b', 'c']) await bed.store.createIntent(testIntent({ intentId: id }), false, bed.clock.now());
    await bed.store.createIntent(testIntent({ intentId: 'dry', symbol: '000660' }), true, bed.clock.now());

    const summary = await bed.recovery.recover();
    await summary.done;

    expect(summary).toMatchObject({ resumed: 4, reconciling: 0 });
    const sent = bed.brokers.sent.map((i) => i.intentId);
    expect(sent.filter((id) => id !== 'dry')).toEqual(['a', 'b', 'c']);
    expect(sent).toContain('dry');
    for (const id of ['a', 'b', 'c']) {
      expect((await bed.store.findIntent(id))?.order?.status).toBe(OrderStatus.ACCEPTED);
    }
    await expect(bed.recovery.recover()).resolves.toMatchObject({ resumed: 0, reconciling: 0 });
  });

  it('refuses intents whose expiry passed while the worker was down instead of firing them late', async () => {
    const t0 = bed.clock.now();
    const market = { orderType: OrderType.MARKET, limitPrice: undefined };
    await bed.store.createIntent(testIntent({ intentId: 'stale', ...market }), false, t0, new Date(t0.getTime() + 5_000));
    // Stored before expiry existed (expires_at NULL): the MARKET default, 5 s from its arrival.
    await bed.store.createIntent(testIntent({ intentId: 'legacy', symbol: '000660', ...market }), false, t0);
    await bed.store.createIntent(testIntent({ intentId: 'patient', symbol: '035720' }), false, t0, new Date(t0.getTime() + 120_000));
    bed.restart();
    bed.clock.advance(60_000);

    const summary = await bed.recovery.recover();
    await summary.done;
    await bed.queue.onIdle();

    expect(summary).toMatchObject({ resumed: 3, reconciling: 0 });
    expect(bed.brokers.sent.map((intent) => intent.intentId)).toEqual(['patient']);
    for (const id of ['stale', 'legacy']) {
      const stored = await bed.store.findIntent(id);
      expect(stored?.answer).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS050 });
      expect(stored?.order).toMatchObject({ status: OrderStatus.REJECTED });
      expect(stored?.order?.submittedAt).toBeUndefined();
    }
    expect((await bed.store.findIntent('legacy'))?.answer?.message).toContain('expired at 2024-01-02T00:00:05.000Z');
  });

  it('reconciles orders that were being sent when the worker died, never re-sending them', async () => {
    await bed.store.createIntent(testIntent({ intentId: 'sent-found' }), false, bed.clock.now());
    await bed.store.markSubmitted('sent-found', bed.clock.now());
    await bed.store.createIntent(testIntent({ intentId: 'sent-lost', symbol: '000660' }), false, bed.clock.now());
    await bed.store.markSubmitted('sent-lost', bed.clock.now());
    bed.brokers.lookup = async (ref) =>
      ref.clientOrderId === 'sent-found' ? brokerOrder('sent-found', OrderStatus.FILLED, { filledQuantity: 10 }) : null;

    const summary = await bed.recovery.recover();
    expect(summary).toMatchObject({ resumed: 0, reconciling: 2 });
    await summary.done;

    const found = await bed.store.findIntent('sent-found');
    expect(found?.order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 10 });
    expect(found?.answer?.accepted).toBe(true);
    const lost = await bed.store.findIntent('sent-lost');
    expect(lost?.order?.status).toBe(OrderStatus.REJECTED);
    expect(lost?.answer).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS042 });
    expect(bed.brokers.sent).toEqual([]);
    const events = await bed.store.listEvents('sent-lost');
    expect(events.map((e) => [e.toStatus, e.source])).toEqual([
      ['PENDING', 'intent'],
      ['UNKNOWN', 'recovery'],
      ['REJECTED', 'reconciliation'],
    ]);
  });

  it('keeps the first answer of an order that was already UNKNOWN', async () => {
    await bed.store.createIntent(testIntent({ intentId: 'u' }), false, bed.clock.now());
    await bed.store.markSubmitted('u', bed.clock.now());
    await bed.store.settle(
      'u',
      {
        answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'deadline' },
        order: { status: OrderStatus.UNKNOWN },
      },
      'broker',
      bed.clock.now(),
    );
    bed.brokers.lookup = async () => brokerOrder('u', OrderStatus.ACCEPTED);

    await (await bed.recovery.recover()).done;

    expect((await bed.store.findIntent('u'))?.answer).toMatchObject({ accepted: true, handledBy: 'live' });
  });

  it('processes a new intent of the same account and symbol only after the in-flight order is reconciled', async () => {
    await bed.store.createIntent(testIntent({ intentId: 'old' }), false, bed.clock.now());
    await bed.store.markSubmitted('old', bed.clock.now());
    const trace: string[] = [];
    bed.brokers.lookup = async (ref) => {
      trace.push(`lookup ${ref.clientOrderId}`);
      return trace.length < 3 ? null : brokerOrder('old', OrderStatus.ACCEPTED);
    };
    bed.brokers.engine = async (intent) => {
      trace.push(`send ${intent.intentId}`);
      return acceptedResponse(intent);
    };

    await bed.recovery.recover();
    const [sameKey, otherKey] = await Promise.all([
      bed.executions.submit(testIntent({ intentId: 'new' })),
      bed.executions.submit(testIntent({ intentId: 'other', symbol: '000660' })),
    ]);

    expect(sameKey.result.accepted && otherKey.result.accepted).toBe(true);
    expect(trace.indexOf('send new')).toBeGreaterThan(trace.lastIndexOf('lookup old'));
    expect(trace.indexOf('send other')).toBeLessThan(trace.lastIndexOf('lookup old'));
  });

  it('lets a duplicate of an intent being resumed wait for it instead of sending it again', async () => {
    await bed.store.createIntent(testIntent({ intentId: 'a' }), false, bed.clock.now());

    const summary = await bed.recovery.recover();
    const duplicate = await bed.executions.submit(testIntent({ intentId: 'a' }));
    await summary.done;

    expect(duplicate).toMatchObject({ duplicate: true, result: { accepted: true, status: OrderStatus.ACCEPTED } });
    expect(bed.brokers.sent).toHaveLength(1);
  });
});
