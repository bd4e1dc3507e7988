import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  BROKER_ERROR_CODES,
  canTransition,
  IllegalOrderTransitionError,
  isBrokerError,
  OrderResponse,
  OrderStatus,
} from '@qts/broker-domain';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { WorkerMetrics, type OpenOrderCheckOutcome } from '../metrics/worker-metrics';
import { ExecutionStore } from '../persistence/execution-store';
import type { StoredIntent, StoredOrder } from '../persistence/stored-intent';
import { KeyedSerialQueue, LogThrottle, suppressedSuffix } from '@qts/service-infra';
import { OrderReconciler } from './order-reconciler';
import { orderingKey } from './ordering-key';
import { WORKER_CLOCK, type WorkerClock } from './worker-clock';

/** Orders the broker accepted that can still change there (fills, cancellations). */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.ACCEPTED, OrderStatus.PARTIAL];

/** The warnings repeated round after round for one order, each throttled on its own. */
const OPEN_ORDER_WARNING_KINDS = ['unknown', 'illegal', 'no-answer'] as const;

/** What one polling round did. */
export interface OpenOrderPollSummary {
  /** Open orders asked for in this round. */
  checked: number;
  /** Of those, orders whose new state was stored (and reported). */
  changed: number;
}

/**
 * Follows orders that are open at the broker (ACCEPTED, PARTIAL; e.g. a resting LIMIT order): every openOrderPollMs
 * it asks the broker for the current state of at most openOrderPollBatch of them, those checked longest ago first,
 * and stores a changed status or fill through ExecutionStore.settle, which writes the order event and publishes the
 * execution report. It only ever reads at the broker: nothing is sent or re-sent.
 *
 * Each look runs in the (broker, account, symbol) queue, so it never overlaps the execution or reconciliation of
 * an intent of that key; the order is re-read inside the slot. A broker answer that is not a legal transition of
 * the order state machine, or that would lower the filled quantity (a stale answer), is logged and never stored.
 * A broker that cannot answer (unavailable, rate-limited, lookups not supported) skips that order this round.
 */
