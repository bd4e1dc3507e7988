import {
  Decimal,
  ExecutionIntent,
  FailSafeCode,
  IllegalOrderTransitionError,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testIntent } from '@qts/test-support';
import type { DataSource } from 'typeorm';
import type { ExecutionReport } from '../processing/execution-report';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { DuplicateIntentError } from './duplicate-intent-error';
import { ExecutionStore } from './execution-store';
import { UnitOfWork } from './unit-of-work';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { WORKER_DATABASE } from './worker-database';
import { WorkerLeases } from './worker-leases';
import type { WorkerInstance } from './worker-instance';
import { storeOperatorFlaggedOrder } from '../../../test/operator-flagged-order';
import { testWorkerInstance } from '../../../test/test-worker-instance';
import { spawnSync } from 'node:child_process';
import { TEST_WORKER_SETTINGS } from '@qts/test-support';

const T0 = new Date('2024-01-02T00:00:00.000Z');
const T1 = new Date('2024-01-02T00:00:01.000Z');
const T2 = new Date('2024-01-02T00:00:02.000Z');

function intent(intentId: string, overrides: Partial<ExecutionIntent> = {}): ExecutionIntent {
  return testIntent({ intentId, ...overrides });
}

describe('ExecutionStore.markSubmitted across processes (two connections to one SQLite file)', () => {
  let folder: string;
  const sources: DataSource[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'worker-cas-'));
  });

  afterEach(async () => {
    for (const source of sources.splice(0)) await source.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  async function storeOn(file: string): Promise<ExecutionStore> {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions(`sqlite:${file}`, WORKER_DATABASE));
    sources.push(dataSource);
    return new ExecutionStore(new UnitOfWork(dataSource), new ExecutionReportBus(), testWorkerInstance());
  }

  it('lets exactly one of two worker processes send an order, however their claims interleave', async () => {
    const file = join(folder, 'worker.sqlite');
    const first = await storeOn(file);
    const second = await storeOn(file);
    await first.createIntent(intent('shared-1'), false, T0);
    await first.createIntent(intent('shared-2'), false, T0);

    await expect(first.markSubmitted('shared-1', T1)).resolves.toBe(true);
    await expect(second.markSubmitted('shared-1', T2)).resolves.toBe(false);

    const racing = await Promise.all([first.markSubmitted('shared-2', T1), second.markSubmitted('shared-2', T2)]);
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  it('lets exactly one of two settlements of a flagged order apply, from whichever process', async () => {
    const file = join(folder, 'worker.sqlite');
    const first = await storeOn(file);
    const second = await storeOn(file);
    await first.createIntent(intent('flagged'), false, T0);
    await first.markSubmitted('flagged', T1);
    await first.settle('flagged', { order: { status: OrderStatus.UNKNOWN, operatorFlag: 'AMBIGUOUS_MATCH' } }, 'reconciliation', T1);

    const outcomes = await Promise.allSettled([
      first.settleByOperator('flagged', { kind: 'at_broker', brokerOrderId: '0001', note: 'first operator' }, T2),
      second.settleByOperator('flagged', { kind: 'never_reached', note: 'second operator' }, T2),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'SETTLEMENT_CONFLICT' } });
    const settled = (await first.findIntent('flagged'))?.order;
    expect([OrderStatus.ACCEPTED, OrderStatus.REJECTED]).toContain(settled?.status);
    expect(await first.listEvents('flagged')).toHaveLength(3);
  });

  it('lets an order be either sent or expired, never both, whichever process decides first', async () => {
    const file = join(folder, 'worker.sqlite');
    const sender = await storeOn(file);
    const expirer = await storeOn(file);
    const expiresAt = new Date(T1.getTime() + 500);
    for (const id of ['race-1', 'race-2', 'race-3']) await sender.createIntent(intent(id), false, T0, expiresAt);

    // The sender claims first: the other process cannot expire it any more.
    await expect(sender.claimForSending('race-1', T1, expiresAt, 'expired')).resolves.toEqual({ kind: 'claimed' });
    await expect(expirer.expireUnsent('race-1', T2, 'expired')).resolves.toBeNull();
    // The other process expires first: the sender's claim (even one that still believes in time) finds it settled.
    await expect(expirer.expireUnsent('race-2', T2, 'expired while queued')).resolves.toMatchObject({
      answer: { accepted: false, failSafeCode: FailSafeCode.FS050, message: 'expired while queued' },
      order: { status: OrderStatus.REJECTED },
    });
    await expect(sender.claimForSending('race-2', T1, expiresAt, 'expired')).resolves.toEqual({ kind: 'not-pending' });
    // Both at once.
    const outcomes = await Promise.all([
      sender.claimForSending('race-3', T1, expiresAt, 'expired'),
      expirer.expireUnsent('race-3', T2, 'expired'),
    ]);
    expect(outcomes[0].kind === 'claimed').toBe(outcomes[1] === null);

    const rows = await sender.listByOrderStatus([OrderStatus.PENDING, OrderStatus.REJECTED]);
    for (const row of rows) {
      // Sent (claimed) rows carry submitted_at; expired ones never do.
      expect(row.order?.status === OrderStatus.REJECTED).toBe(row.order?.submittedAt === undefined);
    }
  });
});

