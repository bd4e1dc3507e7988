import { Table } from 'typeorm';
import { ISO_TIMESTAMP_TABLE_COLUMN } from '@qts/service-infra';

/**
 * A runtime-accounts table as a migration creates it (column types both drivers share), for the migrations of the
 * services that keep runtime accounts. Matches runtimeAccountEntity(tableName).
 */
export function runtimeAccountsTable(tableName: string): Table {
  return new Table({
    name: tableName,
    columns: [
      { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      { name: 'broker_id', type: 'varchar', length: '64' },
      { name: 'account_id', type: 'varchar', length: '64' },
      { name: 'name', type: 'varchar', length: '100' },
      { name: 'type', type: 'varchar', length: '8' },
      { name: 'active', type: 'boolean' },
      { name: 'added_by', type: 'varchar', length: '100', isNullable: true },
      { name: 'created_at', ...ISO_TIMESTAMP_TABLE_COLUMN },
      { name: 'updated_at', ...ISO_TIMESTAMP_TABLE_COLUMN },
      { name: 'deactivated_at', ...ISO_TIMESTAMP_TABLE_COLUMN, isNullable: true },
    ],
    uniques: [{ name: `UQ_${tableName}_broker_account`, columnNames: ['broker_id', 'account_id'] }],
  });
}
