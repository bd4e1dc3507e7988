import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RateLimitHealthIndicator } from '@qts/broker-grpc';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { DatabaseModule } from '../database/database.module';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), BrokerAccessModule, DatabaseModule],
  controllers: [HealthController],
  providers: [BrokerHealthIndicator, DatabaseHealthIndicator, RateLimitHealthIndicator],
  exports: [BrokerHealthIndicator],
})
export class HealthModule {}
