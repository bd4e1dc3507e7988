import { Module } from '@nestjs/common';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { ExecutionStore } from './execution-store';
import { UnitOfWork } from './unit-of-work';
import { currentWorkerInstance, WORKER_INSTANCE } from './worker-instance';

/**
 * The worker's persistence over the service database (DatabaseModule of the service kit, migrated before anything
 * else starts and closed last): the ExecutionStore, the report bus it publishes committed changes to, and this
 * process's identity as the owner of the intents it stores.
 */
@Module({
  providers: [UnitOfWork, ExecutionReportBus, ExecutionStore, { provide: WORKER_INSTANCE, useFactory: currentWorkerInstance }],
  exports: [ExecutionStore, ExecutionReportBus, UnitOfWork, WORKER_INSTANCE],
})
export class PersistenceModule {}
