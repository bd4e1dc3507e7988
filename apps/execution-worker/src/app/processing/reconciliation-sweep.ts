import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OrderStatus } from '@qts/broker-domain';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { ExecutionStore } from '../persistence/execution-store';
import { needsReconciliation } from './order-progress';
import { OrderReconciler } from './order-reconciler';

/**
 * Every reconcileSweepMs, queues a reconciliation for each order of this worker still UNKNOWN (or PENDING after it
 * was sent) that is not being reconciled: orders whose reconciliation was deferred because the broker did not answer,
 * or whose answer could not be stored. Each replica sweeps only the orders it owns, so the broker is asked once per
 * order whatever the number of replicas.
 */
@Injectable()
export class ReconciliationSweep implements OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationSweep.name);
  private readonly queued = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ExecutionStore,
    private readonly reconciler: OrderReconciler,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error) => this.logger.warn(`Reconciliation sweep failed: ${String(error)}`));
    }, this.settings.reconcileSweepMs);
    this.timer.unref();
  }

  /** Queues the reconciliations; returns how many were queued. */
  async sweep(): Promise<number> {
    let count = 0;
    for (const stored of await this.store.listByOrderStatus([OrderStatus.UNKNOWN, OrderStatus.PENDING])) {
      const id = stored.intent.intentId;
      // Orders flagged for an operator (AMBIGUOUS_MATCH) are not asked about again.
      if (stored.order === undefined || !needsReconciliation(stored.order) || stored.order.operatorFlag !== undefined) continue;
      if (this.queued.has(id) || this.reconciler.isReconciling(id)) continue;
      this.queued.add(id);
      count += 1;
      void this.reconciler
        .schedule(stored)
        .catch((error) => this.logger.warn(`Reconciling intent '${id}' failed: ${String(error)}`))
        .finally(() => this.queued.delete(id));
    }
    return count;
  }

  /** No further sweeps (reconciliations already queued run on, until the reconciler stops). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
