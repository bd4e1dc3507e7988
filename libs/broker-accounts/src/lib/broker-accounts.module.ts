import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { DataSource } from 'typeorm';
import { AccountDirectory } from './account-directory';
import type { RuntimeAccountEntityClass } from './runtime-account.entity';
import { RuntimeAccountStore } from './runtime-account-store';

export interface BrokerAccountsModuleOptions {
  /** The service's runtime-accounts entity (runtimeAccountEntity('<service>_accounts')), listed in its database. */
  entity: RuntimeAccountEntityClass;
}

/** Reads the accounts before the service takes work, and stops the refresh on shutdown. */
@Injectable()
class AccountDirectoryLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(AccountDirectory) private readonly directory: AccountDirectory) {}

  onModuleInit(): Promise<void> {
    return this.directory.start();
  }

  onApplicationShutdown(): void {
    this.directory.stop();
  }
}

/**
 * The AccountDirectory of a service: the brokers of the platform configuration with their configured accounts and
 * the accounts added at run time, kept in the service's own table and read again every ACCOUNTS_REFRESH_MS.
 */
@Module({})
export class BrokerAccountsModule {
  static forRoot(options: BrokerAccountsModuleOptions): DynamicModule {
    return {
      module: BrokerAccountsModule,
      global: true,
      providers: [
        {
          provide: AccountDirectory,
          inject: [PLATFORM_CONFIG, DataSource],
          useFactory: (config: PlatformConfig, dataSource: DataSource) => {
            const logger = new Logger('AccountDirectory');
            return new AccountDirectory(config.brokers, new RuntimeAccountStore(dataSource.getRepository(options.entity)), {
              refreshMs: config.accountsRefreshMs ?? DEFAULT_ACCOUNTS_REFRESH_MS,
              warn: (message) => logger.warn(message),
            });
          },
        },
        AccountDirectoryLifecycle,
      ],
      exports: [AccountDirectory],
    };
  }
}

/** How often runtime accounts are read again when the configuration does not say (ACCOUNTS_REFRESH_MS). */
export const DEFAULT_ACCOUNTS_REFRESH_MS = 2_000;
