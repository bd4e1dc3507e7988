import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The strategy binding of API keys (`strategy_ids`, a JSON array), a column of the key store every service shares.
 * Gateway keys are never bound to strategies: existing rows keep NULL.
 */
export class ApiKeyStrategies1800000000000 implements MigrationInterface {
  readonly name = 'ApiKeyStrategies1800000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('api_keys', new TableColumn({ name: 'strategy_ids', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('api_keys', 'strategy_ids');
  }
}
