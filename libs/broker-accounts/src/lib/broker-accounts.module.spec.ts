import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccountType, BrokerType, type BrokerConfig } from '@qts/broker-domain';
import { PlatformConfigModule, type PlatformConfig } from '@qts/platform-config';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AccountDirectory } from './account-directory';
import { BrokerAccountsModule } from './broker-accounts.module';
import { runtimeAccountEntity } from './runtime-account.entity';
import { runtimeAccountsTable } from './runtime-accounts-table';

const Entity = runtimeAccountEntity('module_accounts');

class CreateModuleAccounts1700000000000 implements MigrationInterface {
  readonly name = 'CreateModuleAccounts1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(runtimeAccountsTable('module_accounts'));
  }
  async down(): Promise<void> {
    return undefined;
  }
}

describe('BrokerAccountsModule', () => {
  it("provides the service's AccountDirectory over its own table, loaded before the application starts", async () => {
    const dataSource = await openServiceDataSource(
      serviceDataSourceOptions('sqlite::memory:', { defaultSqliteFile: '', entities: [Entity], migrations: [CreateModuleAccounts1700000000000] }),
    );
    await dataSource.getRepository(Entity).insert({
      brokerId: 'kis',
      accountId: '5555',
      name: 'stored before start',
      type: 'PAPER',
      active: true,
      addedBy: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      deactivatedAt: null,
    });

    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
    class TestDatabaseModule {}

    const broker = {
      id: 'kis',
      type: BrokerType.KIS,
      grpc: { host: '127.0.0.1', port: 1 },
      rateLimit: { rules: [] },
      required: false,
      mock: false,
      accounts: [{ id: '50012345-01', name: 'paper', type: AccountType.PAPER, isDefault: true }],
    } as BrokerConfig;
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformConfigModule.forRoot({ config: { brokers: [broker], accountsRefreshMs: 60_000 } as PlatformConfig }),
        TestDatabaseModule,
        BrokerAccountsModule.forRoot({ entity: Entity }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const directory = app.get(AccountDirectory);
      expect(directory.findAccount('kis', '5555')).toMatchObject({ name: 'stored before start' });
      expect(directory.list().map((account) => account.source)).toEqual(['config', 'runtime']);
    } finally {
      await app.close();
      await dataSource.destroy();
    }
  });
});
