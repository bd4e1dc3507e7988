import { Module } from '@nestjs/common';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { DashboardController } from './dashboard.controller';

@Module({ imports: [BrokerAccessModule], controllers: [DashboardController] })
export class DashboardModule {}
