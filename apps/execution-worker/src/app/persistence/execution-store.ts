import { Inject, Injectable } from '@nestjs/common';
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
import type { EntityManager } from 'typeorm';
import type { ExecutionReport } from '../processing/execution-report';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { DuplicateIntentError, isUniqueViolation } from './duplicate-intent-error';
import { IntentEntity } from './entities/intent.entity';
import { OrderEventEntity } from './entities/order-event.entity';
import { OrderEntity } from './entities/order.entity';
import { IntentOwnership } from './intent-ownership';
import { IntentRecords } from './intent-records';
import { OrderEventLog } from './order-event-log';
import { OrderRecords } from './order-records';
import { SettlementConflictError } from './settlement-conflict-error';
import type { IntentAnswer, OperatorSettlement, OrderEventSource, OrderUpdate, StoredIntent, StoredOrder } from './stored-intent';
import { UnitOfWork } from './unit-of-work';
import { WORKER_INSTANCE, type WorkerInstance } from './worker-instance';

/** Orders whose outcome the worker does not know yet: after a crash they are reconciled, never re-sent. */
export const IN_FLIGHT_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.PENDING, OrderStatus.UNKNOWN];

/** The patch of an intent's answer that goes with an order change. */
export type AnswerPatch = Omit<IntentAnswer, 'answeredAt'>;

/**
 * What the claim of an order just before its broker call found: claimed (send it now), expired (refused with
 * FS050 in the same transaction, never sent), or no longer PENDING and unclaimed (another run sent it, or it was
 * settled otherwise): do not send.
 */
export type SendClaim = { kind: 'claimed' } | { kind: 'expired'; stored: StoredIntent } | { kind: 'not-pending' };

/** IN lists stay bounded: SQLite allows at most 32766 parameters, PostgreSQL 65535. */
const IN_LIST_CHUNK = 500;

/** Broker order numbers restart every trading day: only orders sent within a day of each other can clash. */
const ONE_DAY_MS = 86_400_000;

const sentAt = (order: OrderEntity): number => (order.submittedAt ?? order.createdAt).getTime();

/**
 * The worker's persistence, each method one unit of work committed before its promise settles (UnitOfWork), over
 * the records of the three tables: intents (IntentRecords), orders (OrderRecords) and the order event log
 * (OrderEventLog). Committed order events are published on the ExecutionReportBus, so a report is never streamed
 * for a change that was rolled back.
 */
