import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex, TableUnique } from 'typeorm';

const TIMESTAMP = { type: 'varchar', length: '32' } as const;

/**
 * The execution tables. Written with TypeORM's schema API (not raw SQL) so that one migration creates the same
 * schema on SQLite and PostgreSQL; a unit test checks that it matches the entities exactly.
 */
export class CreateExecutionTables1767225600000 implements MigrationInterface {
  readonly name = 'CreateExecutionTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'intents',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'intent_id', type: 'varchar', length: '128' },
          { name: 'strategy_id', type: 'varchar', length: '128' },
          { name: 'broker_id', type: 'varchar', length: '64' },
          { name: 'account_id', type: 'varchar', length: '64' },
          { name: 'symbol', type: 'varchar', length: '16' },
          { name: 'side', type: 'varchar', length: '8' },
          { name: 'quantity', type: 'bigint' },
          { name: 'order_type', type: 'varchar', length: '8' },
          { name: 'limit_price', type: 'varchar', length: '40', isNullable: true },
          { name: 'dry_run', type: 'boolean' },
          { name: 'accepted', type: 'boolean', isNullable: true },
          { name: 'handled_by', type: 'varchar', length: '32', isNullable: true },
          { name: 'fail_safe_code', type: 'varchar', length: '8', isNullable: true },
          { name: 'message', type: 'text', isNullable: true },
          { name: 'created_at', ...TIMESTAMP },
          { name: 'answered_at', ...TIMESTAMP, isNullable: true },
          { name: 'updated_at', ...TIMESTAMP },
        ],
        uniques: [new TableUnique({ name: 'UQ_intents_intent_id', columnNames: ['intent_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'intent_id', type: 'varchar', length: '128' },
          { name: 'client_order_id', type: 'varchar', length: '128' },
          { name: 'broker_id', type: 'varchar', length: '64' },
          { name: 'account_id', type: 'varchar', length: '64' },
          { name: 'symbol', type: 'varchar', length: '16' },
          { name: 'broker_order_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'filled_quantity', type: 'bigint', default: 0 },
          { name: 'avg_fill_price', type: 'varchar', length: '40', isNullable: true },
          { name: 'submitted_at', ...TIMESTAMP, isNullable: true },
          { name: 'message', type: 'text', isNullable: true },
          { name: 'created_at', ...TIMESTAMP },
          { name: 'updated_at', ...TIMESTAMP },
        ],
        uniques: [
          new TableUnique({ name: 'UQ_orders_intent_id', columnNames: ['intent_id'] }),
          new TableUnique({ name: 'UQ_orders_client_order_id', columnNames: ['client_order_id'] }),
        ],
        indices: [new TableIndex({ name: 'IDX_orders_status', columnNames: ['status'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_orders_intent_id',
            columnNames: ['intent_id'],
            referencedTableName: 'intents',
            referencedColumnNames: ['intent_id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'order_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'order_id', type: 'integer' },
          { name: 'intent_id', type: 'varchar', length: '128' },
          { name: 'from_status', type: 'varchar', length: '16', isNullable: true },
          { name: 'to_status', type: 'varchar', length: '16' },
          { name: 'filled_quantity', type: 'bigint' },
          { name: 'avg_fill_price', type: 'varchar', length: '40', isNullable: true },
          { name: 'broker_order_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'source', type: 'varchar', length: '16' },
          { name: 'message', type: 'text', isNullable: true },
          { name: 'created_at', ...TIMESTAMP },
        ],
        indices: [new TableIndex({ name: 'IDX_order_events_intent_id', columnNames: ['intent_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_order_events_order_id',
            columnNames: ['order_id'],
            referencedTableName: 'orders',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('order_events');
    await queryRunner.dropTable('orders');
    await queryRunner.dropTable('intents');
  }
}
