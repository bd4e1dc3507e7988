import { runtimeAccountEntity } from '@qts/broker-accounts';

/** The worker's accounts added at run time: its own table, shared by every worker replica of its database. */
export const WorkerAccountEntity = runtimeAccountEntity('worker_accounts');
