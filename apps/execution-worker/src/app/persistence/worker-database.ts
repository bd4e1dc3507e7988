import type { ServiceDatabaseOptions } from '@qts/service-infra';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';
import { AddPlacedOrderDescription1767398400000 } from './migrations/1767398400000-add-placed-order-description';

/** The worker's tables and migrations; its own SQLite file when DATABASE_URL is unset (never the gateway's). */
export const WORKER_DATABASE: ServiceDatabaseOptions = {
  defaultSqliteFile: 'data/worker.sqlite',
  entities: [IntentEntity, OrderEntity, OrderEventEntity],
  migrations: [CreateExecutionTables1767225600000, AddPlacedOrderDescription1767398400000],
  migrationsTableName: 'worker_migrations',
};