describe('ExecutionStore ownership: two workers on one database (two connections to one SQLite file)', () => {
  let folder: string;
  const sources: DataSource[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'worker-owner-'));
  });

  afterEach(async () => {
    for (const source of sources.splice(0)) await source.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  interface Worker {
    store: ExecutionStore;
    leases: WorkerLeases;
    dataSource: DataSource;
  }

  /** A worker on the shared file; `host` other than this one's: it only counts as gone once its lease expired. */
  async function workerOn(instance: WorkerInstance): Promise<Worker> {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions(`sqlite:${join(folder, 'worker.sqlite')}`, WORKER_DATABASE));
    sources.push(dataSource);
    const unitOfWork = new UnitOfWork(dataSource);
    const leases = new WorkerLeases(unitOfWork, instance, TEST_WORKER_SETTINGS);
    await leases.register();
    return { store: new ExecutionStore(unitOfWork, new ExecutionReportBus(), instance), leases, dataSource };
  }

  /** a: stored, never sent; b: sent, no answer yet; c: accepted, open at the broker; d: filled (finished). */
  async function leaveWork(worker: Worker): Promise<void> {
    for (const id of ['a', 'b', 'c', 'd']) await worker.store.createIntent(intent(id), false, T0);
    await worker.store.markSubmitted('b', T1);
    for (const [id, status] of [['c', OrderStatus.ACCEPTED], ['d', OrderStatus.FILLED]] as const) {
      await worker.store.markSubmitted(id, T1);
      await worker.store.settle(id, { answer: { accepted: true, handledBy: 'live', message: 'ok' }, order: { status } }, 'broker', T2);
    }
  }

  const ids = (intents: { intent: { intentId: string } }[]) => intents.map((stored) => stored.intent.intentId);

  it('leaves a live worker\'s intents alone: nothing to take over, nothing to send, nothing to follow', async () => {
    const first = await workerOn(testWorkerInstance({ host: 'pod-a' }));
    const second = await workerOn(testWorkerInstance({ host: 'pod-b' }));
    await leaveWork(first);

    expect(await second.store.takeOverOrphans()).toEqual([]);
    await expect(second.store.claim('a')).resolves.toBe(false);
    await expect(second.store.markSubmitted('a', T2)).resolves.toBe(false);
    expect(await second.store.listByOrderStatus([OrderStatus.PENDING, OrderStatus.ACCEPTED])).toEqual([]);
    expect(ids(await first.store.listByOrderStatus([OrderStatus.PENDING, OrderStatus.ACCEPTED]))).toEqual(['a', 'b', 'c']);
    await expect(first.store.markSubmitted('a', T2)).resolves.toBe(true);
  });

  it('takes over, once, the unfinished intents of a worker that stopped cleanly (its lease removed)', async () => {
    const first = await workerOn(testWorkerInstance({ host: 'pod-a' }));
    const second = await workerOn(testWorkerInstance({ host: 'pod-b' }));
    const third = await workerOn(testWorkerInstance({ host: 'pod-c' }));
    await leaveWork(first);
    await first.leases.release();

    const [bySecond, byThird] = await Promise.all([second.store.takeOverOrphans(), third.store.takeOverOrphans()]);
    expect([...ids(bySecond), ...ids(byThird)].sort()).toEqual(['a', 'b', 'c']);
    const winner = ids(bySecond).length > 0 ? second : third;
    expect((await winner.store.takeOverOrphans()).length).toBe(0);
    // The old owner cannot send what it no longer owns; the new one can, once.
    await expect(first.store.markSubmitted('a', T2)).resolves.toBe(false);
    await expect(winner.store.markSubmitted('a', T2)).resolves.toBe(true);
    expect((await winner.store.findIntent('c'))?.ownerId).toBe(winner.store.ownerId);
    expect((await winner.store.findIntent('d'))?.ownerId).toBe(first.store.ownerId);
  });

  it('takes over the intents of a worker whose lease expired on the database clock, and removes that lease', async () => {
    const first = await workerOn(testWorkerInstance({ host: 'pod-a' }));
    const second = await workerOn(testWorkerInstance({ host: 'pod-b' }));
    await leaveWork(first);
    await first.dataSource.query(`UPDATE worker_leases SET expires_at = '2000-01-01T00:00:00.000Z' WHERE instance_id = ?`, [first.store.ownerId]);

    expect(ids(await second.store.takeOverOrphans())).toEqual(['a', 'b', 'c']);
    expect(await second.dataSource.query('SELECT instance_id FROM worker_leases ORDER BY instance_id')).toEqual([
      { instance_id: second.store.ownerId },
    ]);
    // The silent worker comes back: its heartbeat finds its lease gone and writes it again; what it lost stays lost.
    await expect(first.leases.renew()).resolves.toBe(false);
    await expect(first.store.markSubmitted('a', T2)).resolves.toBe(false);
    expect(await second.store.takeOverOrphans()).toEqual([]);
  });

  it('takes over at once from a process of this host that no longer runs, never from one that runs', async () => {
    const exited = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const gone = await workerOn(testWorkerInstance({ pid: exited }));
    const running = await workerOn(testWorkerInstance({ pid: process.ppid }));
    await gone.store.createIntent(intent('left-by-gone'), false, T0);
    await running.store.createIntent(intent('kept-by-running'), false, T0);
    const me = await workerOn(testWorkerInstance({ pid: process.pid + 1_000_000 }));

    expect(ids(await me.store.takeOverOrphans())).toEqual(['left-by-gone']);
  });

  it('lets a stopping worker hand back unsent intents: any worker takes them at once, never a sent one', async () => {
    const first = await workerOn(testWorkerInstance({ host: 'pod-a' }));
    const second = await workerOn(testWorkerInstance({ host: 'pod-b' }));
    await leaveWork(first);

    expect(await first.store.handBack(['a', 'b', 'c', 'd', 'unknown'])).toEqual(['a']);
    expect((await first.store.findIntent('a'))?.ownerId).toBeUndefined();
    await expect(first.store.markSubmitted('a', T2)).resolves.toBe(false);
    await expect(second.store.claim('a')).resolves.toBe(true);
    await expect(second.store.claim('b')).resolves.toBe(false);
    await expect(second.store.markSubmitted('a', T2)).resolves.toBe(true);
  });
});

