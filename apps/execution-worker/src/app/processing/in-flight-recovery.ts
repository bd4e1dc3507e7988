import { Inject, Injectable, Logger } from '@nestjs/common';
import { FailSafeCode, OrderStatus } from '@qts/broker-domain';
import { ExecutionStore } from '../persistence/execution-store';
import { WorkerLeases } from '../persistence/worker-leases';
import type { StoredIntent } from '../persistence/stored-intent';
import { IntentExecutionService } from './intent-execution.service';
import { isUnsent, needsReconciliation } from './order-progress';
import { OrderReconciler } from './order-reconciler';
import { WORKER_CLOCK, type WorkerClock } from './worker-clock';

export interface RecoverySummary {
  /** Stored intents that had not been sent: executed now, in arrival order. */
  resumed: number;
  /** Orders that were (or may have been) sent: reconciled with the broker, never re-sent. */
  reconciling: number;
  /** Orders open at the broker, followed by this worker from now on (OpenOrderTracker). */
  following: number;
}

/**
 * Takes over what workers that are gone left unfinished: the last run of this worker, or another replica that
 * stopped or crashed. Only intents without a live owner are touched (ExecutionStore.takeOverOrphans): an order
 * another running worker is sending right now is never marked UNKNOWN, reconciled or re-sent from here.
 * At start-up (recover) the work is queued in arrival order in the queues of the intents' (broker, account,
 * symbol) BEFORE the gRPC server accepts new intents, so a new intent of a key is processed only after that key's
 * in-flight orders are reconciled; later take-overs (takeOver, run periodically) queue behind what is there.
 */
@Injectable()
export class InFlightRecovery {
  private readonly logger = new Logger(InFlightRecovery.name);

  constructor(
    private readonly store: ExecutionStore,
    private readonly executions: IntentExecutionService,
    private readonly reconciler: OrderReconciler,
    @Inject(WORKER_CLOCK) private readonly clock: WorkerClock,
    private readonly leases: WorkerLeases,
  ) {}

  /** Start-up: this worker's lease first, then the take-over. Returns once the work is queued. */
  async recover(): Promise<RecoverySummary & { done: Promise<void> }> {
    await this.leases.register();
    return this.takeOver();
  }

  /** Queues the work of the intents taken over and returns; `done` settles when all of it has finished. */
  async takeOver(): Promise<RecoverySummary & { done: Promise<void> }> {
    const work: Promise<unknown>[] = [];
    let resumed = 0;
    let reconciling = 0;
    let following = 0;
    for (const stored of await this.store.takeOverOrphans()) {
      const { order } = stored;
      if (order !== undefined && needsReconciliation(order)) {
        await this.markOutcomeUnknown(stored);
        work.push(this.reconciler.schedule(stored).catch((error) => this.logFailure(stored, error)));
        reconciling += 1;
      } else if (isUnsent(stored)) {
        work.push(this.executions.resume(stored).catch((error) => this.logFailure(stored, error)));
        resumed += 1;
      } else {
        following += 1;
      }
    }
    if (resumed + reconciling + following > 0) {
      this.logger.log(
        `Took over ${resumed} stored intent(s) to send, ${reconciling} order(s) to reconcile, ${following} open order(s) to follow`,
      );
    }
    return { resumed, reconciling, following, done: Promise.all(work).then(() => undefined) };
  }

  /** A PENDING order that was handed to the broker when its worker stopped: its outcome is unknown. */
  private async markOutcomeUnknown(stored: StoredIntent): Promise<void> {
    const message = 'order outcome unknown (the worker stopped while it was being sent); reconciling, never re-sent';
    const pending = stored.order?.status === OrderStatus.PENDING;
    if (!pending && stored.answer !== undefined) return;
    await this.store.settle(
      stored.intent.intentId,
      {
        ...(stored.answer === undefined
          ? { answer: { accepted: false, handledBy: 'recovery', failSafeCode: FailSafeCode.FS042, message } }
          : {}),
        ...(pending ? { order: { status: OrderStatus.UNKNOWN, message } } : {}),
      },
      'recovery',
      this.clock.now(),
    );
  }

  private logFailure(stored: StoredIntent, error: unknown): void {
    this.logger.error(
      `Recovery of intent '${stored.intent.intentId}' failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
