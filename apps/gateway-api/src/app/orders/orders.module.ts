import { Module } from '@nestjs/common';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { IdempotencyStore } from './idempotency-store';
import { OrderService } from './order.service';

@Module({
  imports: [BrokerAccessModule],
  providers: [IdempotencyStore, OrderService],
  exports: [OrderService],
})
export class OrdersModule {}
