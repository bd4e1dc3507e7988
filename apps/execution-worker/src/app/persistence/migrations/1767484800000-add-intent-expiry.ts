import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Every intent gets the time after which it must not be sent (RFC 3339 UTC text, like every instant). Rows stored
 * before this migration keep NULL: the worker gives them the default expiry of their order type, counted from their
 * arrival, so an intent recovered after a long outage expires instead of firing late.
 */
export class AddIntentExpiry1767484800000 implements MigrationInterface {
  readonly name = 'AddIntentExpiry1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('intents', new TableColumn({ name: 'expires_at', type: 'varchar', length: '32', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('intents', 'expires_at');
  }
}
