import { Module } from '@nestjs/common';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { AccountService } from './account.service';

@Module({ imports: [BrokerAccessModule], providers: [AccountService], exports: [AccountService] })
export class AccountsModule {}
