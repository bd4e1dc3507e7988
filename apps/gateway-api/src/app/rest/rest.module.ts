import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { MarketDataModule } from '../market-data/market-data.module';
import { OrdersModule } from '../orders/orders.module';
import { AccountsController } from './accounts.controller';
import { BrokersController } from './brokers.controller';
import { MarketDataController } from './market-data.controller';
import { OrdersController } from './orders.controller';
import { RuntimeAccountsController } from './runtime-accounts.controller';

/** The REST API under /api/v1. */
@Module({
  imports: [BrokerAccessModule, MarketDataModule, AccountsModule, OrdersModule],
  controllers: [BrokersController, MarketDataController, AccountsController, RuntimeAccountsController, OrdersController],
})
export class RestModule {}
