import { Candle } from '@qts/broker-domain';
import type { PlatformConfig } from '@qts/platform-config';
import { ApiKeyEntity, ApiKeyStore, BootstrapAdminKey, openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { startPostgres, type PostgresServer } from '@qts/test-support';
import type { DataSource } from 'typeorm';
import { CandleCache } from '../app/market-data/candle-cache';
import { CandleCacheEntity } from '../app/market-data/candle-cache.entity';
import { IdempotencyRecordEntity } from '../app/orders/idempotency-record.entity';
import { IdempotencyStore } from '../app/orders/idempotency-store';
import { GATEWAY_DATABASE } from '../app/database/data-source';

/**
 * The migration and the repositories that SQLite tests cover, on a real PostgreSQL server. PostgreSQL's server
 * binaries are required (.ci/run installs the Debian package `postgresql`); without them this suite fails, it
 * does not skip.
 */
describe('gateway database on PostgreSQL', () => {
  let postgres: PostgresServer;
  let dataSource: DataSource;

  beforeAll(async () => {
    postgres = await startPostgres('gateway');
    dataSource = await openServiceDataSource(serviceDataSourceOptions(postgres.url, GATEWAY_DATABASE));
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await postgres?.stop();
  });

  it('runs the same migrations as on SQLite, to exactly the schema of the entities', async () => {
    const tables: Array<{ table_name: string }> = await dataSource.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((table) => table.table_name)).toEqual(['api_keys', 'candle_cache', 'idempotency_records', 'migrations']);
    expect(await dataSource.showMigrations()).toBe(false);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);
  });

  it('converts instants stored as epoch milliseconds to RFC 3339 text exactly, and back', async () => {
    // Back to the schema before the ISO text timestamps (and the strategy binding that followed them).
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    await dataSource.query(
      "INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, created_at, revoked_at) VALUES ('old', 'n', 'h-old', 'p', 'read', 1704164645678, NULL)",
    );
    await dataSource.runMigrations();
    expect(await dataSource.query("SELECT created_at, revoked_at FROM api_keys WHERE id = 'old'")).toEqual([
      { created_at: '2024-01-02T03:04:05.678Z', revoked_at: null },
    ]);
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    expect(await dataSource.query("SELECT created_at FROM api_keys WHERE id = 'old'")).toEqual([{ created_at: '1704164645678' }]);
    await dataSource.query("DELETE FROM api_keys WHERE id = 'old'");
    await dataSource.runMigrations();
  });

  it('stores API keys hashed and authenticates them', async () => {
    const config = { adminApiKey: undefined } as unknown as PlatformConfig;
    const keys = new ApiKeyStore(dataSource.getRepository(ApiKeyEntity), new BootstrapAdminKey(config), {
      scopes: ['read', 'trade', 'admin'],
      strategyBinding: 'none',
      adminPath: 'api/v1/admin/api-keys',
    });
    const created = await keys.create('pg', ['read', 'trade']);
    const principal = await keys.authenticate(created.key);
    expect([...principal.scopes]).toEqual(['read', 'trade']);
    expect((await keys.list()).map((key) => key.createdAt)).toEqual([created.createdAt]);
    await keys.revoke(created.id);
    await expect(keys.authenticate(created.key)).rejects.toThrow('not valid');
  });

  it('claims an idempotency key once, and stores the answer', async () => {
    const store = new IdempotencyStore(dataSource.getRepository(IdempotencyRecordEntity));
    const record = { scope: 's', idempotencyKey: 'k', fingerprint: 'f'.repeat(64), clientOrderId: 'gw-1', brokerId: 'kis' };
    expect(await store.claim(record)).toBe(true);
    expect(await store.claim(record)).toBe(false);
    await store.complete('s', 'k', 201, { id: '1' });
    const stored = await store.find('s', 'k');
    expect(stored).toMatchObject({ state: 'COMPLETED', statusCode: 201, responseBody: '{"id":"1"}' });
    expect(stored?.createdAt).toBeInstanceOf(Date);
  });

  it('upserts cached candles by (broker, symbol, timeframe, bar) and reads a range back, decimals intact', async () => {
    const cache = new CandleCache(dataSource.getRepository(CandleCacheEntity));
    const bar = (hour: number, close: string) =>
      new Candle({ symbol: '005930', timeframe: '60m', timestamp: new Date(Date.UTC(2024, 1, 5, hour)), open: '71500', high: '72000.5', low: '71000', close, volume: 12_345_678_901 });
    await cache.store('kis', [bar(0, '71800'), bar(1, '71900')]);
    await cache.store('kis', [bar(1, '71950.25')]);
    const found = await cache.find('kis', '005930', '60m', new Date(Date.UTC(2024, 1, 5, 0)), new Date(Date.UTC(2024, 1, 5, 1)));
    expect(found.map((candle) => candle.toJSON())).toEqual([bar(0, '71800').toJSON(), bar(1, '71950.25').toJSON()]);
  });

  it('reverts the migrations', async () => {
    for (let undone = 0; undone < GATEWAY_DATABASE.migrations.length; undone += 1) await dataSource.undoLastMigration();
    const tables: Array<{ table_name: string }> = await dataSource.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((table) => table.table_name)).toEqual(['migrations']);
  });
});
