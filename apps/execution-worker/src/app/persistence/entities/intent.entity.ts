import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BIGINT_NUMBER_COLUMN, ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/**
 * An execution intent as received, and the answer the worker gave. Stored BEFORE any broker call; the unique
 * intent_id is what makes a repeated intent return the first result instead of placing a second order.
 */
@Entity({ name: 'intents' })
@Unique('UQ_intents_intent_id', ['intentId'])
export class IntentEntity {
  /** Arrival order: start-up recovery replays unfinished intents in this order. */
  @PrimaryGeneratedColumn('increment', { name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'intent_id', type: 'varchar', length: 128 })
  intentId!: string;

  @Column({ name: 'strategy_id', type: 'varchar', length: 128 })
  strategyId!: string;

  @Column({ name: 'broker_id', type: 'varchar', length: 64 })
  brokerId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId!: string;

  @Column({ name: 'symbol', type: 'varchar', length: 16 })
  symbol!: string;

  @Column({ name: 'side', type: 'varchar', length: 8 })
  side!: string;

  @Column({ name: 'quantity', ...BIGINT_NUMBER_COLUMN })
  quantity!: number;

  @Column({ name: 'order_type', type: 'varchar', length: 8 })
  orderType!: string;

  /** Decimal string; null for MARKET. */
  @Column({ name: 'limit_price', type: 'varchar', length: 40, nullable: true })
  limitPrice!: string | null;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  /** null until the intent is answered. */
  @Column({ name: 'accepted', type: 'boolean', nullable: true })
  accepted!: boolean | null;

  /** The engine that answered: 'live', 'noop', 'failsafe' (the response's `broker`). */
  @Column({ name: 'handled_by', type: 'varchar', length: 32, nullable: true })
  handledBy!: string | null;

  @Column({ name: 'fail_safe_code', type: 'varchar', length: 8, nullable: true })
  failSafeCode!: string | null;

  @Column({ name: 'message', type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'created_at', ...ISO_TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'answered_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
  answeredAt!: Date | null;

  /**
   * After this the order must not be sent any more (it is refused as expired). null for a dry run, and for intents
   * stored before expiry existed (they get their order type's default, counted from created_at).
   */
  @Column({ name: 'expires_at', ...ISO_TIMESTAMP_COLUMN, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'updated_at', ...ISO_TIMESTAMP_COLUMN })
  updatedAt!: Date;
}
