import { DataSource } from 'typeorm';
import { API_KEY_ENTITIES, serviceDataSourceOptions, type ServiceDatabaseOptions } from '@qts/service-infra';
import { CandleCacheEntity } from '../market-data/candle-cache.entity';
import { IdempotencyRecordEntity } from '../orders/idempotency-record.entity';
import { InitialSchema1730000000000 } from './migrations/1730000000000-initial-schema';
import { IsoTextTimestamps1796160000000 } from './migrations/1796160000000-iso-text-timestamps';
import { ApiKeyStrategies1800000000000 } from './migrations/1800000000000-api-key-strategies';

/** The gateway's tables and migrations; its own SQLite file when DATABASE_URL is unset (never the worker's). */
export const GATEWAY_DATABASE: ServiceDatabaseOptions = {
  defaultSqliteFile: 'data/gateway.sqlite',
  entities: [...API_KEY_ENTITIES, IdempotencyRecordEntity, CandleCacheEntity],
  migrations: [InitialSchema1730000000000, IsoTextTimestamps1796160000000, ApiKeyStrategies1800000000000],
};

/**
 * The standalone data source of the TypeORM CLI (`typeorm migration:run -d .../data-source.ts`), built from
 * DATABASE_URL like the app's.
 */
export default new DataSource(serviceDataSourceOptions(process.env['DATABASE_URL'], GATEWAY_DATABASE));
