import { Table } from 'typeorm';
import { ISO_TIMESTAMP_TABLE_COLUMN } from '../database/iso-timestamp-column';

/**
 * A key table of StoredApiKey's columns as a migration creates it (only column types both drivers share), for the
 * migrations of the services that keep keys: `api_keys` (ApiKeyEntity) unless the service names its own. The
 * constraint is named after the table: PostgreSQL names live in the schema, beside another service's table.
 */
export function apiKeysTable(name = 'api_keys'): Table {
  return new Table({
    name,
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
    uniques: [{ name: `UQ_${name}_key_hash`, columnNames: ['key_hash'] }],
  });
}
