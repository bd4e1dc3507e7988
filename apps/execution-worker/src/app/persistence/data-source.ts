import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@qts/service-infra';
import { WORKER_DATABASE } from './worker-database';

/**
 * The standalone data source for the TypeORM CLI, e.g.
 * `npx typeorm-ts-node-commonjs migration:show -d apps/execution-worker/src/app/persistence/data-source.ts`.
 * The worker itself runs the same migrations at start-up.
 */
export default new DataSource(serviceDataSourceOptions(process.env['DATABASE_URL'], WORKER_DATABASE));
