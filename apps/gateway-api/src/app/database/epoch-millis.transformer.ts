import type { ValueTransformer } from 'typeorm';

/**
 * Instants are stored as bigint milliseconds since the epoch: one column type that sorts and compares the
 * same on SQLite and PostgreSQL. PostgreSQL hands bigint back as a string, SQLite as a number.
 */
export const epochMillisTransformer: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null) => (value === null || value === undefined ? null : new Date(Number(value))),
};

/** bigint counts (candle volume) as JS numbers; they stay well inside Number.MAX_SAFE_INTEGER. */
export const bigintNumberTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