@Injectable()
export class OpenOrderTracker implements OnApplicationShutdown {
  private readonly logger = new Logger(OpenOrderTracker.name);
  /** Intent id -> round in which its order was last asked for (this process only). */
  private readonly lastChecked = new Map<string, number>();
  /** Intents whose look is queued or running: never asked twice at once, and bounding the broker calls. */
  private readonly inFlight = new Set<string>();
  /** Brokers already logged as not supporting order lookups (logged once, at debug level afterwards). */
  private readonly unsupportedLogged = new Set<string>();
  /** The same warning about the same order (unknown to the broker, an illegal answer...) at most every 10 minutes. */
  private readonly warnings: LogThrottle;
  private round = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ExecutionStore,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly queue: KeyedSerialQueue,
    private readonly reconciler: OrderReconciler,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    @Inject(WORKER_CLOCK) private readonly clock: WorkerClock,
    private readonly metrics: WorkerMetrics,
  ) {
    this.warnings = new LogThrottle(undefined, () => this.clock.now().getTime());
  }

  /** Starts polling every openOrderPollMs; does nothing when that is 0 (disabled) or when already started. */
  start(): void {
    if (this.timer !== undefined || this.stopped || this.settings.openOrderPollMs <= 0) return;
    this.timer = setInterval(() => {
      this.poll().catch((error) => this.logger.warn(`Open-order poll failed: ${errorSummary(error)}`));
    }, this.settings.openOrderPollMs);
    this.timer.unref();
  }

  /** No new rounds; looks still queued end without asking the broker. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /**
   * One round: picks the open orders not being looked at, checked longest ago first (never checked first, then in
   * arrival order), as many as keep at most openOrderPollBatch looks outstanding, and resolves once they are done.
   */
  async poll(): Promise<OpenOrderPollSummary> {
    if (this.stopped) return { checked: 0, changed: 0 };
    this.metrics.openOrderPoll();
    const open = await this.store.listByOrderStatus(OPEN_ORDER_STATUSES);
    this.forgetClosed(open);

    const room = this.settings.openOrderPollBatch - this.inFlight.size;
    if (room <= 0) return { checked: 0, changed: 0 };
    const batch = open
      .filter((stored) => !this.inFlight.has(stored.intent.intentId))
      .sort((a, b) => this.checkedRound(a) - this.checkedRound(b) || a.seq - b.seq)
      .slice(0, room);

    this.round += 1;
    const outcomes = await Promise.all(batch.map((stored) => this.schedule(stored)));
    return { checked: batch.length, changed: outcomes.filter((outcome) => outcome === 'changed').length };
  }

  private checkedRound(stored: StoredIntent): number {
    return this.lastChecked.get(stored.intent.intentId) ?? 0;
  }

  private forgetClosed(open: StoredIntent[]): void {
    const openIds = new Set(open.map((stored) => stored.intent.intentId));
    for (const id of this.lastChecked.keys()) {
      if (openIds.has(id)) continue;
      this.lastChecked.delete(id);
      for (const kind of OPEN_ORDER_WARNING_KINDS) this.warnings.forget(`${kind} ${id}`);
    }
  }

  private async schedule(stored: StoredIntent): Promise<OpenOrderCheckOutcome> {
    const intentId = stored.intent.intentId;
    this.inFlight.add(intentId);
    this.lastChecked.set(intentId, this.round);
    try {
      const outcome = await this.queue.enqueue(orderingKey(stored.intent), () => this.check(intentId));
      this.metrics.openOrderChecked(outcome.outcome, outcome.status);
      return outcome.outcome;
    } catch (error) {
      // The database failed: nothing was stored; the next round asks again.
      this.logger.warn(`Open order of intent '${intentId}' could not be checked: ${errorSummary(error)}`);
      this.metrics.openOrderChecked('skipped');
      return 'skipped';
    } finally {
      this.inFlight.delete(intentId);
    }
  }

  /** Runs in the intent's queue slot: nothing else of its (broker, account, symbol) runs meanwhile. */
  private async check(intentId: string): Promise<{ outcome: OpenOrderCheckOutcome; status?: OrderStatus }> {
    if (this.stopped || this.reconciler.isReconciling(intentId)) return { outcome: 'skipped' };
    // The state may have changed while the look waited for its slot.
    const order = (await this.store.findIntent(intentId))?.order;
    if (order === undefined || !OPEN_ORDER_STATUSES.includes(order.status)) return { outcome: 'skipped' };

    const adapter = this.brokers.adapterFor(order.brokerId);
    if (adapter === undefined) {
      this.logger.debug(`Open order of intent '${intentId}': broker '${order.brokerId}' has no order adapter`);
      return { outcome: 'skipped' };
    }
    let found: OrderResponse | null;
    try {
      found = await adapter.getOrder({
        clientOrderId: order.clientOrderId,
        ...(order.brokerOrderId === undefined ? {} : { orderId: order.brokerOrderId }),
      });
    } catch (error) {
      this.logBrokerError(intentId, order.brokerId, error);
      return { outcome: 'broker_error' };
    }
    if (found === null) {
      // The broker accepted it earlier: a missing order is the broker's inconsistency, not a state to store.
      this.warnOnce('unknown', intentId, `Open order of intent '${intentId}' is unknown to broker '${order.brokerId}'; left ${order.status}`);
      return { outcome: 'not_found' };
    }
    return this.apply(order, found);
  }

  private async apply(
    order: StoredOrder,
    found: OrderResponse,
  ): Promise<{ outcome: OpenOrderCheckOutcome; status?: OrderStatus }> {
    const { intentId } = order;
    const filledQuantity = found.filledQuantity;
    if (found.status === order.status && filledQuantity === order.filledQuantity) return { outcome: 'unchanged' };
    // PENDING/UNKNOWN at the broker: it has not settled its view yet; ask again next round.
    if (found.status === OrderStatus.PENDING || found.status === OrderStatus.UNKNOWN) return { outcome: 'unchanged' };

    const sameStatus = found.status === order.status;
    if ((sameStatus && order.status !== OrderStatus.PARTIAL) || (!sameStatus && !canTransition(order.status, found.status))) {
      this.warnOnce(
        'illegal',
        intentId,
        `Open order of intent '${intentId}': broker reports ${found.status} (filled ${filledQuantity}), ` +
          `not a legal change of ${order.status} (filled ${order.filledQuantity}); not stored`,
      );
      return { outcome: 'illegal' };
    }
    if (filledQuantity < order.filledQuantity) {
      this.warnOnce(
        'illegal',
        intentId,
        `Open order of intent '${intentId}': broker reports filled ${filledQuantity}, below the stored ` +
          `${order.filledQuantity} (a stale answer); not stored`,
      );
      return { outcome: 'illegal' };
    }

    const message = `broker reports ${found.status}${found.message ? ` (${found.message})` : ''}`;
    try {
      await this.store.settle(
        intentId,
        {
          order: {
            status: found.status,
            ...(found.orderId ? { brokerOrderId: found.orderId } : {}),
            filledQuantity,
            ...(found.avgFillPrice === undefined ? {} : { avgFillPrice: found.avgFillPrice }),
            message,
          },
        },
        'open_order_poll',
        this.clock.now(),
      );
    } catch (error) {
      if (!(error instanceof IllegalOrderTransitionError)) throw error;
      // Another process on the same database moved the order first: its state stands.
      this.logger.warn(`Open order of intent '${intentId}': ${error.message}; not stored`);
      return { outcome: 'illegal' };
    }
    this.logger.log(`Intent '${intentId}': ${order.status} -> ${found.status}, filled ${filledQuantity}`);
    return { outcome: 'changed', status: found.status };
  }

  private logBrokerError(intentId: string, brokerId: string, error: unknown): void {
    if (isBrokerError(error) && error.code === BROKER_ERROR_CODES.NOT_SUPPORTED) {
      // A broker whose adapter cannot look orders up (some REST adapters): once at warn, then quietly.
      const first = !this.unsupportedLogged.has(brokerId);
      this.unsupportedLogged.add(brokerId);
      const line = `Broker '${brokerId}' cannot look orders up; open orders of it are not followed (${errorSummary(error)})`;
      if (first) this.logger.warn(line);
      else this.logger.debug(line);
      return;
    }
    const retryable = isBrokerError(error) && error.retryable;
    const line = `Open order of intent '${intentId}': broker '${brokerId}' did not answer (${errorSummary(error)}); asked again later`;
    if (retryable) this.logger.debug(line);
    else this.warnOnce('no-answer', intentId, line);
  }

  /** A warning about an order polled every round: logged once, then at most every 10 minutes while it persists. */
  private warnOnce(kind: (typeof OPEN_ORDER_WARNING_KINDS)[number], intentId: string, line: string): void {
    const suppressed = this.warnings.admit(`${kind} ${intentId}`);
    if (suppressed !== undefined) this.logger.warn(`${line}${suppressedSuffix(suppressed)}`);
  }
}

/**
 * The error's class and code; a broker error's message is the domain's own wording. Messages of other errors may
 * carry request details (URLs, headers), so they are left out of the logs.
 */
function errorSummary(error: unknown): string {
  if (isBrokerError(error)) return `${error.name} ${error.code}: ${error.message}`;
  return error instanceof Error ? error.name : typeof error;
}
