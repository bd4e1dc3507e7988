import { OrderStatus } from '@qts/broker-domain';
import type { EntityManager } from 'typeorm';
import { databaseTimestamp } from './database-clock';
import { IntentEntity } from './entities/intent.entity';
import { WorkerLeaseEntity } from './entities/worker-lease.entity';
import { isGoneFromThisHost, type WorkerInstance } from './worker-instance';

/** Orders that still need a worker: in flight (sent or to be reconciled) or open at the broker (to be followed). */
export const OWNED_ORDER_STATUSES: readonly OrderStatus[] = [
  OrderStatus.PENDING,
  OrderStatus.UNKNOWN,
  OrderStatus.ACCEPTED,
  OrderStatus.PARTIAL,
];

/** IN lists stay bounded: SQLite allows at most 32766 parameters, PostgreSQL 65535. */
const IN_LIST_CHUNK = 500;

/** Intents whose owner holds no lease: handed back (owner_id null) or of a worker whose lease was removed. */
const WITHOUT_LIVE_OWNER =
  '(owner_id IS NULL OR NOT EXISTS (SELECT 1 FROM worker_leases l WHERE l.instance_id = intents.owner_id))';

/**
 * Which worker owns which intent (intents.owner_id against worker_leases), inside the caller's unit of work.
 * Only the owner sends an intent (the claim for sending checks it), reconciles its order and follows it while it is
 * open; an intent changes owner only when its owner is gone, so a starting worker never touches an order another
 * worker is sending.
 */
export class IntentOwnership {
  constructor(private readonly self: WorkerInstance) {}

  get ownerId(): string {
    return this.self.id;
  }

  /**
   * Removes the leases of workers that are gone: expired on the database's clock (checked again in the DELETE, so a
   * lease renewed meanwhile stays), or held by a process of this host that no longer runs. Returns how many.
   */
  async removeDeadLeases(manager: EntityManager): Promise<number> {
    const now = databaseTimestamp(manager);
    const others: { instance_id: string; host: string; pid: number | string; expired: number | string | boolean }[] =
      await manager
        .createQueryBuilder()
        .select('l.instance_id', 'instance_id')
        .addSelect('l.host', 'host')
        .addSelect('l.pid', 'pid')
        .addSelect(`CASE WHEN l.expires_at <= ${now} THEN 1 ELSE 0 END`, 'expired')
        .from(WorkerLeaseEntity, 'l')
        .where('l.instance_id <> :self', { self: this.self.id })
        .getRawMany();
    let removed = 0;
    for (const lease of others) {
      const expired = Number(lease.expired) === 1;
      if (!expired && !isGoneFromThisHost({ host: lease.host, pid: Number(lease.pid) }, this.self)) continue;
      const query = manager
        .createQueryBuilder()
        .delete()
        .from(WorkerLeaseEntity)
        .where('instance_id = :id', { id: lease.instance_id });
      if (expired) query.andWhere(`expires_at <= ${now}`);
      removed += (await query.execute()).affected ?? 0;
    }
    return removed;
  }

  /**
   * Makes this worker the owner of every unfinished intent (unanswered, or with an order in OWNED_ORDER_STATUSES)
   * that has no live owner; returns their ids. The UPDATE checks again that no live owner appeared, and row locks
   * (PostgreSQL) or the single writer (SQLite) let only one worker take each intent.
   */
  async takeOverOrphans(manager: EntityManager): Promise<string[]> {
    const candidates: { intent_id: string }[] = await manager
      .createQueryBuilder()
      .select('intents.intent_id', 'intent_id')
      .from(IntentEntity, 'intents')
      .where(WITHOUT_LIVE_OWNER)
      // Never this worker's own: work it is doing must not be recovered as if it had been left.
      .andWhere('(intents.owner_id IS NULL OR intents.owner_id <> :self)', { self: this.self.id })
      .andWhere(
        '(intents.answered_at IS NULL OR EXISTS (SELECT 1 FROM orders o WHERE o.intent_id = intents.intent_id AND o.status IN (:...statuses)))',
        { statuses: [...OWNED_ORDER_STATUSES] },
      )
      .getRawMany();
    return this.claimWhere(
      manager,
      candidates.map((row) => row.intent_id),
      WITHOUT_LIVE_OWNER,
    );
  }

  /** Takes one intent over if it has no live owner (or is this worker's already). */
  async claim(manager: EntityManager, intentId: string): Promise<boolean> {
    return (await this.claimWhere(manager, [intentId], WITHOUT_LIVE_OWNER)).length === 1;
  }

  /**
   * Hands intents this worker will not send back (owner_id null), so that any worker may take them at once: only
   * those still unanswered and never handed to a broker. Returns the ids handed back.
   */
  async handBack(manager: EntityManager, intentIds: readonly string[]): Promise<string[]> {
    const handedBack: string[] = [];
    for (const chunk of chunks(intentIds)) {
      const unsent = '(NOT EXISTS (SELECT 1 FROM orders o WHERE o.intent_id = intents.intent_id AND o.submitted_at IS NOT NULL))';
      const mine: { intent_id: string }[] = await manager
        .createQueryBuilder()
        .select('intents.intent_id', 'intent_id')
        .from(IntentEntity, 'intents')
        .where('intents.intent_id IN (:...ids)', { ids: chunk })
        .andWhere('intents.owner_id = :self', { self: this.self.id })
        .andWhere('intents.answered_at IS NULL')
        .andWhere(unsent)
        .getRawMany();
      if (mine.length === 0) continue;
      const ids = mine.map((row) => row.intent_id);
      await manager
        .createQueryBuilder()
        .update(IntentEntity)
        .set({ ownerId: null })
        .where('intent_id IN (:...ids)', { ids })
        .andWhere('owner_id = :self', { self: this.self.id })
        .execute();
      handedBack.push(...ids);
    }
    return handedBack;
  }

  private async claimWhere(manager: EntityManager, intentIds: readonly string[], condition: string): Promise<string[]> {
    const claimed: string[] = [];
    for (const chunk of chunks(intentIds)) {
      await manager
        .createQueryBuilder()
        .update(IntentEntity)
        .set({ ownerId: this.self.id })
        .where('intent_id IN (:...ids)', { ids: chunk })
        .andWhere(`(owner_id = :self OR ${condition})`, { self: this.self.id })
        .execute();
      const rows: { intent_id: string }[] = await manager
        .createQueryBuilder()
        .select('intents.intent_id', 'intent_id')
        .from(IntentEntity, 'intents')
        .where('intents.intent_id IN (:...ids)', { ids: chunk })
        .andWhere('intents.owner_id = :self', { self: this.self.id })
        .getRawMany();
      claimed.push(...rows.map((row) => row.intent_id));
    }
    return claimed;
  }
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += IN_LIST_CHUNK) result.push(items.slice(start, start + IN_LIST_CHUNK));
  return result;
}