@Injectable()
export class ExecutionStore {
  private readonly intents = new IntentRecords();
  private readonly orders = new OrderRecords();
  private readonly events = new OrderEventLog();
  private readonly ownership: IntentOwnership;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reports: ExecutionReportBus,
    @Inject(WORKER_INSTANCE) private readonly self: WorkerInstance,
  ) {
    this.ownership = new IntentOwnership(self);
  }

  /** The worker this store writes for: owner of the intents it stores. */
  get ownerId(): string {
    return this.self.id;
  }

  /**
   * Stores a new intent, owned by this worker, and, unless it is a dry run, its PENDING order (client_order_id =
   * intent id) in one transaction. Throws DuplicateIntentError when the intent id is already stored.
   */
  async createIntent(intent: ExecutionIntent, dryRun: boolean, at: Date, expiresAt?: Date): Promise<StoredIntent> {
    const published: ReportSource[] = [];
    try {
      const stored = await this.unitOfWork.run(async (manager) => {
        const row = await this.intents.insert(manager, {
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
          createdAt: at,
          answeredAt: null,
          updatedAt: at,
          expiresAt: dryRun ? null : (expiresAt ?? null),
          ownerId: this.self.id,
        });
        if (dryRun) return toStoredIntent(row, null);
        const order = await this.orders.insert(manager, {
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
          side: intent.side,
          orderType: intent.orderType,
          quantity: intent.quantity,
          price: intent.orderType === OrderType.LIMIT ? (intent.limitPrice?.toFixed() ?? null) : null,
          operatorFlag: null,
          message: 'received',
          createdAt: at,
          updatedAt: at,
        });
        published.push({ event: await this.events.append(manager, order, null, 'intent', at), intent: row });
        return toStoredIntent(row, order);
      });
      this.publish(published);
      return stored;
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateIntentError(intent.intentId);
      throw error;
    }
  }

  async findIntent(intentId: string): Promise<StoredIntent | null> {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.intents.find(manager, intentId);
      return row === null ? null : toStoredIntent(row, await this.orders.findByIntent(manager, intentId));
    });
  }

  /**
   * Claims the order for sending, just before the broker call: sets `submitted_at` if it is still unset (a PENDING
   * order without it was never sent) and this worker owns the intent. Returns false when it was already set, by
   * another run (possibly another process on the same database), or when the intent is another worker's now: it must
   * not be sent by this one.
   */
  markSubmitted(intentId: string, at: Date): Promise<boolean> {
    return this.unitOfWork.run((manager) => this.orders.claimForSending(manager, intentId, at, this.self.id));
  }

  /**
   * Removes the leases of workers that are gone and takes over every unfinished intent without a live owner
   * (IntentOwnership): the intents and orders a stopped or crashed worker left. Returns them in arrival order.
   */
  takeOverOrphans(): Promise<StoredIntent[]> {
    return this.unitOfWork.run(async (manager) => {
      await this.ownership.removeDeadLeases(manager);
      return this.loadIntents(manager, await this.ownership.takeOverOrphans(manager));
    });
  }

  /** Takes one intent over when its owner is gone or handed it back; true when this worker owns it now. */
  claim(intentId: string): Promise<boolean> {
    return this.unitOfWork.run(async (manager) => {
      await this.ownership.removeDeadLeases(manager);
      return this.ownership.claim(manager, intentId);
    });
  }

  /** Hands back intents this worker owns and will not send (unanswered, never sent): any worker may take them. */
  handBack(intentIds: readonly string[]): Promise<string[]> {
    if (intentIds.length === 0) return Promise.resolve([]);
    return this.unitOfWork.run((manager) => this.ownership.handBack(manager, intentIds));
  }

  /**
   * Claims the order for sending, just before the broker call, unless it has expired: both decided in ONE
   * transaction, so that an order is either sent or refused as expired, never both (on SQLite and PostgreSQL, by any
   * number of processes). `at` at or after `expiresAt`: the order is REJECTED and the intent answered FS050 with
   * `expiredMessage`; otherwise `submitted_at` is set if it is still unset (see markSubmitted).
   */
  async claimForSending(intentId: string, at: Date, expiresAt: Date | undefined, expiredMessage: string): Promise<SendClaim> {
    const published: ReportSource[] = [];
    const claim = await this.unitOfWork.run(async (manager): Promise<SendClaim> => {
      if (expiresAt !== undefined && at.getTime() >= expiresAt.getTime()) {
        const stored = await this.expireIn(manager, intentId, at, expiredMessage, published);
        return stored === null ? { kind: 'not-pending' } : { kind: 'expired', stored };
      }
      return (await this.orders.claimForSending(manager, intentId, at, this.self.id)) ? { kind: 'claimed' } : { kind: 'not-pending' };
    });
    this.publish(published);
    return claim;
  }

  /**
   * Refuses an order that was never sent as expired (REJECTED, intent answered FS050 with `message`), unless it was
   * claimed for sending or settled first. Returns the intent as stored afterwards, or null when it was not expired.
   */
  async expireUnsent(intentId: string, at: Date, message: string): Promise<StoredIntent | null> {
    const published: ReportSource[] = [];
    const stored = await this.unitOfWork.run((manager) => this.expireIn(manager, intentId, at, message, published));
    this.publish(published);
    return stored;
  }

  /** Per broker, when its longest-unknown UNKNOWN order was sent: what the "oldest UNKNOWN" metric shows. */
  oldestUnknownOrders(): Promise<Map<string, Date>> {
    return this.unitOfWork.run((manager) => this.orders.oldestUnknownByBroker(manager));
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
    const published: ReportSource[] = [];
    const stored = await this.unitOfWork.run(async (manager) => {
      const intent = await this.intents.find(manager, intentId);
      if (intent === null) throw new Error(`intent '${intentId}' is not stored`);
      const order = await this.orders.findByIntent(manager, intentId);
      if (change.order !== undefined) {
        if (order === null) throw new IllegalOrderTransitionError(`intent '${intentId}' has no order (dry run)`);
        const event = await this.applyOrderUpdate(manager, order, change.order, source, at);
        if (event !== undefined) published.push({ event, intent });
      }
      if (change.answer !== undefined) await this.intents.recordAnswer(manager, intent, change.answer, at);
      return toStoredIntent(intent, order);
    });
    this.publish(published);
    return stored;
  }

  /**
   * Settles an order only an operator can settle (UNKNOWN with an operator flag), with what the operator found at the
   * broker, in one transaction that checks it still waits for them:
   * - at the broker as order `brokerOrderId`: ACCEPTED under that number, the flag cleared, the intent accepted; the
   *   open-order checks then take its real state (fills, cancellation) from the broker;
   * - never reached the broker: REJECTED, final (FS042), as reconciliation declares such an order.
   * SettlementConflictError when the order is not waiting for an operator, or when another order of the same broker
   * account, sent within a day of it, already has that broker number. Null for an unknown intent.
   */
  async settleByOperator(intentId: string, settlement: OperatorSettlement, at: Date): Promise<StoredIntent | null> {
    const published: ReportSource[] = [];
    const stored = await this.unitOfWork.run(async (manager) => {
      const intent = await this.intents.find(manager, intentId);
      if (intent === null) return null;
      const order = await this.orders.findByIntent(manager, intentId);
      if (order === null || !(await this.orders.takeFromOperator(manager, order.id, at))) {
        const state = order === null ? 'no order (dry run)' : `an order ${order.status}${order.operatorFlag === null ? ' that no operator needs to settle' : ''}`;
        throw new SettlementConflictError(`intent '${intentId}' has ${state}: nothing changed`);
      }
      if (settlement.kind === 'at_broker') {
        const others = (await this.orders.findByBrokerOrderId(manager, order.brokerId, order.accountId, settlement.brokerOrderId)).filter(
          (other) => other.id !== order.id && Math.abs(sentAt(other) - sentAt(order)) < ONE_DAY_MS,
        );
        if (others.length > 0) {
          throw new SettlementConflictError(
            `broker order '${settlement.brokerOrderId}' is already the order of intent '${others[0]?.intentId}': nothing changed`,
          );
        }
      }
      const atBroker = settlement.kind === 'at_broker';
      const message = atBroker
        ? `settled by an operator: broker order ${settlement.brokerOrderId} (${settlement.note})`
        : `settled by an operator: never reached the broker, not re-sent (${settlement.note})`;
      const update: OrderUpdate = atBroker
        ? { status: OrderStatus.ACCEPTED, brokerOrderId: settlement.brokerOrderId, operatorFlag: null, message }
        : { status: OrderStatus.REJECTED, operatorFlag: null, message };
      const event = await this.applyOrderUpdate(manager, order, update, 'operator', at);
      if (event !== undefined) published.push({ event, intent });
      const handledBy = intent.handledBy || 'live';
      await this.intents.recordAnswer(
        manager,
        intent,
        atBroker ? { accepted: true, handledBy, message } : { accepted: false, handledBy, failSafeCode: FailSafeCode.FS042, message },
        at,
      );
      return toStoredIntent(intent, order);
    });
    this.publish(published);
    return stored;
  }

  /**
   * Intents that were not finished when the worker last stopped, in arrival order: not answered yet, or with an
   * order still PENDING or UNKNOWN.
   */
  async listUnfinished(): Promise<StoredIntent[]> {
    return this.unitOfWork.run(async (manager) => {
      const unanswered = await this.intents.listUnanswered(manager);
      const inFlight = await this.orders.listByStatus(manager, IN_FLIGHT_ORDER_STATUSES);
      const intentIds = new Set([...unanswered.map((row) => row.intentId), ...inFlight.map((row) => row.intentId)]);
      return this.loadIntents(manager, [...intentIds]);
    });
  }

  /** Intents of this worker whose order is in one of the statuses, in arrival order. */
  async listByOrderStatus(statuses: readonly OrderStatus[]): Promise<StoredIntent[]> {
    return this.unitOfWork.run(async (manager) => {
      const orders = await this.orders.listOwnedByStatus(manager, statuses, this.self.id);
      return this.loadIntents(manager, orders.map((row) => row.intentId));
    });
  }

  /**
   * The latest intents of every worker on this database, newest first, each with its order; of the given strategies
   * only when `strategyIds` is given (none for an empty list).
   */
  async recentIntents(limit: number, strategyIds?: readonly string[]): Promise<StoredIntent[]> {
    if (strategyIds !== undefined && strategyIds.length === 0) return [];
    return this.unitOfWork.run(async (manager) => {
      const latest = await this.intents.listLatest(manager, limit, strategyIds);
      const loaded = await this.loadIntents(manager, latest.map((row) => row.intentId));
      return loaded.reverse();
    });
  }

  /** Orders awaiting reconciliation (UNKNOWN), per broker, on this database (every worker's). */
  unknownOrdersByBroker(): Promise<Array<{ brokerId: string; count: number; oldestSentAt: Date | undefined }>> {
    return this.unitOfWork.run((manager) => this.orders.unknownByBroker(manager));
  }

  countOrdersByStatus(): Promise<Map<OrderStatus, number>> {
    return this.unitOfWork.run((manager) => this.orders.countByStatus(manager));
  }

  /** Orders only an operator can settle, by flag (AMBIGUOUS_MATCH). */
  countOrdersByOperatorFlag(): Promise<Map<string, number>> {
    return this.unitOfWork.run((manager) => this.orders.countByOperatorFlag(manager));
  }

  /** The order events of one intent, oldest first. */
  listEvents(intentId: string): Promise<OrderEventEntity[]> {
    return this.unitOfWork.run((manager) => this.events.listForIntent(manager, intentId));
  }

  private async loadIntents(manager: EntityManager, intentIds: string[]): Promise<StoredIntent[]> {
    const result: StoredIntent[] = [];
    for (let start = 0; start < intentIds.length; start += IN_LIST_CHUNK) {
      const chunk = intentIds.slice(start, start + IN_LIST_CHUNK);
      const intents = await this.intents.findMany(manager, chunk);
      const orders = await this.orders.findByIntents(manager, chunk);
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
    now: Date,
  ): Promise<OrderEventEntity | undefined> {
    const from = order.status as OrderStatus;
    const filledQuantity = update.filledQuantity ?? order.filledQuantity;
    const avgFillPrice = update.avgFillPrice?.toFixed() ?? order.avgFillPrice;
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
    order.brokerOrderId = update.brokerOrderId ?? order.brokerOrderId;
    if (isChange) {
      order.filledQuantity = filledQuantity;
      order.avgFillPrice = avgFillPrice;
    }
    order.message = update.message ?? order.message;
    if (update.operatorFlag !== undefined) order.operatorFlag = update.operatorFlag;
    order.updatedAt = now;
    await this.orders.save(manager, order);
    return isChange ? this.events.append(manager, order, from, source, now) : undefined;
  }

  private async expireIn(
    manager: EntityManager,
    intentId: string,
    at: Date,
    message: string,
    published: ReportSource[],
  ): Promise<StoredIntent | null> {
    if (!(await this.orders.expireUnsent(manager, intentId, at, message))) return null;
    const intent = await this.intents.find(manager, intentId);
    const order = await this.orders.findByIntent(manager, intentId);
    if (intent === null || order === null) throw new Error(`intent '${intentId}' lost its rows while it expired`);
    published.push({ event: await this.events.append(manager, order, OrderStatus.PENDING, 'expiry', at), intent });
    await this.intents.recordAnswer(
      manager,
      intent,
      { accepted: false, handledBy: 'worker', failSafeCode: FailSafeCode.FS050, message },
      at,
    );
    return toStoredIntent(intent, order);
  }

  private publish(events: ReportSource[]): void {
    for (const { event, intent } of events) this.reports.publish(toReport(event, intent));
  }
}

interface ReportSource {
  event: OrderEventEntity;
  intent: IntentEntity;
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
    timestamp: event.createdAt,
    ...(intent.failSafeCode === null ? {} : { failSafeCode: intent.failSafeCode as FailSafeCode }),
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
    createdAt: row.createdAt,
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
            answeredAt: row.answeredAt,
          },
        }),
    ...(order === null ? {} : { order: toStoredOrder(order) }),
    ...(row.expiresAt === null || row.expiresAt === undefined ? {} : { expiresAt: row.expiresAt }),
    ...(row.ownerId === null ? {} : { ownerId: row.ownerId }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
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
    ...(row.submittedAt === null ? {} : { submittedAt: row.submittedAt }),
    ...(row.side === null || row.orderType === null || row.quantity === null
      ? {}
      : {
          placed: {
            side: row.side as OrderSide,
            orderType: row.orderType as OrderType,
            quantity: row.quantity,
            ...(row.price === null ? {} : { price: new Decimal(row.price) }),
          },
        }),
    ...(row.operatorFlag === null ? {} : { operatorFlag: row.operatorFlag }),
    ...(row.message === null ? {} : { message: row.message }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
