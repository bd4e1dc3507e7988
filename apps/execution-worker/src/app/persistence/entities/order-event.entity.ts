import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BIGINT_NUMBER_COLUMN, ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';
import { OrderEntity } from './order.entity';

/**
 * One change of an order's state, append-only. The id is the `sequence` of the execution report streamed for it:
 * strictly increasing, also across restarts.
 */
@Entity({ name: 'order_events' })
@Index('IDX_order_events_intent_id', ['intentId'])
export class OrderEventEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'order_id', type: 'integer' })
  orderId!: number;

  @ManyToOne(() => OrderEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'order_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_order_events_order_id' })
  order?: OrderEntity;

  @Column({ name: 'intent_id', type: 'varchar', length: 128 })
  intentId!: string;

  /** null for the event that created the order. */
  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: string;

  @Column({ name: 'filled_quantity', ...BIGINT_NUMBER_COLUMN })
  filledQuantity!: number;

  @Column({ name: 'avg_fill_price', type: 'varchar', length: 40, nullable: true })
  avgFillPrice!: string | null;

  @Column({ name: 'broker_order_id', type: 'varchar', length: 64, nullable: true })
  brokerOrderId!: string | null;

  /** What caused the change: 'intent', 'broker', 'reconciliation', 'recovery', 'open_order_poll', 'expiry', 'operator'. */
  @Column({ name: 'source', type: 'varchar', length: 16 })
  source!: string;

  @Column({ name: 'message', type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;
}
