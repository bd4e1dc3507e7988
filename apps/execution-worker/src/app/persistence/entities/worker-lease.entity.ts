import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/**
 * A running worker's claim on the intents it owns (intents.owner_id), renewed by its heartbeat on the database's
 * clock. A lease past `expires_at`, or of a process on this host that no longer runs, is a dead worker's: another
 * worker deletes it and takes its intents over. A worker that stops cleanly deletes its own.
 */
@Entity({ name: 'worker_leases' })
export class WorkerLeaseEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 128 })
  instanceId!: string;

  /** The host name of the process (the pod name on Kubernetes). */
  @Column({ name: 'host', type: 'varchar', length: 255 })
  host!: string;

  @Column({ name: 'pid', type: 'integer' })
  pid!: number;

  @Column({ name: 'started_at', ...ISO_TIMESTAMP_COLUMN })
  startedAt!: Date;

  @Column({ name: 'expires_at', ...ISO_TIMESTAMP_COLUMN })
  expiresAt!: Date;
}
