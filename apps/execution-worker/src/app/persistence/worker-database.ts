import type { ServiceDatabaseOptions } from '@qts/service-infra';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';
import { AddIntentExpiry1767484800000 } from './migrations/1767484800000-add-intent-expiry';
import { AddPlacedOrderDescription1767571200000 } from './migrations/1767571200000-add-placed-order-description';

/** The worker's tables and migrations; its own SQLite file when DATABASE_URL is unset (never the gateway's). */
export const WORKER_DATABASE: ServiceDatabaseOptions = {
  defaultSqliteFile: 'data/worker.sqlite',
  entities: [IntentEntity, OrderEntity, OrderEventEntity],
  migrations: [CreateExecutionTables1767225600000, AddIntentExpiry1767484800000, AddPlacedOrderDescription1767571200000],
  migrationsTableName: 'worker_migrations',
};
