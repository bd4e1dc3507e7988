import { In, IsNull, type EntityManager } from 'typeorm';
import { IntentEntity } from './entities/intent.entity';
import type { IntentAnswer } from './stored-intent';

/** Reads and writes of the intents table, inside the caller's unit of work. */
export class IntentRecords {
  /** Inserts a new intent; a duplicate intent id fails on the unique constraint. Returns the row with its seq. */
  async insert(manager: EntityManager, row: Omit<IntentEntity, 'seq'>): Promise<IntentEntity> {
    const result = await manager.insert(IntentEntity, row);
    return { ...row, seq: Number(result.identifiers[0]?.['seq']) };
  }

  find(manager: EntityManager, intentId: string): Promise<IntentEntity | null> {
    return manager.findOneBy(IntentEntity, { intentId });
  }

  findMany(manager: EntityManager, intentIds: readonly string[]): Promise<IntentEntity[]> {
    return manager.findBy(IntentEntity, { intentId: In([...intentIds]) });
  }

  /** The latest intents, newest first. */
  /** The latest intents, of the given strategies only when `strategyIds` is given. */
  listLatest(manager: EntityManager, limit: number, strategyIds?: readonly string[]): Promise<IntentEntity[]> {
    return manager.find(IntentEntity, {
      ...(strategyIds === undefined ? {} : { where: { strategyId: In([...strategyIds]) } }),
      order: { seq: 'DESC' },
      take: limit,
    });
  }

  /** Intents without an answer yet. */
  listUnanswered(manager: EntityManager): Promise<IntentEntity[]> {
    return manager.findBy(IntentEntity, { answeredAt: IsNull() });
  }

  /** Records the answer on `intent` and in the table; the first answer time is kept. */
  async recordAnswer(manager: EntityManager, intent: IntentEntity, answer: Omit<IntentAnswer, 'answeredAt'>, now: Date): Promise<void> {
    intent.accepted = answer.accepted;
    intent.handledBy = answer.handledBy;
    intent.failSafeCode = answer.failSafeCode ?? null;
    intent.message = answer.message;
    intent.answeredAt = intent.answeredAt ?? now;
    intent.updatedAt = now;
    await manager.update(
      IntentEntity,
      { seq: intent.seq },
      {
        accepted: intent.accepted,
        handledBy: intent.handledBy,
        failSafeCode: intent.failSafeCode,
        message: intent.message,
        answeredAt: intent.answeredAt,
        updatedAt: intent.updatedAt,
      },
    );
  }
}
