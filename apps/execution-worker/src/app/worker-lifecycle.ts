import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { WorkerSettings } from '@qts/platform-config';
import { KeyedSerialQueue, ServiceShutdown, type ShutdownParticipant } from '@qts/service-infra';
import { WORKER_SETTINGS } from './config/worker-settings.provider';
import { InFlightRecovery } from './processing/in-flight-recovery';
import { IntentExecutionService } from './processing/intent-execution.service';
import { OpenOrderTracker } from './processing/open-order-tracker';
import { OrderReconciler } from './processing/order-reconciler';
import { ReconciliationSweep } from './processing/reconciliation-sweep';
import { WorkerOwnership } from './processing/worker-ownership';

/**
 * Start-up and shutdown of the exactly-once core around the gRPC server.
 * Start-up: this worker's lease is written and what gone workers left unfinished (its own last run included) is
 * queued for recovery before the gRPC port is bound (the port is bound after the application's bootstrap hooks), so
 * no new intent can overtake an in-flight order of its key; then the heartbeat, sweep and open-order polling start.
 * Shutdown, as a participant of the service's ServiceShutdown (after readiness went down and the gRPC server stopped
 * taking calls): queued intents are handed back and their callers told to submit again, reconciliations stop at
 * their next step, nothing is taken over any more; broker calls already made get WORKER_SHUTDOWN_GRACE_MS to finish
 * and record their answers; then the lease is removed, so that the other replicas take over at once whatever this
 * worker still owned (orders to reconcile or follow). A broker call cut short by the grace is reconciled by them.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, ShutdownParticipant {
  readonly name = 'execution worker';
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    private readonly recovery: InFlightRecovery,
    private readonly sweep: ReconciliationSweep,
    private readonly tracker: OpenOrderTracker,
    private readonly queue: KeyedSerialQueue,
    private readonly executions: IntentExecutionService,
    private readonly reconciler: OrderReconciler,
    private readonly ownership: WorkerOwnership,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    shutdown: ServiceShutdown,
  ) {
    shutdown.register(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recovery.recover();
    this.sweep.start();
    this.tracker.start();
    this.ownership.start();
  }

  async stopAccepting(): Promise<void> {
    this.ownership.stopTakingOver();
    this.sweep.stop();
    this.tracker.stop();
    this.reconciler.stop();
    await this.executions.stop();
  }

  async drain(): Promise<void> {
    const graceMs = this.settings.shutdownGraceMs;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.queue.onIdle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) {
      this.logger.warn(
        `Shutdown grace of ${graceMs} ms over with ${this.executions.runningCount} intent(s) in progress; ` +
          'another worker (or this one after its restart) reconciles their orders',
      );
    }
    await this.ownership.release();
  }
}
