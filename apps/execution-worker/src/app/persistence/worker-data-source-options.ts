import { isAbsolute, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';

/** The worker's own SQLite file when DATABASE_URL is unset (never the gateway's). */
export const DEFAULT_WORKER_DATABASE = 'data/worker.sqlite';

export const WORKER_ENTITIES = [IntentEntity, OrderEntity, OrderEventEntity];

/** Listed as classes, not globs: the webpack bundle has no migration files to scan. */
export const WORKER_MIGRATIONS = [CreateExecutionTables1767225600000];

/**
 * DataSource options from DATABASE_URL (validated by @qts/platform-config): `sqlite:<path>` / `file:<path>` (relative
 * to `cwd`; `sqlite::memory:` for tests) or `postgres://...`. Migrations run at start-up; the schema is never
 * synchronized from the entities.
 */
export function workerDataSourceOptions(databaseUrl: string | undefined, cwd = process.cwd()): DataSourceOptions {
  const common = {
    entities: WORKER_ENTITIES,
    migrations: WORKER_MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'worker_migrations',
    synchronize: false,
    logging: false,
  } as const;

  if (databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { ...common, type: 'postgres', url: databaseUrl, migrationsTransactionMode: 'each', poolSize: 10 };
  }

  const file = sqliteFile(databaseUrl, cwd);
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL: readers never block the writer. synchronous=FULL: a committed intent survives power loss too, not only a
    // killed process. foreign_keys: SQLite enforces them only when asked.
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      if (file !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    },
    timeout: 10_000,
  };
}

/** The file behind a sqlite:/file: URL, or the default file; ':memory:' stays as it is. */
export function sqliteFile(databaseUrl: string | undefined, cwd: string): string {
  const raw = databaseUrl === undefined ? DEFAULT_WORKER_DATABASE : databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  if (raw === ':memory:') return raw;
  if (raw.length === 0) {
    throw new Error('DATABASE_URL names no SQLite file: use sqlite:<path>');
  }
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

export function isSqlite(options: DataSourceOptions): boolean {
  return options.type === 'better-sqlite3';
}
