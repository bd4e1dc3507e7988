import { startPostgres, type PostgresServer } from '@qts/test-support';
import type { DataSource } from 'typeorm';
import { MigrationRunProbe, slowMigrations } from '../../../test/slow-migrations';
import { migrationLockKey } from './exclusive-migrations';
import { openServiceDataSource, serviceDataSourceOptions } from './service-data-source';

describe('migrations at start-up, one process at a time (a real PostgreSQL server)', () => {
  let postgres: PostgresServer;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  it('lets one of four data sources (four server sessions) opening an empty database at once run the migrations; the others wait for its advisory lock and find them done', async () => {
    const probe = new MigrationRunProbe();
    const url = await postgres.createDatabase('four_at_once');
    const options = serviceDataSourceOptions(url, { defaultSqliteFile: 'unused', entities: [], migrations: slowMigrations(probe) });

    opened.push(...(await Promise.all([1, 2, 3, 4].map(() => openServiceDataSource(options)))));

    expect(probe.summary()).toEqual({ runs: 2, mostAtOnce: 1 });
    expect(await opened[3].query('SELECT name FROM migrations ORDER BY id')).toEqual([
      { name: 'SlowFirst1700000000001' },
      { name: 'SlowSecond1700000000002' },
    ]);
    // Released: no session holds the lock once every data source is open.
    const [namespace, key] = migrationLockKey('migrations');
    const held = await opened[0].query(
      `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = ($2::int)::oid`,
      [namespace, key],
    );
    expect(held).toEqual([{ held: 0 }]);
  });
});
