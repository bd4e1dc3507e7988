import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens the database and brings its schema up to date (migrationsRun). For SQLite the folder of the file is created
 * first: better-sqlite3 creates the file, not its folder (a fresh checkout has no data/).
 */
export async function openWorkerDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    mkdirSync(dirname(options.database), { recursive: true });
  }
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  return dataSource;
}
