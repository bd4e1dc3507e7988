import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CandleCacheEntity } from '../market-data/candle-cache.entity';
import { IdempotencyRecordEntity } from '../orders/idempotency-record.entity';
import { ApiKeyEntity } from '../security/api-key.entity';
import { resolveDatabaseTarget } from './database-target';
import { InitialSchema1730000000000 } from './migrations/1730000000000-initial-schema';

export const GATEWAY_ENTITIES = [ApiKeyEntity, IdempotencyRecordEntity, CandleCacheEntity];

/** In order. Classes, not globs: the webpack bundle has no migration files on disk. */
export const GATEWAY_MIGRATIONS = [InitialSchema1730000000000];

/**
 * The gateway's TypeORM options for a DATABASE_URL. Migrations run at start-up; `synchronize` stays off so
 * the schema only ever changes through a reviewed migration.
 */
export function gatewayDataSourceOptions(databaseUrl: string | undefined, cwd: string = process.cwd()): DataSourceOptions {
  const target = resolveDatabaseTarget(databaseUrl, cwd);
  const common = {
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres', url: target.url };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: target.database,
    // WAL lets health pings and reads proceed while a candle batch is written.
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      if (target.database !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}

export function createGatewayDataSource(databaseUrl: string | undefined, cwd?: string): DataSource {
  return new DataSource(gatewayDataSourceOptions(databaseUrl, cwd));
}

/** Creates the SQLite folder if needed, connects and runs pending migrations. */
export async function openGatewayDataSource(dataSource: DataSource): Promise<DataSource> {
  const options = dataSource.options;
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    mkdirSync(dirname(options.database), { recursive: true });
  }
  return dataSource.initialize();
}

/**
 * The standalone data source of the TypeORM CLI (`typeorm migration:run -d .../data-source.ts`), built from
 * DATABASE_URL like the app's.
 */
export default createGatewayDataSource(process.env['DATABASE_URL']);
