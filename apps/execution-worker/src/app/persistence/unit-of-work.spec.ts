import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { SqliteWalFlush } from './sqlite-wal-flush';
import { UnitOfWork } from './unit-of-work';
import { WORKER_DATABASE } from './worker-database';

describe('UnitOfWork on a SQLite file', () => {
  let folder: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'qts-unit-of-work-'));
    dataSource = await openServiceDataSource(serviceDataSourceOptions(`sqlite:${join(folder, 'worker.sqlite')}`, WORKER_DATABASE));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('leaves the sync to the group commit (synchronous=NORMAL) and settles a unit only after its WAL flush', async () => {
    const [{ synchronous }] = await dataSource.query('PRAGMA synchronous');
    // 1 = NORMAL: COMMIT does not wait for the disk; the unit of work syncs the WAL instead.
    expect(synchronous).toBe(1);
    let releaseFlush!: () => void;
    const flush = jest.spyOn(SqliteWalFlush.prototype, 'flush').mockImplementation(
      () => new Promise<void>((resolve) => (releaseFlush = resolve)),
    );
    const unitOfWork = new UnitOfWork(dataSource);
    let settled = false;

    const unit = unitOfWork.run((manager) => manager.query('SELECT 1 AS one')).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flush).toHaveBeenCalledTimes(1);
    expect(settled).toBe(false);

    releaseFlush();
    await unit;
    expect(settled).toBe(true);
    await unitOfWork.onApplicationShutdown();
  });

  it('syncs the real WAL file of the database', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const flush = jest.spyOn(SqliteWalFlush.prototype, 'flush');

    await unitOfWork.run((manager) => manager.query(`INSERT INTO worker_leases (instance_id, host, pid, started_at, expires_at) VALUES ('w', 'h', 1, 't', 't')`));

    await expect(flush.mock.results[0]?.value).resolves.toBeUndefined();
    await unitOfWork.onApplicationShutdown();
  });
});
