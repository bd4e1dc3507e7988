import { DataSource } from 'typeorm';
import { workerDataSourceOptions } from './worker-data-source-options';

/**
 * The standalone data source for the TypeORM CLI, e.g.
 * `npx typeorm-ts-node-commonjs migration:show -d apps/execution-worker/src/app/persistence/data-source.ts`.
 * The worker itself runs the same migrations at start-up.
 */
export default new DataSource(workerDataSourceOptions(process.env['DATABASE_URL']?.trim() || undefined));
