import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderStatus } from '@qts/broker-domain';
import { testIntent } from '@qts/test-support';
import { ProcessingTestBed } from '../../../test/processing-test-bed';
import { acceptedResponse, brokerOrder } from '../../../test/scripted-broker-factory';
import { WorkerOwnership } from './worker-ownership';
import { WorkerStoppingError } from './worker-stopping-error';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Two workers on one database (two connections to one SQLite file), as two replicas on one PostgreSQL: worker A on
 * host pod-a, worker B on host pod-b (so each counts as gone for the other only when its lease is).
 */
describe('two workers on one database: ownership of intents', () => {
  let folder: string;
  let a: ProcessingTestBed;
  let b: ProcessingTestBed;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'worker-pair-'));
    const url = `sqlite:${join(folder, 'worker.sqlite')}`;
    a = await ProcessingTestBed.create({}, undefined, url, { host: 'pod-a' });
    await a.recovery.recover();
    b = await ProcessingTestBed.create({}, undefined, url, { host: 'pod-b' });
  });

  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const sentBy = (bed: ProcessingTestBed) => bed.brokers.sent.map((intent) => intent.intentId);

  it("lets a starting worker leave alone an order the other is sending right now: not UNKNOWN, not reconciled, not re-sent", async () => {
    const inFlight = deferred<void>();
    const answer = deferred<void>();
    a.brokers.engine = async (intent) => {
      inFlight.resolve();
      await answer.promise;
      return acceptedResponse(intent);
    };
    const submitted = a.executions.submit(testIntent({ intentId: 'in-flight' }));
    await inFlight.promise;

    const summary = await b.recovery.recover();
    await summary.done;
    answer.resolve();

    expect(summary).toMatchObject({ resumed: 0, reconciling: 0, following: 0 });
    expect(await submitted).toMatchObject({ duplicate: false, result: { accepted: true, status: OrderStatus.ACCEPTED } });
    expect(b.brokers.lookups).toEqual([]);
    expect(sentBy(b)).toEqual([]);
    expect((await a.store.listEvents('in-flight')).map((event) => event.toStatus)).toEqual(['PENDING', 'ACCEPTED']);
  });

  it("takes over a dead worker's order in flight once its lease expired: reconciles it with the broker, never re-sends it", async () => {
    // What A leaves when it dies in the middle of the broker call: the order claimed for sending, no answer.
    await a.store.createIntent(testIntent({ intentId: 'orphan' }), false, a.clock.now());
    await a.store.markSubmitted('orphan', a.clock.now());
    await b.recovery.recover();
    expect(sentBy(b)).toEqual([]);

    await a.dataSource.query(`UPDATE worker_leases SET expires_at = '2000-01-01T00:00:00.000Z' WHERE instance_id = ?`, [a.instance.id]);
    b.brokers.lookup = async (ref) => brokerOrder(ref.clientOrderId ?? '', OrderStatus.FILLED, { filledQuantity: 10 });
    const summary = await b.recovery.takeOver();
    await summary.done;

    expect(summary).toMatchObject({ resumed: 0, reconciling: 1 });
    expect(sentBy(b)).toEqual([]);
    expect(await b.store.findIntent('orphan')).toMatchObject({
      ownerId: b.instance.id,
      answer: { accepted: true },
      order: { status: OrderStatus.FILLED, filledQuantity: 10 },
    });
  });

  it('hands the queued intents of a stopping worker to the other one, which sends them once; the call in flight finishes', async () => {
    await b.recovery.recover();
    const answer = deferred<void>();
    a.brokers.engine = async (intent) => {
      await answer.promise;
      return acceptedResponse(intent);
    };
    const first = a.executions.submit(testIntent({ intentId: 'first' }));
    const queued = a.executions.submit(testIntent({ intentId: 'queued' }));
    while (sentBy(a).length === 0) await new Promise((resolve) => setImmediate(resolve));

    await a.executions.stop();
    await expect(queued).rejects.toBeInstanceOf(WorkerStoppingError);
    // The strategy submits it again, to the other replica: it takes it over and sends it.
    const retried = await b.executions.submit(testIntent({ intentId: 'queued' }));
    answer.resolve();

    expect(retried).toMatchObject({ duplicate: true, result: { accepted: true } });
    await expect(first).resolves.toMatchObject({ result: { accepted: true } });
    expect(sentBy(a)).toEqual(['first']);
    expect(sentBy(b)).toEqual(['queued']);
  });

  it('sends an intent submitted to both workers at once exactly once; both callers get its answer', async () => {
    await b.recovery.recover();
    const outcomes = await Promise.all([
      a.executions.submit(testIntent({ intentId: 'twice' })),
      b.executions.submit(testIntent({ intentId: 'twice' })),
    ]);

    expect([...sentBy(a), ...sentBy(b)]).toEqual(['twice']);
    expect(outcomes.map((outcome) => outcome.duplicate).sort()).toEqual([false, true]);
    for (const outcome of outcomes) expect(outcome.result).toMatchObject({ accepted: true, status: OrderStatus.ACCEPTED });
  });

  it('keeps the heartbeat, and on release lets the other worker take over the open orders it followed', async () => {
    const ownershipOfA = new WorkerOwnership(a.leases, a.recovery, a.settings);
    await a.executions.submit(testIntent({ intentId: 'resting' }));
    await b.recovery.recover();
    await ownershipOfA.tick();
    expect(await b.recovery.takeOver()).toMatchObject({ following: 0 });

    await ownershipOfA.release();
    const summary = await b.recovery.takeOver();

    expect(summary).toMatchObject({ resumed: 0, reconciling: 0, following: 1 });
    expect((await b.store.listByOrderStatus([OrderStatus.ACCEPTED])).map((stored) => stored.intent.intentId)).toEqual(['resting']);
    expect(await a.store.listByOrderStatus([OrderStatus.ACCEPTED])).toEqual([]);
  });
});
