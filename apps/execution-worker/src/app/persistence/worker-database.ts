import type { ServiceDatabaseOptions } from '@qts/service-infra';
import { WorkerAccountEntity } from '../accounts/worker-account.entity';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { WorkerApiKeyEntity } from './entities/worker-api-key.entity';
import { WorkerLeaseEntity } from './entities/worker-lease.entity';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';
import { WorkerLeases1767312000000 } from './migrations/1767312000000-worker-leases';
import { AddIntentExpiry1767484800000 } from './migrations/1767484800000-add-intent-expiry';
import { AddPlacedOrderDescription1767571200000 } from './migrations/1767571200000-add-placed-order-description';
import { CreateApiKeys1800000000100 } from './migrations/1800000000100-create-api-keys';
import { WorkerAccounts1800000001100 } from './migrations/1800000001100-worker-accounts';

/**
 * The worker's tables and migrations (intents, orders, order events, and its API keys); its own SQLite file when
 * DATABASE_URL is unset (never the gateway's).
 */
export const WORKER_DATABASE: ServiceDatabaseOptions = {
  defaultSqliteFile: 'data/worker.sqlite',
  entities: [IntentEntity, OrderEntity, OrderEventEntity, WorkerLeaseEntity, WorkerApiKeyEntity, WorkerAccountEntity],
  // In timestamp order: TypeORM runs them in this order and reverts from the end.
  migrations: [
    CreateExecutionTables1767225600000,
    WorkerLeases1767312000000,
    AddIntentExpiry1767484800000,
    AddPlacedOrderDescription1767571200000,
    CreateApiKeys1800000000100,
    WorkerAccounts1800000001100,
  ],
  migrationsTableName: 'worker_migrations',
  // Its group commit syncs the WAL off the event loop before anything acts on a commit (UnitOfWork).
  sqliteSynchronous: 'NORMAL',
};
