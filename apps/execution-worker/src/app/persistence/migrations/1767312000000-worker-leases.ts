import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const TIMESTAMP = { type: 'varchar', length: '32' } as const;

/**
 * Ownership of intents by worker replicas: the worker_leases table and intents.owner_id (with the indexes the
 * take-over of a dead worker's intents reads). Intents stored before it have no owner: the first worker that starts
 * on the new schema takes them over. The column is added and dropped with plain ALTER TABLE, which SQLite does in
 * place (TypeORM's addColumn / dropColumn would rebuild the table under the orders' foreign key).
 */
export class WorkerLeases1767312000000 implements MigrationInterface {
  readonly name = 'WorkerLeases1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'worker_leases',
        columns: [
          { name: 'instance_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          { name: 'started_at', ...TIMESTAMP },
          { name: 'expires_at', ...TIMESTAMP },
        ],
      }),
    );
    await queryRunner.query('ALTER TABLE "intents" ADD COLUMN "owner_id" varchar(128)');
    await queryRunner.createIndex('intents', new TableIndex({ name: 'IDX_intents_owner_id', columnNames: ['owner_id'] }));
    await queryRunner.createIndex('intents', new TableIndex({ name: 'IDX_intents_answered_at', columnNames: ['answered_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('intents', 'IDX_intents_answered_at');
    await queryRunner.dropIndex('intents', 'IDX_intents_owner_id');
    await queryRunner.query('ALTER TABLE "intents" DROP COLUMN "owner_id"');
    await queryRunner.dropTable('worker_leases');
  }
}
