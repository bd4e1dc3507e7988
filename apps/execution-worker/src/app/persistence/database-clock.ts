import type { EntityManager } from 'typeorm';

/**
 * The database server's clock as RFC 3339 UTC text with milliseconds, the format of every timestamp column, so that
 * leases written by one worker and read by another compare on one clock whatever the workers' own clocks say.
 * `plusMs` is a validated integer setting, never input.
 */
export function databaseTimestamp(manager: EntityManager, plusMs = 0): string {
  if (!Number.isSafeInteger(plusMs)) throw new RangeError(`not a whole number of milliseconds: ${plusMs}`);
  if (manager.connection.options.type === 'postgres') {
    return `to_char((clock_timestamp() + interval '${plusMs} milliseconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '${plusMs / 1000} seconds')`;
}
