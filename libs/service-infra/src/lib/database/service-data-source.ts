import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { resolveDatabaseTarget } from './database-target';
import { runMigrationsExclusively } from './exclusive-migrations';

/** What differs between the services' databases. */
export interface ServiceDatabaseOptions {
  /** Used when DATABASE_URL is unset, relative to the working directory, e.g. 'data/gateway.sqlite'. */
  defaultSqliteFile: string;
  entities: Array<new (...args: never[]) => object>;
  /** In order. Classes, not globs: a webpack bundle has no migration files on disk. */
  migrations: Array<new () => MigrationInterface>;
  /** Default 'migrations'. */
  migrationsTableName?: string;
  /**
   * SQLite only. FULL (default): every COMMIT is synced to disk before it returns, blocking the process meanwhile.
   * NORMAL: a COMMIT survives a killed process but not yet a power loss, until the service syncs the WAL itself
   * (the execution worker's group commit does so off the event loop before anyone acts on what was committed).
   */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

/**
 * TypeORM options of a service's database for a DATABASE_URL. Migrations run at start-up (openServiceDataSource),
 * one process at a time, each migration in its own transaction; `synchronize` stays off, so the schema only ever changes through a reviewed migration.
 * SQLite: WAL (readers never block the writer), synchronous=FULL unless the service syncs the WAL itself (a committed
 * row survives power loss, not only a killed process), foreign keys enforced, and a 10 s busy timeout for a second
 * process on the same file.
 */
export function serviceDataSourceOptions(
  databaseUrl: string | undefined,
  options: ServiceDatabaseOptions,
  cwd: string = process.cwd(),
): DataSourceOptions {
  const target = resolveDatabaseTarget(databaseUrl, options.defaultSqliteFile, cwd);
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    migrationsTableName: options.migrationsTableName ?? 'migrations',
    synchronize: false,
    logging: false,
  };
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres', url: target.url, poolSize: 10 };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: target.database,
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      if (target.database !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
      db.pragma('foreign_keys = ON');
    },
    timeout: 10_000,
  };
}

/**
 * Creates the SQLite folder if needed (a fresh checkout has no data/), connects, and runs the pending migrations
 * (when `migrationsRun`) under a lock shared by every process on the same database (runMigrationsExclusively):
 * replicas that start together never run one twice.
 */
export async function openServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    mkdirSync(dirname(options.database), { recursive: true });
  }
  // TypeORM's own migrationsRun would run them at initialize(), outside any lock.
  const dataSource = new DataSource({ ...options, migrationsRun: false } as DataSourceOptions);
  await dataSource.initialize();
  if (options.migrationsRun === true) {
    try {
      await runMigrationsExclusively(dataSource);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}
