import { AccountType, BrokerType, FailSafeCode, OrderStatus } from '@qts/broker-domain';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import {
  startPostgres,
  startSimulatorProcess,
  TEST_ACCOUNTS,
  testIntent,
  type PostgresServer,
  type SimulatorProcess,
} from '@qts/test-support';
import type { DataSource } from 'typeorm';
import { DuplicateIntentError } from '../app/persistence/duplicate-intent-error';
import { ExecutionStore } from '../app/persistence/execution-store';
import { UnitOfWork } from '../app/persistence/unit-of-work';
import { WORKER_DATABASE } from '../app/persistence/worker-database';
import { ExecutionReportBus } from '../app/processing/execution-report-bus';
import { submitRequest } from '../../test/execution-grpc-client';
import { scratchDir, startWorkerProcess, writeWorkerBrokersConfig, type WorkerProcess } from '../../test/worker-process';

const T0 = new Date('2024-01-02T00:00:00.000Z');

describe('PostgreSQL (a real server from the Debian packages): the same migrations, the same exactly-once', () => {
  let postgres: PostgresServer;

  beforeAll(async () => {
    postgres = await startPostgres();
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  describe('persistence', () => {
    let dataSource: DataSource;
    let store: ExecutionStore;

    beforeAll(async () => {
      dataSource = await openServiceDataSource(serviceDataSourceOptions(postgres.url, WORKER_DATABASE));
      store = new ExecutionStore(new UnitOfWork(dataSource), new ExecutionReportBus());
    });

    afterAll(async () => {
      await dataSource?.destroy();
    });

    it('runs the migrations, which match the entities exactly', async () => {
      const applied = await dataSource.query('SELECT name FROM worker_migrations');
      expect(applied.map((row: { name: string }) => row.name)).toEqual(WORKER_DATABASE.migrations.map((m) => m.name));
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    });

    it('stores, claims and settles an intent; the unique constraint refuses a second one', async () => {
      const created = await store.createIntent(testIntent({ intentId: 'pg-1' }), false, T0);
      expect(created.order).toMatchObject({ status: OrderStatus.PENDING, clientOrderId: 'pg-1' });
      await expect(store.createIntent(testIntent({ intentId: 'pg-1' }), false, T0)).rejects.toBeInstanceOf(DuplicateIntentError);

      await expect(store.markSubmitted('pg-1', T0)).resolves.toBe(true);
      await expect(store.markSubmitted('pg-1', T0)).resolves.toBe(false);
      const settled = await store.settle(
        'pg-1',
        {
          answer: { accepted: false, handledBy: 'live', failSafeCode: FailSafeCode.FS042, message: 'timeout' },
          order: { status: OrderStatus.UNKNOWN },
        },
        'broker',
        T0,
      );
      expect(settled).toMatchObject({ answer: { accepted: false, failSafeCode: 'FS042' }, order: { status: 'UNKNOWN' } });
      expect((await store.listUnfinished()).map((s) => s.intent.intentId)).toEqual(['pg-1']);
      expect(await store.countOrdersByStatus()).toEqual(new Map([[OrderStatus.UNKNOWN, 1]]));
      await expect(store.findIntent('pg-1')).resolves.toMatchObject({ intent: { quantity: 10 }, dryRun: false });
    });

    it('lets each order be either sent or expired, never both, when two worker processes race for it', async () => {
      const other = await openServiceDataSource(serviceDataSourceOptions(postgres.url, WORKER_DATABASE));
      try {
        const expirer = new ExecutionStore(new UnitOfWork(other), new ExecutionReportBus());
        const expiresAt = new Date(T0.getTime() + 5_000);
        const ids = Array.from({ length: 20 }, (_, i) => `pg-expiry-${i}`);
        for (const id of ids) await store.createIntent(testIntent({ intentId: id }), false, T0, expiresAt);

        const outcomes = await Promise.all(
          ids.map((id) =>
            Promise.all([
              store.claimForSending(id, new Date(T0.getTime() + 1_000), expiresAt, 'expired'),
              expirer.expireUnsent(id, new Date(T0.getTime() + 6_000), 'expired while queued'),
            ]),
          ),
        );

        for (const [claim, expired] of outcomes) expect(claim.kind === 'claimed').toBe(expired === null);
        for (const id of ids) {
          const stored = await store.findIntent(id);
          const sent = stored?.order?.submittedAt !== undefined;
          expect(stored?.order?.status).toBe(sent ? OrderStatus.PENDING : OrderStatus.REJECTED);
          if (!sent) expect(stored?.answer?.failSafeCode).toBe(FailSafeCode.FS050);
        }
        // From its expiry on, the claim itself refuses the order in the same transaction.
        await store.createIntent(testIntent({ intentId: 'pg-expiry-late' }), false, T0, expiresAt);
        await expect(store.claimForSending('pg-expiry-late', expiresAt, expiresAt, 'expired at its turn')).resolves.toMatchObject({
          kind: 'expired',
          stored: { answer: { failSafeCode: FailSafeCode.FS050 }, order: { status: OrderStatus.REJECTED } },
        });
        expect((await store.findIntent('pg-expiry-late'))?.expiresAt).toEqual(expiresAt);
        // What the oldest-UNKNOWN gauge reads: since when the longest-unknown order has been sent.
        await store.createIntent(testIntent({ intentId: 'pg-unknown' }), false, T0);
        await store.markSubmitted('pg-unknown', T0);
        await store.settle('pg-unknown', { order: { status: OrderStatus.UNKNOWN } }, 'broker', expiresAt);
        await expect(store.oldestUnknownOrders()).resolves.toEqual(new Map([['kis', T0]]));
      } finally {
        await other.destroy();
      }
    });

    it('keeps concurrent submissions of one id to one row (pool of connections, no mutex)', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => store.createIntent(testIntent({ intentId: 'pg-race' }), false, T0)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rows = await dataSource.query(`SELECT COUNT(*) AS n FROM orders WHERE intent_id = 'pg-race'`);
      expect(Number(rows[0].n)).toBe(1);
    });
  });

  describe('the worker process on PostgreSQL', () => {
    let simulator: SimulatorProcess;
    let worker: WorkerProcess;

    beforeAll(async () => {
      simulator = await startSimulatorProcess({
        brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
      });
      worker = await startWorkerProcess({
        brokersConfig: writeWorkerBrokersConfig(simulator, scratchDir('worker-pg-config-')),
        // A database of its own: the persistence tests above left unfinished intents in theirs.
        databaseUrl: await postgres.createDatabase('worker_process'),
        env: { WORKER_RATE_LIMIT_SHARE: '1' },
      });
    });

    afterAll(async () => {
      await worker?.stop();
      await simulator?.stop();
    });

    it('places 200 intents submitted twice each exactly once, also across a SIGKILL and restart', async () => {
      const requests = Array.from({ length: 200 }, (_, i) =>
        submitRequest(`pg-run-${i}`, { symbol: i % 2 === 0 ? '001510' : '034220', quantity: 1, limitPrice: i % 2 === 0 ? '500' : '5000' }),
      );
      const responses = await Promise.all(requests.flatMap((r) => [worker.client.submitIntent(r), worker.client.submitIntent(r)]));
      expect(responses.filter((r) => r.accepted)).toHaveLength(400);
      expect(responses.filter((r) => r.duplicate)).toHaveLength(200);

      await worker.kill('SIGKILL');
      await worker.restart();
      const again = await Promise.all(requests.map((r) => worker.client.submitIntent(r)));
      expect(again.every((r) => r.duplicate && r.accepted)).toBe(true);

      const orders = await simulator.admin.listOrders('kis');
      expect(orders).toHaveLength(200);
      expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(200);
    });
  });
});
