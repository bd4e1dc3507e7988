import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliDataSource from './data-source';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
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

  it('can be reverted, one by one', async () => {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions('sqlite::memory:', WORKER_DATABASE));
    try {
      await dataSource.undoLastMigration();
      const orderColumns = await dataSource.query("SELECT name FROM pragma_table_info('orders') WHERE name IN ('side', 'operator_flag')");
      expect(orderColumns).toEqual([]);
      await dataSource.undoLastMigration();
      const intentColumns = await dataSource.query("SELECT name FROM pragma_table_info('intents')");
      expect(intentColumns.map((column: { name: string }) => column.name)).not.toContain('expires_at');
      await dataSource.undoLastMigration();
      const tables = await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('intents', 'orders', 'order_events')");
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('are the ones the TypeORM CLI data source runs too', () => {
    expect(cliDataSource.options.migrations).toEqual(WORKER_DATABASE.migrations);
    expect(cliDataSource.options.synchronize).toBe(false);
  });
});
