import { Injectable } from '@nestjs/common';
import {
  canTransition,
  Decimal,
  ExecutionIntent,
  FailSafeCode,
  IllegalOrderTransitionError,
  OrderSide,
  OrderStatus,
  OrderType,
} from '@qts/broker-domain';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { ExecutionReport } from '../processing/execution-report';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { DuplicateIntentError, isUniqueViolation } from './duplicate-intent-error';
import { GroupCommit } from './group-commit';
import { PortableSql, sqlBoolean, sqlInteger, sqlText } from './portable-sql';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import type { IntentAnswer, OrderEventSource, OrderUpdate, StoredIntent, StoredOrder } from './stored-intent';

/** Orders whose outcome the worker does not know yet: after a crash they are reconciled, never re-sent. */
export const IN_FLIGHT_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.PENDING, OrderStatus.UNKNOWN];

/** The patch of an intent's answer that goes with an order change. */
export type AnswerPatch = Omit<IntentAnswer, 'answeredAt'>;

/**
 * Every read and write of intents, orders and order events. Each method is one unit of work, committed before its
 * promise settles; on SQLite units run one at a time (single connection) and share commits under load. Committed order events are published on the ExecutionReportBus, so a report is
 * never streamed for a change that was rolled back.
 */
@Injectable()
export class ExecutionStore {
  private readonly groupCommit: GroupCommit | undefined;
  private readonly sql: PortableSql;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reports: ExecutionReportBus,
  ) {
    const sqlite = dataSource.options.type === 'better-sqlite3';
    this.groupCommit = sqlite ? new GroupCommit(dataSource) : undefined;
    this.sql = new PortableSql(sqlite ? 'sqlite' : 'postgres');
  }

  /**
   * Stores a new intent and, unless it is a dry run, its PENDING order (client_order_id = intent id) in one
   * transaction. Throws DuplicateIntentError when the intent id is already stored.
   */
  async createIntent(intent: ExecutionIntent, dryRun: boolean, at: Date): Promise<StoredIntent> {
    const now = at.toISOString();
    const intentRow: Omit<IntentEntity, 'seq'> = {
      intentId: intent.intentId,
      strategyId: intent.strategyId,
      brokerId: intent.brokerId,
      accountId: intent.accountId,
      symbol: intent.symbol,
      side: intent.side,
      quantity: intent.quantity,
      orderType: intent.orderType,
      limitPrice: intent.limitPrice?.toFixed() ?? null,
      dryRun,
      accepted: null,
      handledBy: null,
      failSafeCode: null,
      message: null,
      createdAt: now,
      answeredAt: null,
      updatedAt: now,
    };
    const events: ReportSource[] = [];
    try {
      const stored = await this.transaction(async (manager) => {
        const row: IntentEntity = { ...intentRow, seq: await this.insertIntent(manager, intentRow) };
        let order: OrderEntity | null = null;
        if (!dryRun) {
          const orderRow: Omit<OrderEntity, 'id'> = {
            intentId: intent.intentId,
            clientOrderId: intent.intentId,
            brokerId: intent.brokerId,
            accountId: intent.accountId,
            symbol: intent.symbol,
            brokerOrderId: null,
            status: OrderStatus.PENDING,
            filledQuantity: 0,
            avgFillPrice: null,
            submittedAt: null,
            message: 'received',
            createdAt: now,
            updatedAt: now,
          };
          order = { ...orderRow, id: await this.insertOrder(manager, orderRow) };
          events.push({ event: await this.insertEvent(manager, order, null, 'intent', now), intent: row });
        }
        return toStoredIntent(row, order);
      });
      this.publish(events);
      return stored;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateIntentError(intent.intentId);
      throw error;
    }
  }

  async findIntent(intentId: string): Promise<StoredIntent | null> {
    return this.transaction(async (manager) => {
      const row = await this.selectIntent(manager, intentId);
      return row === null ? null : toStoredIntent(row, await this.selectOrder(manager, intentId));
    });
  }

  /**
   * Claims the order for sending, just before the broker call: sets `submitted_at` if it is still unset (a PENDING
   * order without it was never sent). Returns false when it was already set — another run (possibly another process
   * on the same database) sent it, and it must not be sent again.
   */
  async markSubmitted(intentId: string, at: Date): Promise<boolean> {
    return this.transaction(async (manager) => {
      const { rows } = await this.sql.run(
        manager,
        `UPDATE orders SET submitted_at = :at, updated_at = :at
         WHERE intent_id = :intentId AND submitted_at IS NULL AND status = :pending RETURNING id`,
        { at: at.toISOString(), intentId, pending: OrderStatus.PENDING },
      );
      return rows.length === 1;
    });
  }

  /**
   * Records the answer of an intent and/or a new state of its order, in one transaction. An illegal order transition
   * (e.g. FILLED -> ACCEPTED from a stale broker answer) throws IllegalOrderTransitionError and changes nothing.
   * Returns the intent as stored afterwards.
   */
  async settle(
    intentId: string,
    change: { answer?: AnswerPatch; order?: OrderUpdate },
    source: OrderEventSource,
    at: Date,
  ): Promise<StoredIntent> {
    const events: ReportSource[] = [];
    const stored = await this.transaction(async (manager) => {
      const now = at.toISOString();
      const intent = await this.selectIntent(manager, intentId);
      if (intent === null) throw new Error(`intent '${intentId}' is not stored`);
      const order = await this.selectOrder(manager, intentId);

      if (change.order !== undefined) {
        if (order === null) {
          throw new IllegalOrderTransitionError(`intent '${intentId}' has no order (dry run)`);
        }
        const event = await this.applyOrderUpdate(manager, order, change.order, source, now);
        if (event !== undefined) events.push({ event, intent });
      }
      if (change.answer !== undefined) {
        intent.accepted = change.answer.accepted;
        intent.handledBy = change.answer.handledBy;
        intent.failSafeCode = change.answer.failSafeCode ?? null;
        intent.message = change.answer.message;
        intent.answeredAt = intent.answeredAt ?? now;
        intent.updatedAt = now;
        await this.sql.run(
          manager,
          `UPDATE intents SET accepted = :accepted, handled_by = :handledBy, fail_safe_code = :failSafeCode,
             message = :message, answered_at = :answeredAt, updated_at = :updatedAt WHERE seq = :seq`,
          {
            accepted: intent.accepted,
            handledBy: intent.handledBy,
            failSafeCode: intent.failSafeCode,
            message: intent.message,
            answeredAt: intent.answeredAt,
            updatedAt: intent.updatedAt,
            seq: intent.seq,
          },
        );
      }
      return toStoredIntent(intent, order);
    });
    this.publish(events);
    return stored;
  }

  /**
   * Intents that were not finished when the worker last stopped, in arrival order: not answered yet, or with an
   * order still PENDING or UNKNOWN.
   */
  async listUnfinished(): Promise<StoredIntent[]> {
    return this.transaction(async (manager) => {
      const unanswered = await manager.getRepository(IntentEntity).find({ where: { answeredAt: IsNull() } });
      const inFlight = await manager
        .getRepository(OrderEntity)
        .find({ where: { status: In([...IN_FLIGHT_ORDER_STATUSES]) } });
      const intentIds = new Set([...unanswered.map((row) => row.intentId), ...inFlight.map((row) => row.intentId)]);
      if (intentIds.size === 0) return [];
      return this.loadIntents(manager, [...intentIds]);
    });
  }

  /** Intents whose order is in one of the statuses, in arrival order. */
  async listByOrderStatus(statuses: readonly OrderStatus[]): Promise<StoredIntent[]> {
    return this.transaction(async (manager) => {
      const orders = await manager.getRepository(OrderEntity).find({ where: { status: In([...statuses]) } });
      if (orders.length === 0) return [];
      return this.loadIntents(manager, orders.map((row) => row.intentId));
    });
  }

  async countOrdersByStatus(): Promise<Map<OrderStatus, number>> {
    return this.transaction(async (manager) => {
      const rows: { status: string; count: string | number }[] = await manager
        .getRepository(OrderEntity)
        .createQueryBuilder('o')
        .select('o.status', 'status')
        .addSelect('COUNT(*)', 'count')
        .groupBy('o.status')
        .getRawMany();
      return new Map(rows.map((row) => [row.status as OrderStatus, Number(row.count)]));
    });
  }

  /** The order events of one intent, oldest first. */
  async listEvents(intentId: string): Promise<OrderEventEntity[]> {
    return this.transaction((manager) =>
      manager.getRepository(OrderEventEntity).find({ where: { intentId }, order: { id: 'ASC' } }),
    );
  }

  /** Readiness: the database answers a query. */
  async ping(): Promise<void> {
    await this.transaction((manager) => manager.query('SELECT 1'));
  }

  private async loadIntents(manager: EntityManager, intentIds: string[]): Promise<StoredIntent[]> {
    const result: StoredIntent[] = [];
    // Bounded IN lists: SQLite allows at most 32766 parameters, PostgreSQL 65535.
    for (let start = 0; start < intentIds.length; start += 500) {
      const chunk = intentIds.slice(start, start + 500);
      const intents = await manager.getRepository(IntentEntity).find({ where: { intentId: In(chunk) } });
      const orders = await manager.getRepository(OrderEntity).find({ where: { intentId: In(chunk) } });
      const orderByIntent = new Map(orders.map((order) => [order.intentId, order]));
      for (const intent of intents) result.push(toStoredIntent(intent, orderByIntent.get(intent.intentId) ?? null));
    }
    return result.sort((a, b) => a.seq - b.seq);
  }

  private async applyOrderUpdate(
    manager: EntityManager,
    order: OrderEntity,
    update: OrderUpdate,
    source: OrderEventSource,
    now: string,
  ): Promise<OrderEventEntity | undefined> {
    const from = order.status as OrderStatus;
    const filledQuantity = update.filledQuantity ?? order.filledQuantity;
    const avgFillPrice = update.avgFillPrice?.toFixed() ?? order.avgFillPrice;
    const brokerOrderId = update.brokerOrderId ?? order.brokerOrderId;
    const statusChanged = from !== update.status;
    const fillChanged = filledQuantity !== order.filledQuantity || avgFillPrice !== order.avgFillPrice;

    if (statusChanged && !canTransition(from, update.status)) {
      throw new IllegalOrderTransitionError(
        `order of intent '${order.intentId}' cannot go from ${from} to ${update.status}`,
        { from, to: update.status },
      );
    }
    // PARTIAL -> PARTIAL records a further fill; any other repeat of the same status is no change.
    const isChange = statusChanged || (fillChanged && canTransition(from, update.status));
    order.status = update.status;
    order.brokerOrderId = brokerOrderId;
    if (isChange) {
      order.filledQuantity = filledQuantity;
      order.avgFillPrice = avgFillPrice;
    }
    order.message = update.message ?? order.message;
    order.updatedAt = now;
    await this.sql.run(
      manager,
      `UPDATE orders SET status = :status, broker_order_id = :brokerOrderId, filled_quantity = :filledQuantity,
         avg_fill_price = :avgFillPrice, message = :message, updated_at = :updatedAt WHERE id = :id`,
      {
        status: order.status,
        brokerOrderId: order.brokerOrderId,
        filledQuantity: order.filledQuantity,
        avgFillPrice: order.avgFillPrice,
        message: order.message,
        updatedAt: order.updatedAt,
        id: order.id,
      },
    );
    return isChange ? this.insertEvent(manager, order, from, source, now) : undefined;
  }

  private async insertEvent(
    manager: EntityManager,
    order: OrderEntity,
    from: OrderStatus | null,
    source: OrderEventSource,
    now: string,
  ): Promise<Omit<OrderEventEntity, 'order'>> {
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
    const { rows } = await this.sql.run(
      manager,
      `INSERT INTO order_events (order_id, intent_id, from_status, to_status, filled_quantity, avg_fill_price,
         broker_order_id, source, message, created_at)
       VALUES (:orderId, :intentId, :fromStatus, :toStatus, :filledQuantity, :avgFillPrice, :brokerOrderId, :source,
         :message, :createdAt)
       RETURNING id AS "id"`,
      { ...row },
    );
    return { ...row, id: sqlInteger(rows[0]['id']) };
  }

  private async insertIntent(manager: EntityManager, row: Omit<IntentEntity, 'seq'>): Promise<number> {
    const { rows } = await this.sql.run(
      manager,
      `INSERT INTO intents (intent_id, strategy_id, broker_id, account_id, symbol, side, quantity, order_type,
         limit_price, dry_run, accepted, handled_by, fail_safe_code, message, created_at, answered_at, updated_at)
       VALUES (:intentId, :strategyId, :brokerId, :accountId, :symbol, :side, :quantity, :orderType, :limitPrice,
         :dryRun, :accepted, :handledBy, :failSafeCode, :message, :createdAt, :answeredAt, :updatedAt)
       RETURNING seq AS "seq"`,
      { ...row },
    );
    return sqlInteger(rows[0]['seq']);
  }

  private async insertOrder(manager: EntityManager, row: Omit<OrderEntity, 'id' | 'intent'>): Promise<number> {
    const { rows } = await this.sql.run(
      manager,
      `INSERT INTO orders (intent_id, client_order_id, broker_id, account_id, symbol, broker_order_id, status,
         filled_quantity, avg_fill_price, submitted_at, message, created_at, updated_at)
       VALUES (:intentId, :clientOrderId, :brokerId, :accountId, :symbol, :brokerOrderId, :status, :filledQuantity,
         :avgFillPrice, :submittedAt, :message, :createdAt, :updatedAt)
       RETURNING id AS "id"`,
      { ...row },
    );
    return sqlInteger(rows[0]['id']);
  }

  private async selectIntent(manager: EntityManager, intentId: string): Promise<IntentEntity | null> {
    const { rows } = await this.sql.run(
      manager,
      `SELECT seq AS "seq", intent_id AS "intentId", strategy_id AS "strategyId", broker_id AS "brokerId",
         account_id AS "accountId", symbol AS "symbol", side AS "side", quantity AS "quantity",
         order_type AS "orderType", limit_price AS "limitPrice", dry_run AS "dryRun", accepted AS "accepted",
         handled_by AS "handledBy", fail_safe_code AS "failSafeCode", message AS "message",
         created_at AS "createdAt", answered_at AS "answeredAt", updated_at AS "updatedAt"
       FROM intents WHERE intent_id = :intentId`,
      { intentId },
    );
    return rows.length === 0 ? null : intentRowFrom(rows[0]);
  }

  private async selectOrder(manager: EntityManager, intentId: string): Promise<OrderEntity | null> {
    const { rows } = await this.sql.run(
      manager,
      `SELECT id AS "id", intent_id AS "intentId", client_order_id AS "clientOrderId", broker_id AS "brokerId",
         account_id AS "accountId", symbol AS "symbol", broker_order_id AS "brokerOrderId", status AS "status",
         filled_quantity AS "filledQuantity", avg_fill_price AS "avgFillPrice", submitted_at AS "submittedAt",
         message AS "message", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM orders WHERE intent_id = :intentId`,
      { intentId },
    );
    return rows.length === 0 ? null : orderRowFrom(rows[0]);
  }

  private publish(events: ReportSource[]): void {
    for (const { event, intent } of events) this.reports.publish(toReport(event, intent));
  }

  /** One unit of work: its own transaction on PostgreSQL, a savepoint of a shared one on SQLite (group commit). */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.groupCommit === undefined ? this.dataSource.transaction(work) : this.groupCommit.run(work);
  }
}

