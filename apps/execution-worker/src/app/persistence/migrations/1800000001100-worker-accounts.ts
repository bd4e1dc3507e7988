import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runtimeAccountsTable } from '@qts/broker-accounts';

/** Accounts added at run time (the gateway tells every addition and deactivation, or an operator does). */
export class WorkerAccounts1800000001100 implements MigrationInterface {
  readonly name = 'WorkerAccounts1800000001100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(runtimeAccountsTable('worker_accounts'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('worker_accounts');
  }
}
