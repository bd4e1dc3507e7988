import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * API keys, idempotency records and the candle cache. Written with TypeORM's schema builder and only the
 * column types both drivers share (varchar, integer, bigint, text), so the same migration runs on SQLite
 * and PostgreSQL.
 */
export class InitialSchema1730000000000 implements MigrationInterface {
  readonly name = 'InitialSchema1730000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'scopes', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'bigint' },
          { name: 'revoked_at', type: 'bigint', isNullable: true },
        ],
        uniques: [{ name: 'UQ_api_keys_key_hash', columnNames: ['key_hash'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_records',
        columns: [
          { name: 'scope', type: 'varchar', length: '64', isPrimary: true },
          { name: 'idempotency_key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'client_order_id', type: 'varchar', length: '64' },
          { name: 'broker_id', type: 'varchar', length: '64' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'candle_cache',
        columns: [
          { name: 'broker_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'symbol', type: 'varchar', length: '6', isPrimary: true },
          { name: 'timeframe', type: 'varchar', length: '4', isPrimary: true },
          { name: 'bar_time', type: 'bigint', isPrimary: true },
          { name: 'open', type: 'varchar', length: '32' },
          { name: 'high', type: 'varchar', length: '32' },
          { name: 'low', type: 'varchar', length: '32' },
          { name: 'close', type: 'varchar', length: '32' },
          { name: 'volume', type: 'bigint' },
          { name: 'fetched_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('candle_cache');
    await queryRunner.dropTable('idempotency_records');
    await queryRunner.dropTable('api_keys');
  }
}
