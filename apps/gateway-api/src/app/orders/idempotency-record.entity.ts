import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/**
 * PENDING: a request holds the key and is talking to the broker. COMPLETED: `statusCode` and `responseBody`
 * are the answer every repeat gets. UNKNOWN: the broker may or may not have the order; a repeat reconciles
 * by clientOrderId before it sends anything.
 */
export type IdempotencyState = 'PENDING' | 'COMPLETED' | 'UNKNOWN';

/** An Idempotency-Key of one API key (keys are scoped per API key) and what it produced. */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecordEntity {
  /** The API key id the Idempotency-Key belongs to. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  scope!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  /** Hex SHA-256 of the canonical request; another request under the same key is a conflict. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: IdempotencyState;

  /** Sent to the broker as client_order_id: the broker itself refuses a second order with it. */
  @Column({ name: 'client_order_id', type: 'varchar', length: 64 })
  clientOrderId!: string;

  @Column({ name: 'broker_id', type: 'varchar', length: 64 })
  brokerId!: string;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  /** JSON of the stored answer. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...ISO_TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