interface ReportSource {
  event: OrderEventEntity;
  intent: IntentEntity;
}

function intentRowFrom(raw: Record<string, unknown>): IntentEntity {
  return {
    seq: sqlInteger(raw['seq']),
    intentId: String(raw['intentId']),
    strategyId: String(raw['strategyId']),
    brokerId: String(raw['brokerId']),
    accountId: String(raw['accountId']),
    symbol: String(raw['symbol']),
    side: String(raw['side']),
    quantity: sqlInteger(raw['quantity']),
    orderType: String(raw['orderType']),
    limitPrice: sqlText(raw['limitPrice']),
    dryRun: sqlBoolean(raw['dryRun']) ?? false,
    accepted: sqlBoolean(raw['accepted']),
    handledBy: sqlText(raw['handledBy']),
    failSafeCode: sqlText(raw['failSafeCode']),
    message: sqlText(raw['message']),
    createdAt: String(raw['createdAt']),
    answeredAt: sqlText(raw['answeredAt']),
    updatedAt: String(raw['updatedAt']),
  };
}

function orderRowFrom(raw: Record<string, unknown>): OrderEntity {
  return {
    id: sqlInteger(raw['id']),
    intentId: String(raw['intentId']),
    clientOrderId: String(raw['clientOrderId']),
    brokerId: String(raw['brokerId']),
    accountId: String(raw['accountId']),
    symbol: String(raw['symbol']),
    brokerOrderId: sqlText(raw['brokerOrderId']),
    status: String(raw['status']),
    filledQuantity: sqlInteger(raw['filledQuantity']),
    avgFillPrice: sqlText(raw['avgFillPrice']),
    submittedAt: sqlText(raw['submittedAt']),
    message: sqlText(raw['message']),
    createdAt: String(raw['createdAt']),
    updatedAt: String(raw['updatedAt']),
  };
}

