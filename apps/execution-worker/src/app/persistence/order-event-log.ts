import type { OrderStatus } from '@qts/broker-domain';
import type { EntityManager } from 'typeorm';
import { OrderEventEntity } from './entities/order-event.entity';
import type { OrderEntity } from './entities/order.entity';
import type { OrderEventSource } from './stored-intent';

/** The append-only order_events table, inside the caller's unit of work. */
export class OrderEventLog {
  /** Appends the order's current state as a change from `from`; the event id is the report's sequence. */
  async append(
    manager: EntityManager,
    order: OrderEntity,
    from: OrderStatus | null,
    source: OrderEventSource,
    now: Date,
  ): Promise<OrderEventEntity> {
    const row: Omit<OrderEventEntity, 'id' | 'order'> = {
      orderId: order.id,
      intentId: order.intentId,
      fromStatus: from,
      toStatus: order.status,
      filledQuantity: order.filledQuantity,
      avgFillPrice: order.avgFillPrice,
      brokerOrderId: order.brokerOrderId,
      source,
      message: order.message,
      createdAt: now,
    };
    const result = await manager.insert(OrderEventEntity, row);
    return { ...row, id: Number(result.identifiers[0]?.['id']) };
  }

  listForIntent(manager: EntityManager, intentId: string): Promise<OrderEventEntity[]> {
    return manager.find(OrderEventEntity, { where: { intentId }, order: { id: 'ASC' } });
  }
}