describe('ExecutionStore (SQLite in memory, real migrations)', () => {
  let dataSource: DataSource;
  let store: ExecutionStore;
  let reports: ExecutionReport[];

  beforeEach(async () => {
    dataSource = await openServiceDataSource(serviceDataSourceOptions('sqlite::memory:', WORKER_DATABASE));
    const bus = new ExecutionReportBus();
    reports = [];
    bus.subscribe((report) => reports.push(report));
    store = new ExecutionStore(new UnitOfWork(dataSource), bus, testWorkerInstance());
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('stores an intent with its PENDING order keyed by the intent id, and reports the new order', async () => {
    const stored = await store.createIntent(intent('intent-1'), false, T0);

    expect(stored.intent).toEqual({ ...intent('intent-1'), createdAt: T0 });
    expect(stored.intent.limitPrice?.toFixed()).toBe('70100');
    expect(stored.answer).toBeUndefined();
    expect(stored.order).toMatchObject({
      intentId: 'intent-1',
      clientOrderId: 'intent-1',
      status: OrderStatus.PENDING,
      filledQuantity: 0,
    });
    expect(stored.order?.submittedAt).toBeUndefined();
    expect(reports).toEqual([
      expect.objectContaining({ intentId: 'intent-1', strategyId: 'momentum-kr', status: OrderStatus.PENDING }),
    ]);
    await expect(store.findIntent('intent-1')).resolves.toEqual(stored);
  });

  it('refuses a second intent with the same id (unique constraint), even with another payload', async () => {
    await store.createIntent(intent('intent-1'), false, T0);

    await expect(store.createIntent(intent('intent-1', { quantity: 99 }), false, T1)).rejects.toBeInstanceOf(
      DuplicateIntentError,
    );
    const rows = await dataSource.query('SELECT COUNT(*) AS n FROM orders');
    expect(Number(rows[0].n)).toBe(1);
  });

  it('serializes concurrent transactions on the single SQLite connection: each id stored exactly once', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `intent-${i % 25}`);
    const results = await Promise.allSettled(ids.map((id) => store.createIntent(intent(id), false, T0)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    expect(
      results.filter((r) => r.status === 'rejected' && r.reason instanceof DuplicateIntentError),
    ).toHaveLength(25);
    const rows = await dataSource.query('SELECT COUNT(*) AS n FROM intents');
    expect(Number(rows[0].n)).toBe(25);
  });

  it('stores a dry run without an order', async () => {
    const stored = await store.createIntent(intent('dry-1', { orderType: OrderType.MARKET, limitPrice: undefined }), true, T0);

    expect(stored.dryRun).toBe(true);
    expect(stored.order).toBeUndefined();
    expect(stored.intent.limitPrice).toBeUndefined();
    expect(reports).toEqual([]);
  });

  it('stores the expiry of an intent (none for a dry run) and reads it back', async () => {
    const expiresAt = new Date('2024-01-02T00:00:05.000Z');
    await store.createIntent(intent('intent-1'), false, T0, expiresAt);
    await store.createIntent(intent('dry-1'), true, T0, expiresAt);

    expect((await store.findIntent('intent-1'))?.expiresAt).toEqual(expiresAt);
    expect((await store.findIntent('dry-1'))?.expiresAt).toBeUndefined();
  });

  it('claims an order before its expiry, and in the same transaction refuses it as expired from the expiry on', async () => {
    await store.createIntent(intent('in-time'), false, T0, T2);
    await store.createIntent(intent('too-late'), false, T0, T2);

    await expect(store.claimForSending('in-time', T1, T2, 'expired')).resolves.toEqual({ kind: 'claimed' });
    const late = await store.claimForSending('too-late', T2, T2, 'expired at T2, never sent');

    expect(late).toMatchObject({
      kind: 'expired',
      stored: {
        answer: { accepted: false, handledBy: 'worker', failSafeCode: FailSafeCode.FS050, message: 'expired at T2, never sent' },
        order: { status: OrderStatus.REJECTED },
      },
    });
    const stored = await store.findIntent('too-late');
    expect(stored?.order?.submittedAt).toBeUndefined();
    expect((await store.listEvents('too-late')).map((event) => [event.fromStatus, event.toStatus, event.source])).toEqual([
      [null, 'PENDING', 'intent'],
      ['PENDING', 'REJECTED', 'expiry'],
    ]);
    expect(reports.at(-1)).toMatchObject({ intentId: 'too-late', status: OrderStatus.REJECTED, failSafeCode: FailSafeCode.FS050 });
    // Nothing more happens to an order that was sent or already refused.
    await expect(store.claimForSending('too-late', T1, T2, 'expired')).resolves.toEqual({ kind: 'not-pending' });
    await expect(store.expireUnsent('in-time', T2, 'expired')).resolves.toBeNull();
    expect((await store.findIntent('in-time'))?.order?.status).toBe(OrderStatus.PENDING);
  });

  it('tells, per broker, since when its oldest UNKNOWN order has been unknown (sent time)', async () => {
    await store.createIntent(intent('u-1'), false, T0);
    await store.markSubmitted('u-1', T1);
    await store.settle('u-1', { order: { status: OrderStatus.UNKNOWN } }, 'broker', T2);
    await store.createIntent(intent('u-2', { symbol: '000660' }), false, T0);
    await store.markSubmitted('u-2', T2);
    await store.settle('u-2', { order: { status: OrderStatus.UNKNOWN } }, 'broker', T2);
    await store.createIntent(intent('u-3', { brokerId: 'creon' }), false, T0);
    await store.settle('u-3', { order: { status: OrderStatus.UNKNOWN } }, 'recovery', T2);
    await store.createIntent(intent('ok', { symbol: '035720' }), false, T0);

    await expect(store.oldestUnknownOrders()).resolves.toEqual(
      new Map([
        ['kis', T1],
        ['creon', T0],
      ]),
    );
  });

  it('claims an order for sending once: markSubmitted is true the first time, false the second, keeping the first time', async () => {
    await store.createIntent(intent('intent-1'), false, T0);

    await expect(store.markSubmitted('intent-1', T1)).resolves.toBe(true);
    await expect(store.markSubmitted('intent-1', T2)).resolves.toBe(false);

    expect((await store.findIntent('intent-1'))?.order?.submittedAt).toEqual(T1);
  });

  it('claims an order only once among concurrent callers on the one SQLite connection', async () => {
    await store.createIntent(intent('intent-1'), false, T0);

    const claims = await Promise.all(Array.from({ length: 5 }, () => store.markSubmitted('intent-1', T1)));

    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('never claims a dry run or an unknown intent (there is no order to send)', async () => {
    await store.createIntent(intent('dry-1', { orderType: OrderType.MARKET, limitPrice: undefined }), true, T0);

    await expect(store.markSubmitted('dry-1', T1)).resolves.toBe(false);
    await expect(store.markSubmitted('no-such-intent', T1)).resolves.toBe(false);
  });

  it('records the answer and the order state in one step, and reports the change', async () => {
    await store.createIntent(intent('intent-1'), false, T0);
    await store.markSubmitted('intent-1', T1);

    const settled = await store.settle(
      'intent-1',
      {
        answer: { accepted: true, handledBy: 'live', message: 'accepted' },
        order: { status: OrderStatus.ACCEPTED, brokerOrderId: '0000117', message: 'accepted' },
      },
      'broker',
      T2,
    );

    expect(settled.answer).toEqual({ accepted: true, handledBy: 'live', message: 'accepted', answeredAt: T2 });
    expect(settled.order).toMatchObject({ status: OrderStatus.ACCEPTED, brokerOrderId: '0000117', submittedAt: T1 });
    expect(reports.map((r) => [r.status, r.orderId])).toEqual([
      [OrderStatus.PENDING, undefined],
      [OrderStatus.ACCEPTED, '0000117'],
    ]);
    expect(reports[1].sequence).toBeGreaterThan(reports[0].sequence);
    const events = await store.listEvents('intent-1');
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.source])).toEqual([
      [null, 'PENDING', 'intent'],
      ['PENDING', 'ACCEPTED', 'broker'],
    ]);
  });

  it('keeps the first answer time when a later change (reconciliation) updates the answer', async () => {
    await store.createIntent(intent('intent-1'), false, T0);
    await store.settle(
      'intent-1',
      {
        answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'unknown' },
        order: { status: OrderStatus.UNKNOWN },
      },
      'broker',
      T1,
    );
    const settled = await store.settle(
      'intent-1',
      {
        answer: { accepted: true, handledBy: 'live', message: 'reconciled' },
        order: { status: OrderStatus.FILLED, filledQuantity: 10, avgFillPrice: new Decimal('70100.5') },
      },
      'reconciliation',
      T2,
    );

    expect(settled.answer).toEqual({ accepted: true, handledBy: 'live', message: 'reconciled', answeredAt: T1 });
    expect(settled.order?.avgFillPrice?.toFixed()).toBe('70100.5');
    expect(settled.order?.filledQuantity).toBe(10);
  });

  it('refuses an illegal transition and changes nothing', async () => {
    await store.createIntent(intent('intent-1'), false, T0);
    await store.settle('intent-1', { order: { status: OrderStatus.FILLED, filledQuantity: 10 } }, 'broker', T1);

    await expect(
      store.settle(
        'intent-1',
        { answer: { accepted: false, handledBy: 'live', message: 'x' }, order: { status: OrderStatus.ACCEPTED } },
        'broker',
        T2,
      ),
    ).rejects.toBeInstanceOf(IllegalOrderTransitionError);
    const stored = await store.findIntent('intent-1');
    expect(stored?.order?.status).toBe(OrderStatus.FILLED);
    expect(stored?.answer).toBeUndefined();
  });

  it('records further partial fills as events, and ignores a repeat of the same state', async () => {
    await store.createIntent(intent('intent-1'), false, T0);
    await store.settle('intent-1', { order: { status: OrderStatus.PARTIAL, filledQuantity: 3 } }, 'broker', T1);
    await store.settle('intent-1', { order: { status: OrderStatus.PARTIAL, filledQuantity: 7 } }, 'broker', T1);
    await store.settle('intent-1', { order: { status: OrderStatus.PARTIAL, filledQuantity: 7 } }, 'broker', T2);

    const events = await store.listEvents('intent-1');
    expect(events.map((e) => [e.toStatus, e.filledQuantity])).toEqual([
      ['PENDING', 0],
      ['PARTIAL', 3],
      ['PARTIAL', 7],
    ]);
  });

  it('refuses an order change for a dry run', async () => {
    await store.createIntent(intent('dry-1'), true, T0);

    await expect(
      store.settle('dry-1', { order: { status: OrderStatus.ACCEPTED } }, 'broker', T1),
    ).rejects.toBeInstanceOf(IllegalOrderTransitionError);
  });

  it('lists unfinished intents in arrival order: unanswered ones and in-flight orders', async () => {
    await store.createIntent(intent('a'), false, T0);
    await store.createIntent(intent('b'), false, T0);
    await store.createIntent(intent('c'), true, T0);
    await store.createIntent(intent('d'), false, T0);
    await store.settle(
      'b',
      { answer: { accepted: true, handledBy: 'live', message: 'ok' }, order: { status: OrderStatus.ACCEPTED } },
      'broker',
      T1,
    );
    await store.settle(
      'd',
      {
        answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'unknown' },
        order: { status: OrderStatus.UNKNOWN },
      },
      'broker',
      T1,
    );

    const unfinished = await store.listUnfinished();
    expect(unfinished.map((s) => s.intent.intentId)).toEqual(['a', 'c', 'd']);
    const unknown = await store.listByOrderStatus([OrderStatus.UNKNOWN]);
    expect(unknown.map((s) => s.intent.intentId)).toEqual(['d']);
    await expect(store.listByOrderStatus([OrderStatus.CANCELLED])).resolves.toEqual([]);
    expect(await store.countOrdersByStatus()).toEqual(
      new Map([
        [OrderStatus.PENDING, 1],
        [OrderStatus.ACCEPTED, 1],
        [OrderStatus.UNKNOWN, 1],
      ]),
    );
  });

  it('answers nothing unfinished on an empty database', async () => {
    await expect(store.listUnfinished()).resolves.toEqual([]);
    await expect(store.findIntent('nope')).resolves.toBeNull();
  });

  it('claims an order for sending once: markSubmitted answers true the first time and false after', async () => {
    await store.createIntent(intent('intent-1'), false, T0);

    await expect(store.markSubmitted('intent-1', T1)).resolves.toBe(true);
    await expect(store.markSubmitted('intent-1', T2)).resolves.toBe(false);
    expect((await store.findIntent('intent-1'))?.order?.submittedAt).toEqual(T1);
    // Neither a dry run (no order) nor an order that is no longer PENDING can be claimed.
    await store.createIntent(intent('dry-1'), true, T0);
    await expect(store.markSubmitted('dry-1', T1)).resolves.toBe(false);
    await store.createIntent(intent('intent-2'), false, T0);
    await store.settle('intent-2', { order: { status: OrderStatus.UNKNOWN } }, 'broker', T1);
    await expect(store.markSubmitted('intent-2', T2)).resolves.toBe(false);
  });

  describe('settleByOperator: an order flagged for an operator', () => {
    const T3 = new Date('2024-01-02T00:00:03.000Z');

    const flagged = (intentId: string, sentAt = T1) => storeOperatorFlaggedOrder(store, intentId, sentAt);

    it('at the broker: ACCEPTED under the given number, the flag cleared, the intent accepted, the change reported', async () => {
      await flagged('amb-1');
      reports.length = 0;

      const settled = await store.settleByOperator('amb-1', { kind: 'at_broker', brokerOrderId: '0002', note: 'checked in HTS' }, T3);

      expect(settled?.order).toMatchObject({ status: OrderStatus.ACCEPTED, brokerOrderId: '0002' });
      expect(settled?.order?.operatorFlag).toBeUndefined();
      expect(settled?.answer).toMatchObject({ accepted: true, handledBy: 'live' });
      expect(settled?.answer?.failSafeCode).toBeUndefined();
      expect(settled?.order?.message).toBe('settled by an operator: broker order 0002 (checked in HTS)');
      expect(await store.findIntent('amb-1')).toMatchObject({ order: { status: OrderStatus.ACCEPTED, brokerOrderId: '0002' }, answer: { accepted: true } });
      expect(await store.countOrdersByOperatorFlag()).toEqual(new Map());
      expect(reports).toEqual([expect.objectContaining({ intentId: 'amb-1', status: OrderStatus.ACCEPTED, orderId: '0002' })]);
      expect((await store.listEvents('amb-1')).at(-1)).toMatchObject({ fromStatus: OrderStatus.UNKNOWN, toStatus: OrderStatus.ACCEPTED, source: 'operator' });
    });

    it('never reached the broker: REJECTED with FS042, final', async () => {
      await flagged('amb-2');

      const settled = await store.settleByOperator('amb-2', { kind: 'never_reached', note: 'none of them is ours' }, T3);

      expect(settled?.order).toMatchObject({ status: OrderStatus.REJECTED });
      expect(settled?.order?.operatorFlag).toBeUndefined();
      expect(settled?.answer).toMatchObject({ accepted: false, failSafeCode: FailSafeCode.FS042 });
      expect(settled?.order?.message).toContain('never reached the broker');
      await expect(store.settleByOperator('amb-2', { kind: 'never_reached', note: 'again' }, T3)).rejects.toMatchObject({
        code: 'SETTLEMENT_CONFLICT',
      });
    });

    it('refuses, changing nothing, an order no operator needs to settle and a number already another order\'s', async () => {
      await store.createIntent(intent('plain-unknown'), false, T0);
      await store.markSubmitted('plain-unknown', T1);
      await store.settle('plain-unknown', { order: { status: OrderStatus.UNKNOWN } }, 'broker', T1);
      await expect(store.settleByOperator('plain-unknown', { kind: 'never_reached', note: 'x' }, T3)).rejects.toMatchObject({
        code: 'SETTLEMENT_CONFLICT',
        message: expect.stringContaining('no operator needs to settle'),
      });
      expect((await store.findIntent('plain-unknown'))?.order?.status).toBe(OrderStatus.UNKNOWN);

      await flagged('amb-3');
      await flagged('amb-4');
      await store.settleByOperator('amb-3', { kind: 'at_broker', brokerOrderId: '0007', note: 'first' }, T3);
      await expect(store.settleByOperator('amb-4', { kind: 'at_broker', brokerOrderId: '0007', note: 'same number' }, T3)).rejects.toMatchObject({
        code: 'SETTLEMENT_CONFLICT',
        message: expect.stringContaining("intent 'amb-3'"),
      });
      expect(await store.findIntent('amb-4')).toMatchObject({ order: { status: OrderStatus.UNKNOWN, operatorFlag: 'AMBIGUOUS_MATCH' } });
      // Order numbers restart every day: the same number on an order sent three days later is another order.
      await flagged('amb-5', new Date('2024-01-05T00:00:01.000Z'));
      await expect(store.settleByOperator('amb-5', { kind: 'at_broker', brokerOrderId: '0007', note: 'next day' }, T3)).resolves.toMatchObject({
        order: { status: OrderStatus.ACCEPTED },
      });
    });

    it('answers null for an unknown intent, and refuses a dry run (no order)', async () => {
      await expect(store.settleByOperator('nobody', { kind: 'never_reached', note: 'x' }, T3)).resolves.toBeNull();
      await store.createIntent(intent('dry'), true, T0);
      await expect(store.settleByOperator('dry', { kind: 'never_reached', note: 'x' }, T3)).rejects.toMatchObject({ code: 'SETTLEMENT_CONFLICT' });
    });
  });
});
