import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGatewayDataSource, gatewayDataSourceOptions, openGatewayDataSource } from './data-source';

describe('the gateway data source', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'gateway-db-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('never synchronizes; it runs the migrations at start-up', () => {
    const options = gatewayDataSourceOptions(undefined, folder);
    expect(options).toMatchObject({ synchronize: false, migrationsRun: true, type: 'better-sqlite3' });
    expect(gatewayDataSourceOptions('postgres://u:p@h/db')).toMatchObject({ type: 'postgres', url: 'postgres://u:p@h/db' });
  });

  it('creates the SQLite folder and file, migrates the schema, and reverts it', async () => {
    const file = path.join(folder, 'nested', 'gateway.sqlite');
    const dataSource = await openGatewayDataSource(createGatewayDataSource(`sqlite:${file}`));
    try {
      expect(existsSync(file)).toBe(true);
      const tables: Array<{ name: string }> = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      expect(tables.map((table) => table.name)).toEqual(['api_keys', 'candle_cache', 'idempotency_records', 'migrations']);
      expect(await dataSource.showMigrations()).toBe(false);

      await dataSource.undoLastMigration();
      const left: Array<{ name: string }> = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      );
      expect(left.map((table) => table.name)).toEqual(['migrations']);
      await dataSource.runMigrations();
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps data across restarts of the same file', async () => {
    const url = `sqlite:${path.join(folder, 'gateway.sqlite')}`;
    const first = await openGatewayDataSource(createGatewayDataSource(url));
    await first.query(
      "INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, created_at) VALUES ('k1', 'n', 'h', 'p', 'read', 1)",
    );
    await first.destroy();
    const second = await openGatewayDataSource(createGatewayDataSource(url));
    try {
      expect(await second.query('SELECT id FROM api_keys')).toEqual([{ id: 'k1' }]);
    } finally {
      await second.destroy();
    }
  });
});
