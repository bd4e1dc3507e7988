import {
  AccountNotFoundError,
  BrokerNotFoundError,
  Decimal,
  FailSafeCode,
  InvalidArgumentError,
  OrderOutcomeUnknownError,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { acceptedResponse, brokerOrder } from '../../../test/scripted-broker-factory';
import { IntentConflictError } from './intent-conflict-error';
import { IntentNotPersistedError } from './intent-not-persisted-error';
import { WorkerStoppingError } from './worker-stopping-error';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function settleAll(bed: ProcessingTestBed): Promise<void> {
  await bed.queue.onIdle();
}

describe('IntentExecutionService', () => {
  let bed: ProcessingTestBed;

  beforeEach(async () => {
    bed = await ProcessingTestBed.create();
  });

  afterEach(async () => {
    await bed.close();
  });

  it('stores the intent with its PENDING order, marked as sent, BEFORE the broker is called', async () => {
    bed.brokers.engine = async (intent) => {
      const stored = await bed.store.findIntent(intent.intentId);
      expect(stored?.order).toMatchObject({ status: OrderStatus.PENDING, clientOrderId: intent.intentId });
      expect(stored?.order?.submittedAt).toEqual(bed.clock.now());
      return acceptedResponse(intent);
    };

    const { result, duplicate } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(duplicate).toBe(false);
    expect(result).toEqual({
      intentId: 'intent-1',
      accepted: true,
      broker: 'kis',
      orderId: 'ord-intent-1',
      status: OrderStatus.ACCEPTED,
      message: 'accepted',
      dryRun: false,
      // A LIMIT intent that names no expiry gets the default of its order type, 60 s.
      expiresAt: new Date(bed.clock.now().getTime() + 60_000),
    });
    expect(bed.brokers.sent).toHaveLength(1);
    expect(bed.reports.map((r) => r.status)).toEqual([OrderStatus.PENDING, OrderStatus.ACCEPTED]);
  });

  it('sends an intent submitted many times concurrently exactly once; the others are flagged duplicates', async () => {
    const broker = deferred<void>();
    bed.brokers.engine = async (intent) => {
      await broker.promise;
      return acceptedResponse(intent);
    };

    const submissions = Array.from({ length: 10 }, () => bed.executions.submit(testIntent({ intentId: 'intent-1' })));
    broker.resolve();
    const outcomes = await Promise.all(submissions);

    expect(bed.brokers.sent).toHaveLength(1);
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
    expect(outcomes.filter((o) => o.duplicate)).toHaveLength(9);
    for (const outcome of outcomes) expect(outcome.result).toEqual(outcomes[0].result);
  });

  it('answers a later repetition from the database, flagged duplicate, without calling the broker', async () => {
    const first = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    await bed.restart();

    const again = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(again).toEqual({ result: first.result, duplicate: true });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('refuses a known intent id with another payload (ALREADY_EXISTS), running or stored, and sends nothing more', async () => {
    const broker = deferred<void>();
    bed.brokers.engine = async (intent) => {
      await broker.promise;
      return acceptedResponse(intent);
    };
    const first = bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    await expect(bed.executions.submit(testIntent({ intentId: 'intent-1', quantity: 11 }))).rejects.toEqual(
      new IntentConflictError('intent-1', 'quantity'),
    );
    broker.resolve();
    await first;
    await expect(
      bed.executions.submit(testIntent({ intentId: 'intent-1', limitPrice: new Decimal('70200') })),
    ).rejects.toMatchObject({ field: 'limit_price' });
    await expect(bed.executions.submit(testIntent({ intentId: 'intent-1' }), { dryRun: true })).rejects.toMatchObject({
      field: 'dry_run',
    });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('refuses malformed intents and unknown brokers or accounts without storing anything', async () => {
    await expect(bed.executions.submit(testIntent({ intentId: 'intent-1', quantity: 0 }))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(bed.executions.submit(testIntent({ intentId: 'intent-2', brokerId: 'nope' }))).rejects.toBeInstanceOf(
      BrokerNotFoundError,
    );
    await expect(bed.executions.submit(testIntent({ intentId: 'intent-3', accountId: '999' }))).rejects.toBeInstanceOf(
      AccountNotFoundError,
    );

    expect(await bed.store.listUnfinished()).toEqual([]);
    const rows = await bed.dataSource.query('SELECT COUNT(*) AS n FROM intents');
    expect(Number(rows[0].n)).toBe(0);
    expect(bed.brokers.sent).toEqual([]);
  });

  it('stores a refusal (NoopBroker, FS047) as a REJECTED order answered accepted=false', async () => {
    bed.brokers.engine = async (intent) => ({
      intentId: intent.intentId,
      accepted: false,
      broker: 'noop',
      failSafeCode: FailSafeCode.FS047,
      message: 'live trading is not allowed',
    });

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(result).toMatchObject({
      accepted: false,
      broker: 'noop',
      failSafeCode: FailSafeCode.FS047,
      status: OrderStatus.REJECTED,
    });
    expect(await bed.metrics.registry.metrics()).toMatch(/execution_worker_intents_rejected_total\{fail_safe_code="FS047"\} 1/);
  });

  it('makes a timed-out order UNKNOWN, never re-sends it, and settles it from the broker', async () => {
    bed.brokers.engine = async (intent) => {
      throw new OrderOutcomeUnknownError('deadline exceeded', { clientOrderId: intent.intentId });
    };
    bed.brokers.lookup = async (ref) =>
      brokerOrder(ref.clientOrderId as string, OrderStatus.FILLED, {
        filledQuantity: 10,
        avgFillPrice: new Decimal('70100'),
      });

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    expect(result).toMatchObject({
      accepted: false,
      status: OrderStatus.UNKNOWN,
      failSafeCode: FailSafeCode.FS042,
      broker: 'live',
    });
    expect(result.message).toMatch(/never re-sent/);

    await settleAll(bed);
    const stored = await bed.store.findIntent('intent-1');
    expect(stored?.order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 10, brokerOrderId: 'ord-intent-1' });
    expect(stored?.answer).toMatchObject({ accepted: true });
    expect(stored?.answer?.failSafeCode).toBeUndefined();
    expect(bed.brokers.sent).toHaveLength(1);
    expect(bed.brokers.lookups).toEqual([expect.objectContaining({ clientOrderId: 'intent-1' })]);
  });

  it('takes a not-accepted FS042 answer or an UNKNOWN status as an unknown outcome too', async () => {
    bed.brokers.engine = async (intent) =>
      intent.intentId === 'a'
        ? { intentId: 'a', accepted: false, broker: 'kis', failSafeCode: FailSafeCode.FS042, message: 'timeout' }
        : acceptedResponse(intent, { status: OrderStatus.UNKNOWN });
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);

    const a = await bed.executions.submit(testIntent({ intentId: 'a' }));
    const b = await bed.executions.submit(testIntent({ intentId: 'b', symbol: '000660' }));

    expect([a.result.status, b.result.status]).toEqual([OrderStatus.UNKNOWN, OrderStatus.UNKNOWN]);
    await settleAll(bed);
    expect((await bed.store.findIntent('a'))?.order?.status).toBe(OrderStatus.ACCEPTED);
    expect((await bed.store.findIntent('b'))?.order?.status).toBe(OrderStatus.ACCEPTED);
  });

  it('reconciles an answer that does not fit the order state machine instead of guessing', async () => {
    bed.brokers.engine = async (intent) => acceptedResponse(intent, { status: OrderStatus.CANCELLED });
    bed.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId as string, OrderStatus.CANCELLED);

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    expect(result.status).toBe(OrderStatus.UNKNOWN);
    await settleAll(bed);

    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.CANCELLED);
  });

  it('asks again about an order the broker answered PENDING until it settles', async () => {
    bed.brokers.engine = async (intent) => acceptedResponse(intent, { status: OrderStatus.PENDING });
    let lookups = 0;
    bed.brokers.lookup = async (ref) =>
      brokerOrder(ref.clientOrderId as string, ++lookups < 3 ? OrderStatus.PENDING : OrderStatus.ACCEPTED);

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    expect(result).toMatchObject({ accepted: true, status: OrderStatus.PENDING });
    await settleAll(bed);

    expect((await bed.store.findIntent('intent-1'))?.order?.status).toBe(OrderStatus.ACCEPTED);
    expect(lookups).toBe(3);
  });

  it('records a FILLED answer with the whole quantity filled', async () => {
    bed.brokers.engine = async (intent) => acceptedResponse(intent, { status: OrderStatus.FILLED });

    await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect((await bed.store.findIntent('intent-1'))?.order).toMatchObject({ status: OrderStatus.FILLED, filledQuantity: 10 });
  });

  it('processes intents of one (broker, account, symbol) strictly in arrival order, reconciliation included', async () => {
    const trace: string[] = [];
    bed.brokers.engine = async (intent) => {
      trace.push(`send ${intent.intentId}`);
      if (intent.intentId === 'first') throw new OrderOutcomeUnknownError('timeout');
      return acceptedResponse(intent);
    };
    bed.brokers.lookup = async (ref) => {
      trace.push(`lookup ${ref.clientOrderId}`);
      return brokerOrder(ref.clientOrderId as string, OrderStatus.ACCEPTED);
    };

    await Promise.all([
      bed.executions.submit(testIntent({ intentId: 'first' })),
      bed.executions.submit(testIntent({ intentId: 'second' })),
      bed.executions.submit(testIntent({ intentId: 'third' })),
    ]);
    await settleAll(bed);

    expect(trace).toEqual(['send first', 'lookup first', 'send second', 'send third']);
  });

  it('runs different symbols in parallel', async () => {
    const gate = deferred<void>();
    bed.brokers.engine = async (intent) => {
      if (intent.symbol === '005930') await gate.promise;
      return acceptedResponse(intent);
    };

    const blocked = bed.executions.submit(testIntent({ intentId: 'samsung' }));
    const other = await bed.executions.submit(testIntent({ intentId: 'hynix', symbol: '000660' }));

    expect(other.result.accepted).toBe(true);
    gate.resolve();
    await blocked;
  });

  it('runs a dry run through the engine without an order', async () => {
    bed.brokers.engine = async (intent, options) => {
      expect(options.dryRun).toBe(true);
      return { intentId: intent.intentId, accepted: true, broker: 'kis', dryRun: true, message: 'dry run: valid' };
    };

    const { result } = await bed.executions.submit(
      testIntent({ intentId: 'dry-1', orderType: OrderType.MARKET, limitPrice: undefined }),
      { dryRun: true },
    );

    expect(result).toEqual({
      intentId: 'dry-1',
      accepted: true,
      broker: 'kis',
      message: 'dry run: valid',
      dryRun: true,
    });
    expect((await bed.store.findIntent('dry-1'))?.order).toBeUndefined();
  });

  it('answers a dry run whose validation throws as a refusal, not an unknown outcome', async () => {
    bed.brokers.engine = async () => {
      throw new InvalidArgumentError('bad payload');
    };

    const { result } = await bed.executions.submit(testIntent({ intentId: 'dry-1' }), { dryRun: true });

    expect(result).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS048, message: 'bad payload' });
  });

  it('refuses (REJECTED) an intent for which no engine can be built; nothing is sent', async () => {
    bed.brokers.engineFor = () => {
      throw new BrokerNotFoundError('gone');
    };

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(result).toMatchObject({ accepted: false, broker: 'worker', status: OrderStatus.REJECTED, failSafeCode: FailSafeCode.FS044 });
  });

  it('answers UNAVAILABLE-class errors when the database cannot store the intent; nothing is sent', async () => {
    jest.spyOn(bed.store, 'createIntent').mockRejectedValueOnce(new Error('disk I/O error'));

    await expect(bed.executions.submit(testIntent({ intentId: 'intent-1' }))).rejects.toBeInstanceOf(IntentNotPersistedError);
    expect(bed.brokers.sent).toEqual([]);

    // The strategy submits it again: stored and sent now, once.
    const retry = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    expect(retry).toMatchObject({ duplicate: false, result: { accepted: true } });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('sends a stored intent that never reached the broker when it is submitted again', async () => {
    jest.spyOn(bed.store, 'claimForSending').mockRejectedValueOnce(new Error('database is locked'));

    await expect(bed.executions.submit(testIntent({ intentId: 'intent-1' }))).rejects.toThrow('database is locked');
    expect(bed.brokers.sent).toEqual([]);

    const retry = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));
    expect(retry).toMatchObject({ duplicate: true, result: { accepted: true, status: OrderStatus.ACCEPTED } });
    expect(bed.brokers.sent).toHaveLength(1);
  });

  it('never sends an order another run already claimed', async () => {
    jest.spyOn(bed.store, 'claimForSending').mockResolvedValueOnce({ kind: 'not-pending' });

    const { result } = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(bed.brokers.sent).toEqual([]);
    expect(result).toMatchObject({ accepted: false, status: OrderStatus.PENDING });
  });

  it('returns the winner of a race with another process for the unique intent id, sending nothing itself', async () => {
    // Another process stored the intent and got its answer; this submission's insert loses on the unique id.
    await bed.store.createIntent(testIntent({ intentId: 'intent-1' }), false, bed.clock.now());
    await bed.store.markSubmitted('intent-1', bed.clock.now());
    const winner = await bed.store.settle(
      'intent-1',
      { answer: { accepted: true, handledBy: 'live', message: 'accepted' }, order: { status: OrderStatus.ACCEPTED, brokerOrderId: 'B-1' } },
      'broker',
      bed.clock.now(),
    );

    const outcome = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(outcome.duplicate).toBe(true);
    expect(outcome.result).toMatchObject({ intentId: 'intent-1', accepted: true, status: winner.order?.status });
    expect(bed.brokers.sent).toEqual([]);
  });

  it('stores a new intent with one write and reads nothing first', async () => {
    const find = jest.spyOn(bed.store, 'findIntent');

    const outcome = await bed.executions.submit(testIntent({ intentId: 'fresh' }));

    expect(outcome).toMatchObject({ duplicate: false, result: { accepted: true } });
    expect(find).not.toHaveBeenCalled();
  });

  it('waits for the answer of another worker that is sending the intent, instead of answering PENDING at once', async () => {
    const now = bed.clock.now();
    await bed.store.createIntent(testIntent({ intentId: 'intent-1' }), false, now);
    expect(await bed.store.claimForSending('intent-1', now, undefined, 'expired')).toEqual({ kind: 'claimed' });
    await bed.dataSource.query(`UPDATE intents SET owner_id = 'worker-elsewhere' WHERE intent_id = 'intent-1'`);
    const realSleep = bed.clock.sleep.bind(bed.clock);
    let polls = 0;
    jest.spyOn(bed.clock, 'sleep').mockImplementation(async (ms, signal) => {
      polls += 1;
      // The other worker's broker answers while this one is waiting.
      if (polls === 3) {
        await bed.store.settle(
          'intent-1',
          {
            answer: { accepted: true, handledBy: 'broker', message: 'accepted' },
            order: { status: OrderStatus.ACCEPTED, brokerOrderId: 'ord-elsewhere' },
          },
          'broker',
          bed.clock.now(),
        );
      }
      return realSleep(ms, signal);
    });

    const outcome = await bed.executions.submit(testIntent({ intentId: 'intent-1' }));

    expect(outcome).toMatchObject({ duplicate: true, result: { accepted: true, orderId: 'ord-elsewhere', status: OrderStatus.ACCEPTED } });
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(bed.brokers.sent).toEqual([]);
  });

  it('stops sending when the worker shuts down: queued intents are answered at once and handed back, stored for another worker', async () => {
    const gate = deferred<void>();
    const sending = deferred<void>();
    bed.brokers.engine = async (intent) => {
      sending.resolve();
      await gate.promise;
      return acceptedResponse(intent);
    };
    const inFlight = bed.executions.submit(testIntent({ intentId: 'first' }));
    const queued = bed.executions.submit(testIntent({ intentId: 'second' }));
    await sending.promise;

    await bed.executions.stop();
    // Answered before the call ahead of it in its queue finished.
    await expect(queued).rejects.toBeInstanceOf(WorkerStoppingError);
    gate.resolve();

    await expect(inFlight).resolves.toMatchObject({ result: { accepted: true } });
    await expect(bed.executions.submit(testIntent({ intentId: 'third' }))).rejects.toBeInstanceOf(WorkerStoppingError);
    expect(bed.brokers.sent.map((i) => i.intentId)).toEqual(['first']);
    const second = await bed.store.findIntent('second');
    expect(second?.order?.submittedAt).toBeUndefined();
    expect(second?.ownerId).toBeUndefined();
    expect((await bed.store.findIntent('first'))?.ownerId).toBe(bed.instance.id);
  });

  it('counts received, duplicate, accepted and unknown intents', async () => {
    await bed.executions.submit(testIntent({ intentId: 'a' }));
    await bed.executions.submit(testIntent({ intentId: 'a' }));
    bed.brokers.engine = async () => {
      throw new Error('socket hang up');
    };
    await bed.executions.submit(testIntent({ intentId: 'b', symbol: '000660' }));

    const metrics = await bed.metrics.registry.metrics();
    expect(metrics).toMatch(/execution_worker_intents_received_total 3/);
    expect(metrics).toMatch(/execution_worker_intents_duplicate_total 1/);
    expect(metrics).toMatch(/execution_worker_intents_accepted_total 1/);
    expect(metrics).toMatch(/execution_worker_intents_unknown_total 1/);
    expect(metrics).toMatch(/execution_worker_broker_call_duration_seconds_count\{broker_id="kis",outcome="accepted"\} 1/);
  });
});
