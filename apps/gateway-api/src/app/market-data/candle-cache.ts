import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Candle, type Timeframe } from '@qts/broker-domain';
import { Between, Repository } from 'typeorm';
import { CandleCacheEntity } from './candle-cache.entity';

/** Rows per INSERT: 10 columns x 400 stays far below SQLite's bound-parameter limit. */
const UPSERT_BATCH = 400;

/** Candles fetched from brokers, kept for offline mode. Decimals stay strings end to end. */
@Injectable()
export class CandleCache {
  private readonly logger = new Logger(CandleCache.name);

  constructor(@InjectRepository(CandleCacheEntity) private readonly rows: Repository<CandleCacheEntity>) {}

  /**
   * Stores (or refreshes) candles. A failure is logged, never thrown: the caller already has the broker's
   * answer and the cache is only a fallback.
   */
  async store(brokerId: string, candles: readonly Candle[]): Promise<void> {
    if (candles.length === 0) return;
    const fetchedAt = new Date();
    try {
      await this.rows.manager.transaction(async (manager) => {
        for (let index = 0; index < candles.length; index += UPSERT_BATCH) {
          const batch = candles.slice(index, index + UPSERT_BATCH).map((candle) => {
            const json = candle.toJSON();
            return {
              brokerId,
              symbol: candle.symbol,
              timeframe: candle.timeframe,
              barTime: candle.timestamp,
              open: json.open,
              high: json.high,
              low: json.low,
              close: json.close,
              volume: candle.volume,
              fetchedAt,
            };
          });
          await manager.upsert(CandleCacheEntity, batch, ['brokerId', 'symbol', 'timeframe', 'barTime']);
        }
      });
    } catch (error) {
      this.logger.warn(`could not cache ${candles.length} candles of ${brokerId}: ${(error as Error).message}`);
    }
  }

  /** Cached candles whose bar starts in [start, end], oldest first. */
  async find(brokerId: string, symbol: string, timeframe: Timeframe, start: Date, end: Date): Promise<Candle[]> {
    const rows = await this.rows.find({
      where: { brokerId, symbol, timeframe, barTime: Between(start, end) },
      order: { barTime: 'ASC' },
    });
    return rows.map(
      (row) =>
        new Candle({
          symbol: row.symbol,
          timeframe,
          timestamp: row.barTime,
          open: row.open,
          high: row.high,
          low: row.low,
          close: row.close,
          volume: row.volume,
        }),
    );
  }
}
