import { API_KEY_ENTITIES, type ServiceDatabaseOptions } from '@qts/service-infra';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { CreateExecutionTables1767225600000 } from './migrations/1767225600000-create-execution-tables';
import { CreateApiKeys1800000000100 } from './migrations/1800000000100-create-api-keys';

/**
 * The worker's tables and migrations (intents, orders, order events, and its API keys); its own SQLite file when
 * DATABASE_URL is unset (never the gateway's).
 */
export const WORKER_DATABASE: ServiceDatabaseOptions = {
  defaultSqliteFile: 'data/worker.sqlite',
  entities: [IntentEntity, OrderEntity, OrderEventEntity, ...API_KEY_ENTITIES],
  migrations: [CreateExecutionTables1767225600000, CreateApiKeys1800000000100],
  migrationsTableName: 'worker_migrations',
};
