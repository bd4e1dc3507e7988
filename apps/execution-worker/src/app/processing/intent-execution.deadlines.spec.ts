import { FailSafeCode, OrderOutcomeUnknownError, OrderStatus, OrderType, type ExecutionIntent } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { acceptedResponse } from '../../../test/scripted-broker-factory';
import { IntentNotConfirmedError } from './intent-not-confirmed-error';
import { NEVER_REACHED_MESSAGE } from './order-reconciler';
import { PendingReason } from './pending-reason';

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise chains (database work included) run until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !condition(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}

function market(intentId: string, overrides: Partial<ExecutionIntent> = {}): ExecutionIntent {
  return testIntent({ intentId, orderType: OrderType.MARKET, limitPrice: undefined, ...overrides });
}

const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

/**
 * Time and intents (manual clock; grace 10 s, MARKET intents expire after 5 s and LIMIT ones after 60 s by default):
 * an intent is never sent after its expiry, one expiring while it waits behind an unknown order is refused at its
 * expiry rather than after the grace, and a caller's deadline is always kept.
 */
describe('IntentExecutionService: expiry and answers within the deadline', () => {
  let bed: ProcessingTestBed;
  let t0: Date;
  const sentAt = new Map<string, Date>();
  /** Holds the reconciliation of the first order (and so the clock) until the test has queued what it needs. */
  let lookups = deferred();
  const storedIntents = (...ids: string[]) =>
    until(() => ids.every((id) => bed.reports.some((report) => report.intentId === id)));

  beforeEach(async () => {
    bed = await ProcessingTestBed.create();
    t0 = bed.clock.now();
    sentAt.clear();
    // The first order of a key fails ambiguously and never reached the broker; every other one fills.
    bed.brokers.engine = async (intent) => {
      sentAt.set(intent.intentId, bed.clock.now());
      if (intent.intentId === 'first') throw new OrderOutcomeUnknownError('UNAVAILABLE after sending');
      return acceptedResponse(intent, { status: OrderStatus.FILLED });
    };
    lookups = deferred();
    bed.brokers.lookup = async () => {
      await lookups.promise;
      return null;
    };
  });

  afterEach(async () => {
    await bed.close();
  });

  it('behind an unknown order, refuses a stale MARKET intent at its expiry and sends the others within theirs', async () => {
    const first = await bed.executions.submit(market('first'));
    expect(first.result).toMatchObject({ status: OrderStatus.UNKNOWN, failSafeCode: FailSafeCode.FS042 });

    const stale = bed.executions.submit(market('stale'));
    const patient = bed.executions.submit(testIntent({ intentId: 'patient' }));
    const bounded = bed.executions.submit(market('bounded'), { expiry: { maxDelayMs: 20_000 } });
    await storedIntents('stale', 'patient', 'bounded');
    lookups.resolve();

    const refused = (await stale).result;
    expect(refused).toMatchObject({
      accepted: false,
      broker: 'worker',
      status: OrderStatus.REJECTED,
      failSafeCode: FailSafeCode.FS050,
      expiresAt: at(t0, 5_000),
    });
    expect(refused.message).toMatch(
      /^expired at 2024-01-02T00:00:05\.000Z while waiting behind an order of the same symbol whose outcome is unknown/,
    );
    await expect(Promise.all([patient, bounded])).resolves.toEqual([
      expect.objectContaining({ result: expect.objectContaining({ accepted: true, status: OrderStatus.FILLED }) }),
      expect.objectContaining({ result: expect.objectContaining({ accepted: true, status: OrderStatus.FILLED }) }),
    ]);
    await bed.queue.onIdle();

    // Never sent late: the stale one not at all, the others before their expiry, which the broker client got too.
    expect(bed.brokers.sent.map((intent) => intent.intentId)).toEqual(['first', 'patient', 'bounded']);
    const expiries = { first: at(t0, 5_000), patient: at(t0, 60_000), bounded: at(t0, 20_000) };
    for (const [id, expiresAt] of Object.entries(expiries)) {
      expect(sentAt.get(id)?.getTime()).toBeLessThan(expiresAt.getTime());
    }
    expect(bed.brokers.sendOptions.map((options) => options?.sendBy)).toEqual(Object.values(expiries));
    // Refused at its expiry, while the key was still blocked: before the first order's grace ended.
    const [staleRefusal] = (await bed.store.listEvents('stale')).filter((event) => event.toStatus === 'REJECTED');
    const [neverReached] = (await bed.store.listEvents('first')).filter((event) => event.toStatus === 'REJECTED');
    expect(staleRefusal.source).toBe('expiry');
    expect(staleRefusal.createdAt.getTime()).toBeLessThan(neverReached.createdAt.getTime());
    expect(neverReached.message).toContain(NEVER_REACHED_MESSAGE);
    expect(neverReached.createdAt.getTime()).toBeGreaterThanOrEqual(at(t0, 10_000).getTime());
    expect(bed.reports.filter((report) => report.intentId === 'stale').map((r) => [r.status, r.failSafeCode])).toEqual([
      [OrderStatus.PENDING, undefined],
      [OrderStatus.REJECTED, FailSafeCode.FS050],
    ]);
    expect(await bed.metrics.registry.metrics()).toContain('execution_worker_intents_rejected_total{fail_safe_code="FS050"} 1');
  });

  it('refuses an intent whose expiry is already past when it arrives: stored, answered FS050, never sent', async () => {
    lookups.resolve();
    const { result } = await bed.executions.submit(market('late'), { expiry: { expiresAt: at(t0, -1) } });

    expect(result).toMatchObject({ status: OrderStatus.REJECTED, failSafeCode: FailSafeCode.FS050 });
    expect(bed.brokers.sent).toEqual([]);
    expect((await bed.store.findIntent('late'))?.expiresAt).toEqual(at(t0, -1));
  });

  it('answers PENDING, blocked behind the unknown order, by the deadline; the outcome follows; repeats tell the state', async () => {
    await bed.executions.submit(market('first'));

    const answer = bed.executions.submit(testIntent({ intentId: 'waiting' }), { answerBy: at(t0, 2_000) });
    await storedIntents('waiting');
    bed.clock.advance(2_000);
    const pending = await answer;

    expect(pending.duplicate).toBe(false);
    expect(pending.result).toMatchObject({
      intentId: 'waiting',
      accepted: false,
      status: OrderStatus.PENDING,
      pendingReason: PendingReason.BLOCKED_BY_UNKNOWN_ORDER,
      expiresAt: at(t0, 60_000),
    });
    expect(pending.result.failSafeCode).toBeUndefined();
    expect(pending.result.message).toBe(
      'pending: waiting behind an order of the same symbol whose outcome is unknown, until it is reconciled with the ' +
        'broker; refused as expired unless sent by 2024-01-02T00:01:00.000Z',
    );
    expect(bed.brokers.sent.map((intent) => intent.intentId)).toEqual(['first']);
    const repeated = await bed.executions.submit(testIntent({ intentId: 'waiting' }), { answerBy: bed.clock.now() });
    expect(repeated).toMatchObject({ duplicate: true, result: { status: OrderStatus.PENDING, pendingReason: PendingReason.BLOCKED_BY_UNKNOWN_ORDER } });

    lookups.resolve();
    await bed.queue.onIdle();
    const settled = await bed.executions.submit(testIntent({ intentId: 'waiting' }), { answerBy: at(bed.clock.now(), 1_000) });
    expect(settled).toMatchObject({ duplicate: true, result: { accepted: true, status: OrderStatus.FILLED } });
    expect(settled.result.pendingReason).toBeUndefined();
    expect(bed.reports.filter((report) => report.intentId === 'waiting').map((report) => report.status)).toEqual([
      OrderStatus.PENDING,
      OrderStatus.FILLED,
    ]);
    expect(await bed.metrics.registry.metrics()).toContain(
      'execution_worker_submit_pending_answers_total{reason="BLOCKED_BY_UNKNOWN_ORDER"} 2',
    );
  });

  it('says RATE_LIMIT_WAIT while the order waits for its permit and AWAITING_BROKER once it is sent', async () => {
    lookups.resolve();
    const permit = deferred();
    const answer = deferred();
    bed.brokers.engine = async (intent, { send }) => {
      send?.onStage?.('awaiting-permit');
      await permit.promise;
      send?.onStage?.('sending');
      await answer.promise;
      return acceptedResponse(intent);
    };

    const first = bed.executions.submit(testIntent({ intentId: 'slow' }), { answerBy: at(t0, 1_000) });
    await until(() => bed.brokers.sent.length === 1);
    bed.clock.advance(1_000);
    await expect(first).resolves.toMatchObject({
      result: { status: OrderStatus.PENDING, pendingReason: PendingReason.RATE_LIMIT_WAIT, message: expect.stringMatching(/rate limit/) },
    });

    permit.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(bed.executions.submit(testIntent({ intentId: 'slow' }), { answerBy: bed.clock.now() })).resolves.toMatchObject({
      duplicate: true,
      result: { status: OrderStatus.PENDING, pendingReason: PendingReason.AWAITING_BROKER },
    });

    answer.resolve();
    await expect(bed.executions.submit(testIntent({ intentId: 'slow' }))).resolves.toMatchObject({
      duplicate: true,
      result: { accepted: true, status: OrderStatus.ACCEPTED },
    });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('fails with INTENT_NOT_CONFIRMED when the intent is not even stored by the deadline; a repeat tells its state', async () => {
    lookups.resolve();
    const storing = deferred();
    const create = bed.store.createIntent.bind(bed.store);
    jest.spyOn(bed.store, 'createIntent').mockImplementationOnce(async (...args) => {
      await storing.promise;
      return create(...args);
    });

    const slow = bed.executions.submit(testIntent({ intentId: 'slow-db' }), { answerBy: at(t0, 500) });
    bed.clock.advance(500);
    await expect(slow).rejects.toBeInstanceOf(IntentNotConfirmedError);

    storing.resolve();
    await bed.queue.onIdle();
    await expect(bed.executions.submit(testIntent({ intentId: 'slow-db' }))).resolves.toMatchObject({
      duplicate: true,
      result: { accepted: true },
    });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('stops watching expiries on shutdown: a queued intent stays stored, unsent and unanswered, for the restart', async () => {
    await bed.executions.submit(market('first'));
    const queued = bed.executions.submit(market('queued')).catch((error: unknown) => error);
    await storedIntents('queued');

    bed.executions.stop();
    bed.clock.advance(60_000);
    bed.reconciler.stop();
    lookups.resolve();
    await bed.queue.onIdle();

    expect((await queued) as Error).toMatchObject({ code: 'SERVICE_STOPPING' });
    const stored = await bed.store.findIntent('queued');
    expect(stored?.answer).toBeUndefined();
    expect(stored?.order).toMatchObject({ status: OrderStatus.PENDING });
    expect(bed.brokers.sent.map((intent) => intent.intentId)).toEqual(['first']);
  });
});
