import { join } from 'node:path';
import { DEFAULT_WORKER_DATABASE, sqliteFile, workerDataSourceOptions } from './worker-data-source-options';

describe('workerDataSourceOptions', () => {
  it('uses its own SQLite file under data/ when DATABASE_URL is unset', () => {
    const options = workerDataSourceOptions(undefined, '/srv/qts');

    expect(options).toMatchObject({
      type: 'better-sqlite3',
      database: join('/srv/qts', DEFAULT_WORKER_DATABASE),
      migrationsRun: true,
      synchronize: false,
    });
    expect(DEFAULT_WORKER_DATABASE).toBe('data/worker.sqlite');
  });

  it('reads sqlite: and file: URLs, relative to the working directory or absolute', () => {
    expect(sqliteFile('sqlite:tmp/w.sqlite', '/srv')).toBe('/srv/tmp/w.sqlite');
    expect(sqliteFile('file:///var/lib/w.sqlite', '/srv')).toBe('/var/lib/w.sqlite');
    expect(sqliteFile('sqlite::memory:', '/srv')).toBe(':memory:');
    expect(() => sqliteFile('sqlite:', '/srv')).toThrow('DATABASE_URL names no SQLite file');
  });

  it('uses PostgreSQL for postgres:// URLs, with the same migrations and no synchronize', () => {
    const sqlite = workerDataSourceOptions('sqlite::memory:');
    const postgres = workerDataSourceOptions('postgres://worker@127.0.0.1:5432/qts');

    expect(postgres).toMatchObject({ type: 'postgres', url: 'postgres://worker@127.0.0.1:5432/qts', synchronize: false });
    expect(postgres.migrations).toBe(sqlite.migrations);
    expect(postgres.entities).toBe(sqlite.entities);
  });
});
