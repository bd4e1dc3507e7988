import { OrderStatus } from '@qts/broker-domain';
import { In, IsNull, type EntityManager } from 'typeorm';
import { OrderEntity } from './entities/order.entity';

/** Reads and writes of the orders table, inside the caller's unit of work. */
export class OrderRecords {
  async insert(manager: EntityManager, row: Omit<OrderEntity, 'id' | 'intent'>): Promise<OrderEntity> {
    const result = await manager.insert(OrderEntity, row);
    return { ...row, id: Number(result.identifiers[0]?.['id']) };
  }

  findByIntent(manager: EntityManager, intentId: string): Promise<OrderEntity | null> {
    return manager.findOneBy(OrderEntity, { intentId });
  }

  findByIntents(manager: EntityManager, intentIds: readonly string[]): Promise<OrderEntity[]> {
    return manager.findBy(OrderEntity, { intentId: In([...intentIds]) });
  }

  listByStatus(manager: EntityManager, statuses: readonly OrderStatus[]): Promise<OrderEntity[]> {
    return manager.findBy(OrderEntity, { status: In([...statuses]) });
  }

  /** Orders in one of the statuses whose intent `ownerId` owns. */
  listOwnedByStatus(manager: EntityManager, statuses: readonly OrderStatus[], ownerId: string): Promise<OrderEntity[]> {
    return manager
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.status IN (:...statuses)', { statuses: [...statuses] })
      .andWhere('EXISTS (SELECT 1 FROM intents i WHERE i.intent_id = o.intent_id AND i.owner_id = :ownerId)', { ownerId })
      .getMany();
  }

  /**
   * The compare-and-set that claims a PENDING order for sending: sets `submitted_at` only where it is still unset and
   * the intent is `ownerId`'s. True for the one caller (in any process on the database) whose update changed the row.
   */
  async claimForSending(manager: EntityManager, intentId: string, at: Date, ownerId: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ submittedAt: at, updatedAt: at })
      .where('intent_id = :intentId', { intentId })
      .andWhere('submitted_at IS NULL')
      .andWhere('status = :pending', { pending: OrderStatus.PENDING })
      .andWhere('EXISTS (SELECT 1 FROM intents i WHERE i.intent_id = :intentId AND i.owner_id = :ownerId)', { ownerId })
      .execute();
    return result.affected === 1;
  }

  /**
   * The compare-and-set that refuses an order as expired: REJECTED only where it is still PENDING and unclaimed, so
   * it excludes claimForSending (an order is either sent or expired, never both). True when it changed the row.
   */
  async expireUnsent(manager: EntityManager, intentId: string, at: Date, message: string): Promise<boolean> {
    const result = await manager.update(
      OrderEntity,
      { intentId, submittedAt: IsNull(), status: OrderStatus.PENDING },
      { status: OrderStatus.REJECTED, message, updatedAt: at },
    );
    return result.affected === 1;
  }

  /** Per broker, when the longest-unknown order still UNKNOWN was sent (or stored, if it never was marked sent). */
  /** Per broker: how many orders are UNKNOWN, and when the longest-unknown one was sent. */
  async unknownByBroker(manager: EntityManager): Promise<Array<{ brokerId: string; count: number; oldestSentAt: Date | undefined }>> {
    const rows: { brokerId: string; count: string | number; since: string | null }[] = await manager
      .createQueryBuilder(OrderEntity, 'o')
      .select('o.brokerId', 'brokerId')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MIN(COALESCE(o.submittedAt, o.createdAt))', 'since')
      .where('o.status = :status', { status: OrderStatus.UNKNOWN })
      .groupBy('o.brokerId')
      .orderBy('o.brokerId')
      .getRawMany();
    return rows.map((row) => ({
      brokerId: row.brokerId,
      count: Number(row.count),
      oldestSentAt: row.since === null ? undefined : new Date(row.since),
    }));
  }

  async oldestUnknownByBroker(manager: EntityManager): Promise<Map<string, Date>> {
    const rows: { brokerId: string; since: string | null }[] = await manager
      .createQueryBuilder(OrderEntity, 'o')
      .select('o.brokerId', 'brokerId')
      .addSelect('MIN(COALESCE(o.submittedAt, o.createdAt))', 'since')
      .where('o.status = :status', { status: OrderStatus.UNKNOWN })
      .groupBy('o.brokerId')
      .getRawMany();
    const oldest = new Map<string, Date>();
    for (const row of rows) if (row.since !== null) oldest.set(row.brokerId, new Date(row.since));
    return oldest;
  }

  /** Writes the mutable fields of `order` as they are now. */
  async save(manager: EntityManager, order: OrderEntity): Promise<void> {
    await manager.update(
      OrderEntity,
      { id: order.id },
      {
        status: order.status,
        brokerOrderId: order.brokerOrderId,
        filledQuantity: order.filledQuantity,
        avgFillPrice: order.avgFillPrice,
        operatorFlag: order.operatorFlag,
        message: order.message,
        updatedAt: order.updatedAt,
      },
    );
  }

  /**
   * The compare-and-set that takes an order out of an operator's hands: clears its flag only where it is still UNKNOWN
   * and flagged, so two settlements of one order (two operators, two replicas) cannot both apply. True when it
   * changed the row.
   */
  async takeFromOperator(manager: EntityManager, orderId: number, at: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ operatorFlag: null, updatedAt: at })
      .where('id = :orderId', { orderId })
      .andWhere('status = :unknown', { unknown: OrderStatus.UNKNOWN })
      .andWhere('operator_flag IS NOT NULL')
      .execute();
    return result.affected === 1;
  }

  /** Orders of one broker account that carry the broker's order number. */
  findByBrokerOrderId(manager: EntityManager, brokerId: string, accountId: string, brokerOrderId: string): Promise<OrderEntity[]> {
    return manager.findBy(OrderEntity, { brokerId, accountId, brokerOrderId });
  }

  /** Orders flagged for an operator, by flag. */
  async countByOperatorFlag(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { flag: string; count: string | number }[] = await manager
      .createQueryBuilder(OrderEntity, 'o')
      .select('o.operator_flag', 'flag')
      .addSelect('COUNT(*)', 'count')
      .where('o.operator_flag IS NOT NULL')
      .groupBy('o.operator_flag')
      .getRawMany();
    return new Map(rows.map((row) => [row.flag, Number(row.count)]));
  }

  async countByStatus(manager: EntityManager): Promise<Map<OrderStatus, number>> {
    const rows: { status: string; count: string | number }[] = await manager
      .createQueryBuilder(OrderEntity, 'o')
      .select('o.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('o.status')
      .getRawMany();
    return new Map(rows.map((row) => [row.status as OrderStatus, Number(row.count)]));
  }
}
