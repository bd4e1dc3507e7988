import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** First key of the PostgreSQL advisory locks the platform takes ('QTS' in ASCII): apart from other users' locks. */
export const MIGRATION_LOCK_NAMESPACE = 0x515453;
/** How often a process waiting for another one's SQLite migrations asks again. */
const SQLITE_LOCK_POLL_MS = 100;

/**
 * Runs the data source's pending migrations while holding a lock that every process migrating the same database
 * takes, so that replicas starting together never run a migration twice or interleave two migrations:
 * - PostgreSQL: a session advisory lock of this migrations table, held on a connection of its own for the whole run
 *   and released by the server if the process dies;
 * - SQLite (one host): the write lock of a small file beside the database (`<file>.migrations-lock`), taken with
 *   `BEGIN IMMEDIATE` and released on commit or when the process dies;
 * - an in-memory database belongs to one process: no lock.
 * A process that finds the lock taken logs it once and waits; it then finds the migrations applied and runs none.
 * Each migration keeps its own transaction (`migrationsTransactionMode`).
 */
export async function runMigrationsExclusively(dataSource: DataSource, logger = new Logger('Migrations')): Promise<void> {
  const options = dataSource.options;
  const transaction = options.migrationsTransactionMode ?? 'each';
  const run = async () => {
    const applied = await dataSource.runMigrations({ transaction });
    if (applied.length > 0) logger.log(`Applied ${applied.map((migration) => migration.name).join(', ')}`);
  };
  const table = options.migrationsTableName ?? 'migrations';
  if (options.type === 'postgres') {
    await withAdvisoryLock(dataSource, migrationLockKey(table), `migrations of ${table}`, logger, run);
  } else if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    await withSqliteFileLock(`${options.database}.migrations-lock`, `migrations of ${table}`, logger, run);
  } else {
    await run();
  }
}

/** The advisory lock key of a migrations table: [namespace, a 32-bit hash of the table name]. */
export function migrationLockKey(migrationsTable: string): [number, number] {
  return [MIGRATION_LOCK_NAMESPACE, createHash('sha256').update(`migrations:${migrationsTable}`).digest().readInt32BE(0)];
}

async function withAdvisoryLock(
  dataSource: DataSource,
  [namespace, key]: [number, number],
  what: string,
  logger: Logger,
  body: () => Promise<void>,
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [namespace, key])) as [
      { locked: boolean },
    ];
    if (!locked) {
      logger.log(`Waiting for another process to finish the ${what}`);
      await runner.query('SELECT pg_advisory_lock($1, $2)', [namespace, key]);
    }
    try {
      await body();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [namespace, key]);
    }
  } finally {
    await runner.release();
  }
}

async function withSqliteFileLock(lockFile: string, what: string, logger: Logger, body: () => Promise<void>): Promise<void> {
  // timeout 0: never block the event loop in SQLite's busy handler; the wait below yields between attempts.
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    let waitingLogged = false;
    for (;;) {
      try {
        lock.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        if (!waitingLogged) {
          waitingLogged = true;
          logger.log(`Waiting for another process to finish the ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, SQLITE_LOCK_POLL_MS));
      }
    }
    try {
      await body();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}
