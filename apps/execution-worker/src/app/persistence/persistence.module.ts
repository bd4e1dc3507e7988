import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { DataSource } from 'typeorm';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { ExecutionStore } from './execution-store';
import { openWorkerDataSource } from './open-worker-data-source';
import { workerDataSourceOptions } from './worker-data-source-options';

/**
 * The worker's database: a standalone TypeORM DataSource (SQLite by default, PostgreSQL for postgres:// URLs) whose
 * migrations run before anything else starts, the ExecutionStore over it, and the report bus it publishes to.
 * Closed last on shutdown, after the gRPC server has drained.
 */
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [PLATFORM_CONFIG],
      useFactory: (config: PlatformConfig) => openWorkerDataSource(workerDataSourceOptions(config.databaseUrl)),
    },
    ExecutionReportBus,
    ExecutionStore,
  ],
  exports: [DataSource, ExecutionStore, ExecutionReportBus],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
