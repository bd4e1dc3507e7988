import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumberTransformer, epochMillisTransformer } from '../database/epoch-millis.transformer';

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
  @PrimaryColumn({ name: 'bar_time', type: 'bigint', transformer: epochMillisTransformer })
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

  @Column({ type: 'bigint', transformer: bigintNumberTransformer })
  volume!: number;

  @Column({ name: 'fetched_at', type: 'bigint', transformer: epochMillisTransformer })
  fetchedAt!: Date;
}
