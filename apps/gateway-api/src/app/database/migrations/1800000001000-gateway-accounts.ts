import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runtimeAccountsTable } from '@qts/broker-accounts';

/** Accounts added at run time (beside those of the brokers YAML), usable at once by every replica. */
export class GatewayAccounts1800000001000 implements MigrationInterface {
  readonly name = 'GatewayAccounts1800000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(runtimeAccountsTable('gateway_accounts'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('gateway_accounts');
  }
}
