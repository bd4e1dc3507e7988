import type { ColumnOptions, ValueTransformer } from 'typeorm';

/** node-postgres returns int8 as a string (it may exceed 2^53); share counts never do, so read them as numbers. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** A 64-bit integer column read as a JS number on every driver (proto int64 share counts). */
export const integerColumn: Pick<ColumnOptions, 'type' | 'transformer'> = Object.freeze({
  type: 'bigint',
  transformer: bigintAsNumber,
});
