import { Module } from '@nestjs/common';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { AccountService } from './account.service';
import { RuntimeAccountsService } from './runtime-accounts.service';
import { WorkerAccountsClient } from './worker-accounts.client';

@Module({
  imports: [BrokerAccessModule],
  providers: [AccountService, WorkerAccountsClient, RuntimeAccountsService],
  exports: [AccountService, WorkerAccountsClient, RuntimeAccountsService],
})
export class AccountsModule {}
