import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliDataSource from './data-source';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';
import { WORKER_DATABASE } from './worker-database';

describe('worker migrations', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'worker-db-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('create exactly the schema the entities describe (nothing left for synchronize to do)', async () => {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions('sqlite::memory:', WORKER_DATABASE));
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('run once on a new file (creating its folder), and not again when the worker restarts on it', async () => {
    const url = `sqlite:${join(scratch, 'nested', 'worker.sqlite')}`;
    const first = await openServiceDataSource(serviceDataSourceOptions(url, WORKER_DATABASE));
    await first.query(
      `INSERT INTO intents (intent_id, strategy_id, broker_id, account_id, symbol, side, quantity, order_type, dry_run, created_at, updated_at)
       VALUES ('kept', 's', 'kis', 'a', '005930', 'BUY', 1, 'MARKET', 0, 't', 't')`,
    );
    await first.destroy();

    const second = await openServiceDataSource(serviceDataSourceOptions(url, WORKER_DATABASE));
    try {
      const applied = await second.query('SELECT name FROM worker_migrations');
      expect(applied.map((row: { name: string }) => row.name)).toEqual(WORKER_DATABASE.migrations.map((m) => m.name));
      const rows = await second.query('SELECT intent_id FROM intents');
      expect(rows).toEqual([{ intent_id: 'kept' }]);
      const journal = await second.query('PRAGMA journal_mode');
      expect(journal).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await second.destroy();
    }
  });

  it('can be reverted, every one of them (the newest first)', async () => {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions('sqlite::memory:', WORKER_DATABASE));
    try {
      const tablesLeft = async (): Promise<string[]> =>
        (
          await dataSource.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('intents', 'orders', 'order_events', 'worker_leases', 'worker_api_keys', 'api_keys') ORDER BY name",
          )
        ).map((row: { name: string }) => row.name);
      const intentColumns = async (): Promise<string[]> =>
        (await dataSource.query("SELECT name FROM pragma_table_info('intents')")).map((column: { name: string }) => column.name);
      expect(WORKER_DATABASE.migrations).toHaveLength(5);
      // Its keys in a table of their own: `api_keys` is the gateway's, which may share the database.
      expect(await tablesLeft()).toEqual(['intents', 'order_events', 'orders', 'worker_api_keys', 'worker_leases']);

      await dataSource.undoLastMigration(); // the worker's API keys
      expect(await tablesLeft()).toEqual(['intents', 'order_events', 'orders', 'worker_leases']);
      expect(await intentColumns()).toEqual(expect.arrayContaining(['expires_at', 'owner_id']));

      const orderColumns = async (): Promise<string[]> =>
        (await dataSource.query("SELECT name FROM pragma_table_info('orders')")).map((column: { name: string }) => column.name);
      expect(await orderColumns()).toEqual(expect.arrayContaining(['side', 'operator_flag']));
      await dataSource.undoLastMigration(); // the placed order's description and operator flag
      expect(await orderColumns()).not.toContain('side');
      expect(await orderColumns()).not.toContain('operator_flag');
      expect(await intentColumns()).toContain('expires_at');

      await dataSource.undoLastMigration(); // intent expiry
      expect(await intentColumns()).not.toContain('expires_at');
      expect(await intentColumns()).toContain('owner_id');

      await dataSource.undoLastMigration(); // worker ownership
      expect(await tablesLeft()).toEqual(['intents', 'order_events', 'orders']);
      expect(await intentColumns()).not.toContain('owner_id');

      await dataSource.undoLastMigration(); // the execution tables
      const tables = await tablesLeft();
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('add ownership to a database that has intents: they keep their rows, without an owner, until a worker takes them', async () => {
    const url = `sqlite:${join(scratch, 'worker.sqlite')}`;
    const before = await openServiceDataSource(
      serviceDataSourceOptions(url, { ...WORKER_DATABASE, migrations: [CreateExecutionTables1767225600000] }),
    );
    await before.query(
      `INSERT INTO intents (intent_id, strategy_id, broker_id, account_id, symbol, side, quantity, order_type, dry_run, created_at, updated_at)
       VALUES ('older', 's', 'kis', 'a', '005930', 'BUY', 1, 'MARKET', 0, 't', 't')`,
    );
    await before.query(
      `INSERT INTO orders (intent_id, client_order_id, broker_id, account_id, symbol, status, filled_quantity, created_at, updated_at)
       VALUES ('older', 'older', 'kis', 'a', '005930', 'PENDING', 0, 't', 't')`,
    );
    await before.destroy();

    const after = await openServiceDataSource(serviceDataSourceOptions(url, WORKER_DATABASE));
    try {
      expect(await after.query('SELECT intent_id, owner_id FROM intents')).toEqual([{ intent_id: 'older', owner_id: null }]);
      expect(await after.query('SELECT intent_id FROM orders')).toEqual([{ intent_id: 'older' }]);
      const pending = await after.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);

      // And reverted with the rows in place (the orders' foreign key on intents untouched).
      await after.query(`UPDATE intents SET owner_id = 'some-worker'`);
      while ((await after.query('SELECT name FROM worker_migrations')).length > 1) await after.undoLastMigration();
      expect(await after.query('SELECT * FROM intents')).toEqual([expect.not.objectContaining({ owner_id: expect.anything() })]);
      expect(await after.query('SELECT intent_id FROM orders')).toEqual([{ intent_id: 'older' }]);
    } finally {
      await after.destroy();
    }
  });

  it('are the ones the TypeORM CLI data source runs too', () => {
    expect(cliDataSource.options.migrations).toEqual(WORKER_DATABASE.migrations);
    expect(cliDataSource.options.synchronize).toBe(false);
  });
});
