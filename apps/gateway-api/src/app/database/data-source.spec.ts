import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiKeyEntity, openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { CandleCacheEntity } from '../market-data/candle-cache.entity';
import { IdempotencyRecordEntity } from '../orders/idempotency-record.entity';
import cliDataSource, { GATEWAY_DATABASE } from './data-source';

describe('the gateway database', () => {
  let folder: string;
  const urlOf = (name: string) => `sqlite:${path.join(folder, name)}`;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'gateway-db-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('never synchronizes; it runs the migrations at start-up, the same ones as the TypeORM CLI', () => {
    const options = serviceDataSourceOptions(undefined, GATEWAY_DATABASE, folder);
    expect(options).toMatchObject({
      synchronize: false,
      migrationsRun: true,
      type: 'better-sqlite3',
      database: path.join(folder, 'data/gateway.sqlite'),
    });
    expect(serviceDataSourceOptions('postgres://u:p@h/db', GATEWAY_DATABASE)).toMatchObject({ type: 'postgres', url: 'postgres://u:p@h/db' });
    expect(cliDataSource.options.migrations).toEqual(GATEWAY_DATABASE.migrations);
  });

  it('creates the SQLite folder and file, migrates to exactly the schema of the entities, and reverts', async () => {
    const file = path.join(folder, 'nested', 'gateway.sqlite');
    const dataSource = await openServiceDataSource(serviceDataSourceOptions(`sqlite:${file}`, GATEWAY_DATABASE));
    try {
      expect(existsSync(file)).toBe(true);
      const tables: Array<{ name: string }> = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      expect(tables.map((table) => table.name)).toEqual(['api_keys', 'candle_cache', 'idempotency_records', 'migrations']);
      expect(await dataSource.showMigrations()).toBe(false);
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);

      for (let undone = 0; undone < GATEWAY_DATABASE.migrations.length; undone += 1) await dataSource.undoLastMigration();
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
    const first = await openServiceDataSource(serviceDataSourceOptions(urlOf('gateway.sqlite'), GATEWAY_DATABASE));
    await first.getRepository(ApiKeyEntity).insert({
      id: 'k1',
      name: 'n',
      keyHash: 'h',
      keyPrefix: 'p',
      scopes: 'read',
      createdAt: new Date('2024-01-02T03:04:05.678Z'),
      revokedAt: null,
    });
    await first.destroy();
    const second = await openServiceDataSource(serviceDataSourceOptions(urlOf('gateway.sqlite'), GATEWAY_DATABASE));
    try {
      expect(await second.query('SELECT id, created_at FROM api_keys')).toEqual([{ id: 'k1', created_at: '2024-01-02T03:04:05.678Z' }]);
      expect((await second.getRepository(ApiKeyEntity).findOneByOrFail({ id: 'k1' })).createdAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
    } finally {
      await second.destroy();
    }
  });

  it('converts instants stored as epoch milliseconds to RFC 3339 text exactly, and back on revert', async () => {
    const url = urlOf('upgrade.sqlite');
    const [initial] = GATEWAY_DATABASE.migrations;
    const before = await openServiceDataSource(serviceDataSourceOptions(url, { ...GATEWAY_DATABASE, entities: [], migrations: [initial] }));
    await before.query(
      "INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, created_at, revoked_at) VALUES ('k1', 'n', 'h', 'p', 'read', 1704164645678, NULL), ('k2', 'n', 'h2', 'p', 'read', 1704164645000, 1704164645001)",
    );
    await before.query(
      "INSERT INTO idempotency_records (scope, idempotency_key, fingerprint, state, client_order_id, broker_id, created_at, updated_at) VALUES ('s', 'k', 'f', 'COMPLETED', 'c', 'kis', 0, 1704164645999)",
    );
    await before.query(
      "INSERT INTO candle_cache (broker_id, symbol, timeframe, bar_time, open, high, low, close, volume, fetched_at) VALUES ('kis', '005930', '1d', 1707091200000, '1', '2', '0.5', '1.5', 12345678901, 1707091200123)",
    );
    await before.destroy();

    const after = await openServiceDataSource(serviceDataSourceOptions(url, GATEWAY_DATABASE));
    try {
      expect(await after.query('SELECT id, created_at, revoked_at FROM api_keys ORDER BY id')).toEqual([
        { id: 'k1', created_at: '2024-01-02T03:04:05.678Z', revoked_at: null },
        { id: 'k2', created_at: '2024-01-02T03:04:05.000Z', revoked_at: '2024-01-02T03:04:05.001Z' },
      ]);
      const record = await after.getRepository(IdempotencyRecordEntity).findOneByOrFail({ scope: 's', idempotencyKey: 'k' });
      expect([record.createdAt.toISOString(), record.updatedAt.toISOString()]).toEqual(['1970-01-01T00:00:00.000Z', '2024-01-02T03:04:05.999Z']);
      const candle = await after.getRepository(CandleCacheEntity).findOneByOrFail({ brokerId: 'kis' });
      expect(candle).toMatchObject({ barTime: new Date(1707091200000), fetchedAt: new Date(1707091200123), volume: 12345678901 });
      expect(await after.query("SELECT COUNT(*) AS n FROM api_keys WHERE key_hash = 'h'")).toEqual([{ n: 1 }]);
      await expect(after.query("INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, created_at) VALUES ('k3', 'n', 'h', 'p', 'read', 'x')")).rejects.toThrow(/UNIQUE/);

      // Keys of earlier versions are bound to no strategy.
      expect((await after.getRepository(ApiKeyEntity).findOneByOrFail({ id: 'k1' })).strategyIds).toEqual([]);

      await after.undoLastMigration();
      expect(await after.query("SELECT COUNT(*) AS n FROM pragma_table_info('api_keys') WHERE name = 'strategy_ids'")).toEqual([{ n: 0 }]);
      await after.undoLastMigration();
      expect(await after.query('SELECT id, created_at, revoked_at FROM api_keys ORDER BY id')).toEqual([
        { id: 'k1', created_at: 1704164645678, revoked_at: null },
        { id: 'k2', created_at: 1704164645000, revoked_at: 1704164645001 },
      ]);
      expect(await after.query('SELECT bar_time, fetched_at FROM candle_cache')).toEqual([{ bar_time: 1707091200000, fetched_at: 1707091200123 }]);
    } finally {
      await after.destroy();
    }
  });
});
