import type { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Instants are stored as RFC 3339 UTC text with milliseconds ("2024-01-02T00:00:00.000Z"), in every table of every
 * service: the same column type on SQLite and PostgreSQL, readable in a SQL shell, and ordered as text exactly as
 * in time (fixed width, one zone). Entities see Date.
 */
export const isoTimestampTransformer: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null | undefined) => (value === null || value === undefined ? null : new Date(value)),
};

/** Column options of an instant: `@Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })`. */
export const ISO_TIMESTAMP_COLUMN: Pick<ColumnOptions, 'type' | 'length' | 'transformer'> = Object.freeze({
  type: 'varchar',
  length: 32,
  transformer: isoTimestampTransformer,
});

/** The same column in a migration's TableColumnOptions. */
export const ISO_TIMESTAMP_TABLE_COLUMN = Object.freeze({ type: 'varchar', length: '32' } as const);

/**
 * node-postgres returns int8 as a string (it may exceed 2^53); counts and quantities never do, so they are read as
 * numbers on every driver.
 */
export const bigintNumberTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value)),
};

/** A 64-bit integer column read as a JS number: `@Column({ name: 'quantity', ...BIGINT_NUMBER_COLUMN })`. */
export const BIGINT_NUMBER_COLUMN: Pick<ColumnOptions, 'type' | 'transformer'> = Object.freeze({
  type: 'bigint',
  transformer: bigintNumberTransformer,
});
