import { Module } from '@nestjs/common';
import { ConsoleUiModule } from '@qts/console-ui';
import { AccountsModule } from '../accounts/accounts.module';
import { BrokerAccessModule } from '../brokers/broker-access.module';
import { SecurityModule } from '../security/security.module';
import { ConsoleBalances } from './console-balances';
import { ConsoleSnapshotService } from './console-snapshot.service';
import { DashboardController } from './dashboard.controller';

@Module({
  imports: [BrokerAccessModule, AccountsModule, SecurityModule, ConsoleUiModule.forPage('gateway')],
  controllers: [DashboardController],
  providers: [ConsoleBalances, ConsoleSnapshotService],
})
export class DashboardModule {}
