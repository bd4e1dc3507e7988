import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { canTransition, FailSafeCode, OrderResponse, OrderStatus, type PlacedOrderDescription } from '@qts/broker-domain';
import { AMBIGUOUS_MATCH_CODE } from '@qts/broker-rest';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { ExecutionStore } from '../persistence/execution-store';
import type { StoredIntent, StoredOrder } from '../persistence/stored-intent';
import { WorkerMetrics, type ReconciliationOutcome } from '../metrics/worker-metrics';
import { KeyedSerialQueue, LogThrottle, suppressedSuffix } from '@qts/service-infra';
import { needsReconciliation } from './order-progress';
import { orderingKey } from './ordering-key';
import { ReconciliationGrace } from './reconciliation-grace';
import { WORKER_CLOCK, type WorkerClock } from './worker-clock';

/** The message of an order the broker never received; strategies and operators key on its wording. */
export const NEVER_REACHED_MESSAGE = 'never reached the broker';

/**
 * Settles orders whose outcome is unknown (a timeout, a crash while sending) by asking the broker for the order
 * with the intent's clientOrderId and a description of what was sent (brokers without a client order id, KIS and
 * Kiwoom REST, match it in their order list) — never by sending it again:
 * - the broker knows it: the order takes the broker's status;
 * - the broker does not know it once the grace period after sending has passed (ReconciliationGrace: per broker):
 *   REJECTED, "never reached the broker";
 * - the broker cannot answer: ask again with exponential backoff (bounded), and after reconcileMaxBlockingMs leave
 *   the order UNKNOWN for the periodic sweep so the intents queued behind it are not held forever;
 * - several broker orders match it (AMBIGUOUS_MATCH): it stays UNKNOWN with that operator flag (GetIntent, the
 *   `execution_worker_orders_needing_operator` gauge, an error log) and is not asked about again: only an operator,
 *   at the broker, can tell which order is this intent's.
 */
@Injectable()
export class OrderReconciler implements OnApplicationShutdown {
  private readonly logger = new Logger(OrderReconciler.name);
  private readonly active = new Set<string>();
  /** The (broker, account, symbol) key each running reconciliation holds, by intent id. */
  private readonly holding = new Map<string, { key: string; brokerId: string }>();
  private readonly shutdown = new AbortController();
  /** A broker that does not answer for an order is asked again and again: warned about at most every 10 minutes. */
  private readonly warnings: LogThrottle;

  constructor(
    private readonly store: ExecutionStore,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly queue: KeyedSerialQueue,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    @Inject(WORKER_CLOCK) private readonly clock: WorkerClock,
    private readonly metrics: WorkerMetrics,
    private readonly grace: ReconciliationGrace,
  ) {
    metrics.useBlockedKeys(() => this.blockedKeysByBroker());
    this.warnings = new LogThrottle(undefined, () => this.clock.now().getTime());
  }

  /** Queues a reconciliation behind the intents of the same (broker, account, symbol). */
  schedule(stored: StoredIntent): Promise<ReconciliationOutcome> {
    return this.queue.enqueue(orderingKey(stored.intent), () => this.reconcile(stored.intent.intentId));
  }

  /** True while the order of this intent is being reconciled. */
  isReconciling(intentId: string): boolean {
    return this.active.has(intentId);
  }

  /** True while a reconciliation holds this (broker, account, symbol) key: its next intents wait for it. */
  isKeyBlocked(key: string): boolean {
    for (const held of this.holding.values()) if (held.key === key) return true;
    return false;
  }

  /** Keys held by a reconciliation right now, per broker (the "blocked keys" gauge). */
  blockedKeysByBroker(): Map<string, number> {
    const keys = new Map<string, Set<string>>();
    for (const held of this.holding.values()) {
      const set = keys.get(held.brokerId) ?? new Set<string>();
      set.add(held.key);
      keys.set(held.brokerId, set);
    }
    return new Map([...keys].map(([brokerId, set]) => [brokerId, set.size]));
  }

