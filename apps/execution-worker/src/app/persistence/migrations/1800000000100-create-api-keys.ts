import type { MigrationInterface, QueryRunner } from 'typeorm';
import { apiKeysTable } from '@qts/service-infra';

/**
 * The worker's own API keys (the service kit's key store): hashed, with scopes and the strategies they act for. Table
 * `worker_api_keys`, not the gateway's `api_keys`: both services may share one database.
 */
export class CreateApiKeys1800000000100 implements MigrationInterface {
  readonly name = 'CreateApiKeys1800000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(apiKeysTable('worker_api_keys'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('worker_api_keys');
  }
}
