import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * What was sent for each order, beside its send time (`submitted_at`): side, type, quantity and price (with the
 * account and symbol the orders table already has). Brokers without a client order id (KIS and Kiwoom REST) find an
 * order whose outcome is unknown by matching these against their daily order list, also after a restart. And the
 * operator flag of an order the worker cannot settle on its own (AMBIGUOUS_MATCH: several broker orders match).
 * Nullable: orders stored before this migration have the intent's fields to fall back on.
 */
export class AddPlacedOrderDescription1767571200000 implements MigrationInterface {
  readonly name = 'AddPlacedOrderDescription1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('orders', [
      new TableColumn({ name: 'side', type: 'varchar', length: '8', isNullable: true }),
      new TableColumn({ name: 'order_type', type: 'varchar', length: '8', isNullable: true }),
      new TableColumn({ name: 'quantity', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'price', type: 'varchar', length: '40', isNullable: true }),
      new TableColumn({ name: 'operator_flag', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['operator_flag', 'price', 'quantity', 'order_type', 'side']) {
      await queryRunner.dropColumn('orders', column);
    }
  }
}
