import { Inject, Injectable } from '@nestjs/common';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { databaseTimestamp } from './database-clock';
import { WorkerLeaseEntity } from './entities/worker-lease.entity';
import { UnitOfWork } from './unit-of-work';
import { WORKER_INSTANCE, type WorkerInstance } from './worker-instance';

/**
 * This worker's lease (worker_leases), the proof to the other workers on the database that it still owns its
 * intents: written at start, renewed by a heartbeat, removed when it stops cleanly. Expiry is on the database's clock.
 */
@Injectable()
export class WorkerLeases {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(WORKER_INSTANCE) private readonly self: WorkerInstance,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  get instance(): WorkerInstance {
    return this.self;
  }

  /** Writes this worker's lease (again, if it was removed), valid for leaseTtlMs from now. */
  async register(): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await manager.createQueryBuilder().delete().from(WorkerLeaseEntity).where('instance_id = :id', { id: this.self.id }).execute();
      await manager
        .createQueryBuilder()
        .insert()
        .into(WorkerLeaseEntity)
        .values({
          instanceId: this.self.id,
          host: this.self.host,
          pid: this.self.pid,
          startedAt: () => databaseTimestamp(manager),
          expiresAt: () => databaseTimestamp(manager, this.settings.leaseTtlMs),
        })
        .execute();
    });
  }

  /**
   * Extends the lease by leaseTtlMs. False when it was gone (another worker found it expired: this worker was silent
   * too long, and its intents may have been taken over): it is written again, for the intents it still owns.
   */
  async renew(): Promise<boolean> {
    const renewed = await this.unitOfWork.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(WorkerLeaseEntity)
        .set({ expiresAt: () => databaseTimestamp(manager, this.settings.leaseTtlMs) })
        .where('instance_id = :id', { id: this.self.id })
        .execute();
      return (result.affected ?? 0) > 0;
    });
    if (!renewed) await this.register();
    return renewed;
  }

  /** Removes the lease: every intent this worker still owns may be taken over at once. */
  async release(): Promise<void> {
    await this.unitOfWork.run((manager) =>
      manager.createQueryBuilder().delete().from(WorkerLeaseEntity).where('instance_id = :id', { id: this.self.id }).execute(),
    );
  }
}