function toReport(event: OrderEventEntity, intent: IntentEntity): ExecutionReport {
  return {
    sequence: event.id,
    intentId: event.intentId,
    strategyId: intent.strategyId,
    brokerId: intent.brokerId,
    ...(event.brokerOrderId === null ? {} : { orderId: event.brokerOrderId }),
    status: event.toStatus as OrderStatus,
    filledQuantity: event.filledQuantity,
    ...(event.avgFillPrice === null ? {} : { avgFillPrice: new Decimal(event.avgFillPrice) }),
    message: event.message ?? '',
    timestamp: new Date(event.createdAt),
  };
}

function toStoredIntent(row: IntentEntity, order: OrderEntity | null): StoredIntent {
  const intent: ExecutionIntent = {
    intentId: row.intentId,
    strategyId: row.strategyId,
    brokerId: row.brokerId,
    accountId: row.accountId,
    symbol: row.symbol,
    side: row.side as OrderSide,
    quantity: row.quantity,
    orderType: row.orderType as OrderType,
    ...(row.limitPrice === null ? {} : { limitPrice: new Decimal(row.limitPrice) }),
    createdAt: new Date(row.createdAt),
  };
  return {
    seq: row.seq,
    intent,
    dryRun: row.dryRun,
    ...(row.accepted === null || row.answeredAt === null
      ? {}
      : {
          answer: {
            accepted: row.accepted,
            handledBy: row.handledBy ?? '',
            ...(row.failSafeCode === null ? {} : { failSafeCode: row.failSafeCode as FailSafeCode }),
            message: row.message ?? '',
            answeredAt: new Date(row.answeredAt),
          },
        }),
    ...(order === null ? {} : { order: toStoredOrder(order) }),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

function toStoredOrder(row: OrderEntity): StoredOrder {
  return {
    id: row.id,
    intentId: row.intentId,
    clientOrderId: row.clientOrderId,
    brokerId: row.brokerId,
    accountId: row.accountId,
    symbol: row.symbol,
    ...(row.brokerOrderId === null ? {} : { brokerOrderId: row.brokerOrderId }),
    status: row.status as OrderStatus,
    filledQuantity: row.filledQuantity,
    ...(row.avgFillPrice === null ? {} : { avgFillPrice: new Decimal(row.avgFillPrice) }),
    ...(row.submittedAt === null ? {} : { submittedAt: new Date(row.submittedAt) }),
    ...(row.message === null ? {} : { message: row.message }),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
