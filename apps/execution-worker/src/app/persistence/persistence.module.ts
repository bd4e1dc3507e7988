import { Module } from '@nestjs/common';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { ExecutionStore } from './execution-store';
import { UnitOfWork } from './unit-of-work';

/**
 * The worker's persistence over the service database (DatabaseModule of the service kit, migrated before anything
 * else starts and closed last): the ExecutionStore and the report bus it publishes committed changes to.
 */
@Module({
  providers: [UnitOfWork, ExecutionReportBus, ExecutionStore],
  exports: [ExecutionStore, ExecutionReportBus],
})
export class PersistenceModule {}
