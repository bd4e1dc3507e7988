import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every intent gets the time after which it must not be sent (RFC 3339 UTC text, like every instant). Rows stored
 * before this migration keep NULL: the worker gives them the default expiry of their order type, counted from their
 * arrival, so an intent recovered after a long outage expires instead of firing late.
 * Plain ALTER TABLE on both databases: TypeORM's SQLite column helpers rebuild the table, which the orders' foreign
 * key on intents refuses while rows exist.
 */
export class AddIntentExpiry1767484800000 implements MigrationInterface {
  readonly name = 'AddIntentExpiry1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "intents" ADD COLUMN "expires_at" varchar(32)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "intents" DROP COLUMN "expires_at"');
  }
}
