import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { WorkerSettings } from '@qts/platform-config';
import { KeyedSerialQueue, PlatformGrpcServer } from '@qts/service-infra';
import { WORKER_SETTINGS } from './config/worker-settings.provider';
import { InFlightRecovery } from './processing/in-flight-recovery';
import { IntentExecutionService } from './processing/intent-execution.service';
import { OpenOrderTracker } from './processing/open-order-tracker';
import { OrderReconciler } from './processing/order-reconciler';
import { ReconciliationSweep } from './processing/reconciliation-sweep';

/**
 * Start-up and shutdown of the exactly-once core around the gRPC server.
 * Start-up: the last run's unfinished intents are queued for recovery before the gRPC port is bound (the port is
 * bound after the application's bootstrap hooks), so no new intent can overtake an in-flight order of its key.
 * Shutdown (SIGTERM): NOT_SERVING, report streams ended with OK, no new calls; queued intents are not sent any more,
 * reconciliations stop at their next step, and broker calls already made get WORKER_SHUTDOWN_GRACE_MS to finish and
 * record their answers. Whatever is cut short is reconciled at the next start.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    private readonly recovery: InFlightRecovery,
    private readonly sweep: ReconciliationSweep,
    private readonly tracker: OpenOrderTracker,
    private readonly queue: KeyedSerialQueue,
    private readonly executions: IntentExecutionService,
    private readonly reconciler: OrderReconciler,
    private readonly grpc: PlatformGrpcServer,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.recovery.recover();
    this.sweep.start();
    this.tracker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    void this.grpc.beginShutdown();
    this.executions.stop();
    this.reconciler.stop();
    this.tracker.stop();
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
          'their orders are reconciled at the next start',
      );
    }
  }
}
