import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/** One account added at run time, as each service stores it in its own database. */
export interface RuntimeAccountRecord {
  id: number;
  brokerId: string;
  accountId: string;
  name: string;
  type: string;
  active: boolean;
  addedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  deactivatedAt: Date | null;
}

export type RuntimeAccountEntityClass = new () => RuntimeAccountRecord;

/**
 * The entity of a service's runtime-accounts table. Each service names its own table (`gateway_accounts`,
 * `worker_accounts`), so the two can share one PostgreSQL database without touching each other's rows.
 */
export function runtimeAccountEntity(tableName: string): RuntimeAccountEntityClass {
  @Entity({ name: tableName })
  @Unique(`UQ_${tableName}_broker_account`, ['brokerId', 'accountId'])
  class RuntimeAccountEntity implements RuntimeAccountRecord {
    @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
    id!: number;

    @Column({ name: 'broker_id', type: 'varchar', length: 64 })
    brokerId!: string;

    @Column({ name: 'account_id', type: 'varchar', length: 64 })
    accountId!: string;

    @Column({ name: 'name', type: 'varchar', length: 100 })
    name!: string;

    /** REAL or PAPER. */
    @Column({ name: 'type', type: 'varchar', length: 8 })
    type!: string;

    @Column({ name: 'active', type: 'boolean' })
    active!: boolean;

    /** The name of the API key that added (or last re-added) it. */
    @Column({ name: 'added_by', type: 'varchar', length: 100, nullable: true })
    addedBy!: string | null;

    @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
    createdAt!: Date;

    @Column({ name: 'updated_at', ...ISO_TIMESTAMP_COLUMN })
    updatedAt!: Date;

    @Column({ name: 'deactivated_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
    deactivatedAt!: Date | null;
  }
  Object.defineProperty(RuntimeAccountEntity, 'name', { value: `RuntimeAccountEntity(${tableName})` });
  return RuntimeAccountEntity;
}
