import { isAbsolute, resolve } from 'node:path';

/** Where a service keeps its data: an SQLite file (or memory) or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: 'sqlite'; /** Absolute file path, or ':memory:'. */ database: string }
  | { kind: 'postgres'; url: string };

/**
 * Reads DATABASE_URL as validated by the platform configuration: unset -> `defaultSqliteFile` under `cwd` (each
 * service has its own); `sqlite:<path>` or `file:<path>` (relative to `cwd`; `sqlite::memory:` for a throw-away
 * database); `postgres://` / `postgresql://` -> PostgreSQL.
 */
export function resolveDatabaseTarget(
  databaseUrl: string | undefined,
  defaultSqliteFile: string,
  cwd: string = process.cwd(),
): DatabaseTarget {
  if (databaseUrl === undefined || databaseUrl.trim() === '') {
    return { kind: 'sqlite', database: resolve(cwd, defaultSqliteFile) };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { kind: 'postgres', url: databaseUrl };
  }
  const match = /^(?:sqlite|file):(?:\/\/)?(.+)$/.exec(databaseUrl);
  if (match === null) {
    throw new Error('DATABASE_URL must be sqlite:<path>, file:<path> or postgres://... (value not shown)');
  }
  const path = match[1];
  if (path === ':memory:') return { kind: 'sqlite', database: ':memory:' };
  return { kind: 'sqlite', database: isAbsolute(path) ? path : resolve(cwd, path) };
}

/** The target for log lines and start-up output: never the PostgreSQL password. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `sqlite:${target.database}`;
  const url = new URL(target.url);
  return `postgres://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
