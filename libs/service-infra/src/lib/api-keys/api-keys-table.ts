import { Table } from 'typeorm';
import { ISO_TIMESTAMP_TABLE_COLUMN } from '../database/iso-timestamp-column';

/**
 * The `api_keys` table of ApiKeyEntity as a migration creates it (only column types both drivers share), for the
 * migrations of the services that keep keys.
 */
export function apiKeysTable(): Table {
  return new Table({
    name: 'api_keys',
    columns: [
      { name: 'id', type: 'varchar', length: '36', isPrimary: true },
      { name: 'name', type: 'varchar', length: '100' },
      { name: 'key_hash', type: 'varchar', length: '64' },
      { name: 'key_prefix', type: 'varchar', length: '16' },
      { name: 'scopes', type: 'varchar', length: '64' },
      { name: 'strategy_ids', type: 'text', isNullable: true },
      { name: 'created_at', ...ISO_TIMESTAMP_TABLE_COLUMN },
      { name: 'revoked_at', ...ISO_TIMESTAMP_TABLE_COLUMN, isNullable: true },
    ],
    uniques: [{ name: 'UQ_api_keys_key_hash', columnNames: ['key_hash'] }],
  });
}
