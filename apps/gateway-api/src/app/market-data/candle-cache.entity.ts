import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER_COLUMN, ISO_TIMESTAMP_COLUMN } from '@qts/service-infra';

/** One candle as last fetched from a broker: what offline mode serves while the broker is unavailable. */
@Entity({ name: 'candle_cache' })
export class CandleCacheEntity {
  @PrimaryColumn({ name: 'broker_id', type: 'varchar', length: 64 })
  brokerId!: string;

  @PrimaryColumn({ type: 'varchar', length: 6 })
  symbol!: string;

  @PrimaryColumn({ type: 'varchar', length: 4 })
  timeframe!: string;

  /** Start of the bar. */
  @PrimaryColumn({ name: 'bar_time', ...ISO_TIMESTAMP_COLUMN })
  barTime!: Date;

  // Decimal strings, exactly as the broker sent them: never floats.
  @Column({ type: 'varchar', length: 32 })
  open!: string;

  @Column({ type: 'varchar', length: 32 })
  high!: string;

  @Column({ type: 'varchar', length: 32 })
  low!: string;

  @Column({ type: 'varchar', length: 32 })
  close!: string;

  @Column({ ...BIGINT_NUMBER_COLUMN })
  volume!: number;

  @Column({ name: 'fetched_at', ...ISO_TIMESTAMP_COLUMN })
  fetchedAt!: Date;
}
