import type { Repository } from 'typeorm';
import type { RuntimeAccountRecord } from './runtime-account.entity';

/** The fields of an account added at run time that the store writes. */
export interface RuntimeAccountWrite {
  brokerId: string;
  accountId: string;
  name: string;
  type: string;
  addedBy: string | null;
}

/** The runtime-accounts table of one service: read in full (it holds a handful of rows), written row by row. */
export class RuntimeAccountStore {
  constructor(private readonly repository: Repository<RuntimeAccountRecord>) {}

  /** Every row, active or not, in the order they were first added. */
  listAll(): Promise<RuntimeAccountRecord[]> {
    return this.repository.find({ order: { id: 'ASC' } });
  }

  find(brokerId: string, accountId: string): Promise<RuntimeAccountRecord | null> {
    return this.repository.findOne({ where: { brokerId, accountId } });
  }

  /** Inserts a new active row; a concurrent insert of the same account fails on the unique key. */
  async insert(account: RuntimeAccountWrite, now: Date): Promise<RuntimeAccountRecord> {
    // One INSERT statement (no read first): two replicas inserting together are decided by the unique key at once.
    await this.repository.insert({ ...account, active: true, createdAt: now, updatedAt: now, deactivatedAt: null });
    return this.repository.findOneOrFail({ where: { brokerId: account.brokerId, accountId: account.accountId } });
  }

  /** Makes an inactive row active again with the details given now. */
  async reactivate(row: RuntimeAccountRecord, account: RuntimeAccountWrite, now: Date): Promise<RuntimeAccountRecord> {
    await this.repository.update(
      { id: row.id },
      { name: account.name, type: account.type, addedBy: account.addedBy, active: true, updatedAt: now, deactivatedAt: null },
    );
    return { ...row, name: account.name, type: account.type, addedBy: account.addedBy, active: true, updatedAt: now, deactivatedAt: null };
  }

  async deactivate(row: RuntimeAccountRecord, now: Date): Promise<RuntimeAccountRecord> {
    await this.repository.update({ id: row.id }, { active: false, updatedAt: now, deactivatedAt: now });
    return { ...row, active: false, updatedAt: now, deactivatedAt: now };
  }
}
