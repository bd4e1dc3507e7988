import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { migrationLockKey, MIGRATION_LOCK_NAMESPACE } from './exclusive-migrations';
import { openServiceDataSource, serviceDataSourceOptions } from './service-data-source';
import { MigrationRunProbe, slowMigrations } from '../../../test/slow-migrations';

describe('migrations at start-up, one process at a time (SQLite)', () => {
  let scratch: string;
  const opened: DataSource[] = [];

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'exclusive-migrations-'));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets one of several data sources opening the same file at once run the migrations, the others wait and find them done', async () => {
    const probe = new MigrationRunProbe();
    const url = `sqlite:${join(scratch, 'service.sqlite')}`;
    const options = serviceDataSourceOptions(url, { defaultSqliteFile: 'unused', entities: [], migrations: slowMigrations(probe) });

    opened.push(...(await Promise.all([1, 2, 3].map(() => openServiceDataSource(options)))));

    expect(probe.summary()).toEqual({ runs: 2, mostAtOnce: 1 });
    expect(await opened[2].query('SELECT name FROM migrations ORDER BY id')).toEqual([
      { name: 'SlowFirst1700000000001' },
      { name: 'SlowSecond1700000000002' },
    ]);
    expect(existsSync(join(scratch, 'service.sqlite.migrations-lock'))).toBe(true);
  });

  it('releases the lock when a migration fails, so that the next start can run them', async () => {
    const url = `sqlite:${join(scratch, 'service.sqlite')}`;
    const failing = serviceDataSourceOptions(url, { defaultSqliteFile: 'unused', entities: [], migrations: [FailingMigration1700000000003] });
    await expect(openServiceDataSource(failing)).rejects.toThrow('the migration failed');

    const probe = new MigrationRunProbe();
    const fixed = serviceDataSourceOptions(url, { defaultSqliteFile: 'unused', entities: [], migrations: slowMigrations(probe) });
    opened.push(await openServiceDataSource(fixed));
    expect(probe.summary()).toEqual({ runs: 2, mostAtOnce: 1 });
  });

  it('runs the migrations of an in-memory database without a lock file', async () => {
    const probe = new MigrationRunProbe();
    opened.push(
      await openServiceDataSource(
        serviceDataSourceOptions('sqlite::memory:', { defaultSqliteFile: 'unused', entities: [], migrations: slowMigrations(probe) }),
      ),
    );
    expect(probe.summary()).toEqual({ runs: 2, mostAtOnce: 1 });
  });
});

describe('migrationLockKey', () => {
  it('gives each migrations table its own PostgreSQL advisory lock, in the platform namespace', () => {
    const gateway = migrationLockKey('migrations');
    const worker = migrationLockKey('worker_migrations');
    expect(gateway[0]).toBe(MIGRATION_LOCK_NAMESPACE);
    expect(worker[0]).toBe(MIGRATION_LOCK_NAMESPACE);
    expect(gateway[1]).not.toBe(worker[1]);
    expect(migrationLockKey('migrations')).toEqual(gateway);
    for (const [, key] of [gateway, worker]) expect(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31).toBe(true);
  });
});

class FailingMigration1700000000003 implements MigrationInterface {
  readonly name = 'FailingMigration1700000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_done (id integer)');
    throw new Error('the migration failed');
  }

  async down(): Promise<void> {
    // Never applied.
  }
}