  /** Reconciles now (the caller holds the intent's queue slot). */
  async reconcile(intentId: string): Promise<ReconciliationOutcome> {
    if (this.active.has(intentId)) return 'settled';
    this.active.add(intentId);
    this.metrics.reconciliationStarted();
    try {
      const outcome = await this.reconcileLoop(intentId);
      this.metrics.reconciliationEnded(outcome);
      if (outcome !== 'deferred' && outcome !== 'aborted') {
        // Settled: a later problem with this intent is news again.
        this.warnings.forget(`no-answer ${intentId}`);
        this.warnings.forget(`deferred ${intentId}`);
      }
      return outcome;
    } finally {
      this.active.delete(intentId);
      this.holding.delete(intentId);
    }
  }

  /** Ends every reconciliation at its next step; the orders stay UNKNOWN and are reconciled at the next start. */
  stop(): void {
    this.shutdown.abort();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private async reconcileLoop(intentId: string): Promise<ReconciliationOutcome> {
    const signal = this.shutdown.signal;
    const startedAt = this.clock.now().getTime();
    let delayMs = this.settings.reconcileInitialDelayMs;

    for (;;) {
      if (signal.aborted) return 'aborted';
      const stored = await this.store.findIntent(intentId);
      const order = stored?.order;
      if (stored === null || order === undefined || !needsReconciliation(order)) return 'settled';
      // Flagged for an operator: asking again cannot tell the matching orders apart.
      if (order.operatorFlag !== undefined) return 'ambiguous';
      if (!this.holding.has(intentId)) {
        this.holding.set(intentId, { key: orderingKey(stored.intent), brokerId: order.brokerId });
      }

      const adapter = this.brokers.adapterFor(order.brokerId);
      if (adapter === undefined) {
        this.logger.warn(`Cannot reconcile intent '${intentId}': broker '${order.brokerId}' has no order adapter`);
        return 'no_adapter';
      }

      let found: OrderResponse | null | undefined;
      try {
        found = await adapter.getOrder({ clientOrderId: order.clientOrderId, placed: placedOrderOf(stored, order) });
      } catch (error) {
        found = undefined;
        this.warnOnce(`no-answer ${intentId}`, `Reconciling intent '${intentId}': broker did not answer (${describe(error)}); will ask again`);
      }

      if (found?.status === OrderStatus.UNKNOWN && found.brokerCode === AMBIGUOUS_MATCH_CODE) {
        await this.flagAmbiguous(stored, order, found);
        return 'ambiguous';
      }
      const now = this.clock.now().getTime();
      if (found !== null && found !== undefined && isSettledAtBroker(found.status)) {
        await this.applyBrokerState(stored, order, found);
        return 'found';
      }
      const sentAt = (order.submittedAt ?? order.createdAt).getTime();
      const graceEndsAt = sentAt + this.grace.forBroker(order.brokerId);
      if (found === null && now >= graceEndsAt) {
        await this.declareNeverReached(stored, order);
        return 'never_reached';
      }
      if (now - startedAt >= this.settings.reconcileMaxBlockingMs) {
        this.warnOnce(`deferred ${intentId}`, `Order of intent '${intentId}' is still ${order.status}; the periodic sweep will keep reconciling it`);
        return 'deferred';
      }
      // Do not overshoot the end of the grace period by a whole backoff step when the broker says "not found".
      const waitMs = found === null ? Math.max(1, Math.min(delayMs, graceEndsAt - now)) : delayMs;
      await this.clock.sleep(waitMs, signal);
      delayMs = Math.min(delayMs * 2, this.settings.reconcileMaxDelayMs);
    }
  }

  private warnOnce(key: string, line: string): void {
    const suppressed = this.warnings.admit(key);
    if (suppressed !== undefined) this.logger.warn(`${line}${suppressedSuffix(suppressed)}`);
  }

  private async applyBrokerState(stored: StoredIntent, order: StoredOrder, found: OrderResponse): Promise<void> {
    const rejected = found.status === OrderStatus.REJECTED;
    const message = `reconciled with the broker: ${found.status}${found.message ? ` (${found.message})` : ''}`;
    // PENDING cannot go straight to CANCELLED: record that the outcome was unknown first.
    if (!canTransition(order.status, found.status) && canTransition(order.status, OrderStatus.UNKNOWN)) {
      await this.store.settle(order.intentId, { order: { status: OrderStatus.UNKNOWN } }, 'reconciliation', this.clock.now());
    }
    await this.store.settle(
      order.intentId,
      {
        answer: {
          accepted: !rejected,
          handledBy: stored.answer?.handledBy || 'live',
          ...(rejected ? { failSafeCode: FailSafeCode.FS040 } : {}),
          message,
        },
        order: {
          status: found.status,
          ...(found.orderId ? { brokerOrderId: found.orderId } : {}),
          filledQuantity: found.filledQuantity,
          ...(found.avgFillPrice === undefined ? {} : { avgFillPrice: found.avgFillPrice }),
          message,
        },
      },
      'reconciliation',
      this.clock.now(),
    );
    this.logger.log(`Intent '${order.intentId}': ${message}`);
  }

  private async flagAmbiguous(stored: StoredIntent, order: StoredOrder, found: OrderResponse): Promise<void> {
    const message = `needs an operator: ${found.message}`;
    if (order.status === OrderStatus.PENDING) {
      await this.store.settle(order.intentId, { order: { status: OrderStatus.UNKNOWN } }, 'reconciliation', this.clock.now());
    }
    await this.store.settle(
      order.intentId,
      {
        answer: { accepted: false, handledBy: stored.answer?.handledBy || 'live', failSafeCode: FailSafeCode.FS042, message },
        order: { status: OrderStatus.UNKNOWN, operatorFlag: AMBIGUOUS_MATCH_CODE, message },
      },
      'reconciliation',
      this.clock.now(),
    );
    this.logger.error(
      `Intent '${order.intentId}' (broker '${order.brokerId}', account '${order.accountId}', symbol ${order.symbol}): ` +
        `${AMBIGUOUS_MATCH_CODE}; ${message}. It stays UNKNOWN and is never re-sent: settle it at the broker.`,
    );
  }

  private async declareNeverReached(stored: StoredIntent, order: StoredOrder): Promise<void> {
    const message = `${NEVER_REACHED_MESSAGE}: no order with client order id '${order.clientOrderId}' ${Math.round(
      this.grace.forBroker(order.brokerId) / 1000,
    )} s after it was sent; not re-sent`;
    if (order.status === OrderStatus.PENDING) {
      await this.store.settle(order.intentId, { order: { status: OrderStatus.UNKNOWN } }, 'reconciliation', this.clock.now());
    }
    await this.store.settle(
      order.intentId,
      {
        answer: {
          accepted: false,
          handledBy: stored.answer?.handledBy || 'live',
          failSafeCode: FailSafeCode.FS042,
          message,
        },
        order: { status: OrderStatus.REJECTED, message },
      },
      'reconciliation',
      this.clock.now(),
    );
    this.logger.warn(`Intent '${order.intentId}': ${message}`);
  }
}

/**
 * What was sent for the order: as recorded with it (account, symbol, side, type, quantity, price), else the intent's
 * fields (orders stored before they were recorded), and when (`submitted_at`, written just before the call).
 */
export function placedOrderOf(stored: StoredIntent, order: StoredOrder): PlacedOrderDescription {
  const placed = order.placed ?? {
    side: stored.intent.side,
    orderType: stored.intent.orderType,
    quantity: stored.intent.quantity,
    ...(stored.intent.limitPrice === undefined ? {} : { price: stored.intent.limitPrice }),
  };
  return {
    accountId: order.accountId,
    symbol: order.symbol,
    side: placed.side,
    orderType: placed.orderType,
    quantity: placed.quantity,
    ...(placed.price === undefined ? {} : { price: placed.price }),
    sentAt: order.submittedAt ?? order.createdAt,
  };
}

/** A broker answer that settles the order; PENDING/UNKNOWN at the broker means "ask again later". */
function isSettledAtBroker(status: OrderStatus): boolean {
  return status !== OrderStatus.PENDING && status !== OrderStatus.UNKNOWN;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
