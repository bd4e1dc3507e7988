import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { IntentEntity } from './intent.entity';
import { BIGINT_NUMBER_COLUMN, ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/**
 * The one broker order of an intent (none for a dry run). Created PENDING together with its intent, before the
 * broker is called; `submitted_at` is written just before the call, so after a crash a PENDING order without it
 * was never sent, and one with it must be reconciled with the broker, never re-sent.
 */
@Entity({ name: 'orders' })
@Unique('UQ_orders_intent_id', ['intentId'])
@Unique('UQ_orders_client_order_id', ['clientOrderId'])
@Index('IDX_orders_status', ['status'])
export class OrderEntity {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'intent_id', type: 'varchar', length: 128 })
  intentId!: string;

  @ManyToOne(() => IntentEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'intent_id', referencedColumnName: 'intentId', foreignKeyConstraintName: 'FK_orders_intent_id' })
  intent?: IntentEntity;

  /** The idempotency key sent to the broker: the intent id. */
  @Column({ name: 'client_order_id', type: 'varchar', length: 128 })
  clientOrderId!: string;

  @Column({ name: 'broker_id', type: 'varchar', length: 64 })
  brokerId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId!: string;

  @Column({ name: 'symbol', type: 'varchar', length: 16 })
  symbol!: string;

  @Column({ name: 'broker_order_id', type: 'varchar', length: 64, nullable: true })
  brokerOrderId!: string | null;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'filled_quantity', ...BIGINT_NUMBER_COLUMN, default: 0 })
  filledQuantity!: number;

  @Column({ name: 'avg_fill_price', type: 'varchar', length: 40, nullable: true })
  avgFillPrice!: string | null;

  @Column({ name: 'submitted_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
  submittedAt!: Date | null;

  /**
   * The order as sent (with account and symbol above): brokers without a client order id are reconciled by
   * matching these. Null on orders stored before they were recorded (the intent has them).
   */
  @Column({ name: 'side', type: 'varchar', length: 8, nullable: true })
  side!: string | null;

  @Column({ name: 'order_type', type: 'varchar', length: 8, nullable: true })
  orderType!: string | null;

  @Column({ name: 'quantity', ...BIGINT_NUMBER_COLUMN, nullable: true })
  quantity!: number | null;

  /** The limit price as sent (decimal text); null for a market order. */
  @Column({ name: 'price', type: 'varchar', length: 40, nullable: true })
  price!: string | null;

  /** Why only an operator can settle this order (AMBIGUOUS_MATCH), or null. */
  @Column({ name: 'operator_flag', type: 'varchar', length: 32, nullable: true })
  operatorFlag!: string | null;

  @Column({ name: 'message', type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...ISO_TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
