/** The intent id is already stored (another submission, possibly in another process, won the unique constraint). */
export class DuplicateIntentError extends Error {
  override readonly name = 'DuplicateIntentError';

  constructor(readonly intentId: string) {
    super(`intent '${intentId}' is already stored`);
  }
}

/** True for a unique-constraint violation of SQLite (better-sqlite3) or PostgreSQL, as TypeORM reports it. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError ?? error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
