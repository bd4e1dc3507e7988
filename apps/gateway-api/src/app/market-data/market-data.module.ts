import { Module } from '@nestjs/common';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { CandleCache } from './candle-cache';
import { MarketDataService } from './market-data.service';

@Module({
  imports: [BrokerAccessModule],
  providers: [CandleCache, MarketDataService],
  exports: [MarketDataService],
})
export class MarketDataModule {}
