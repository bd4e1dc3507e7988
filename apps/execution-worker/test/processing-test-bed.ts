import type { PlatformConfig } from '@qts/platform-config';
import { KeyedSerialQueue, openServiceDataSource, serviceDataSourceOptions } from '@qts/service-infra';
import { testPlatformConfig } from '@qts/test-support';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { WorkerMetrics } from '../src/app/metrics/worker-metrics';
import { ExecutionStore } from '../src/app/persistence/execution-store';
import { UnitOfWork } from '../src/app/persistence/unit-of-work';
import { WORKER_DATABASE } from '../src/app/persistence/worker-database';
import type { ExecutionReport } from '../src/app/processing/execution-report';
import { ExecutionReportBus } from '../src/app/processing/execution-report-bus';
import { InFlightRecovery } from '../src/app/processing/in-flight-recovery';
import { IntentExecutionService } from '../src/app/processing/intent-execution.service';
import { OpenOrderTracker } from '../src/app/processing/open-order-tracker';
import { OrderReconciler } from '../src/app/processing/order-reconciler';
import { ReconciliationGrace } from '../src/app/processing/reconciliation-grace';
import { ReconciliationSweep } from '../src/app/processing/reconciliation-sweep';
import { ManualWorkerClock } from './manual-worker-clock';
import { ScriptedBrokerFactory } from './scripted-broker-factory';

/**
 * The exactly-once core wired by hand over a database with the real migrations (in-memory SQLite unless told
 * otherwise): store, queue, reconciler, execution service, recovery, sweep and open-order tracker, a scripted broker
 * factory and a manual clock. The configuration is testPlatformConfig() with a 10 s reconciliation grace.
 */
export class ProcessingTestBed {
  readonly clock = new ManualWorkerClock();
  readonly brokers = new ScriptedBrokerFactory();
  readonly reports: ExecutionReport[] = [];
  readonly metrics = new WorkerMetrics(new Registry());
  readonly bus = new ExecutionReportBus();
  readonly unitOfWork: UnitOfWork;
  store!: ExecutionStore;
  queue!: KeyedSerialQueue;
  reconciler!: OrderReconciler;
  executions!: IntentExecutionService;
  recovery!: InFlightRecovery;
  sweep!: ReconciliationSweep;
  tracker!: OpenOrderTracker;

  private constructor(
    readonly dataSource: DataSource,
    readonly config: PlatformConfig,
  ) {
    this.unitOfWork = new UnitOfWork(dataSource);
    this.bus.subscribe((report) => this.reports.push(report));
    this.wire();
  }

  get settings(): PlatformConfig['worker'] {
    return this.config.worker;
  }

  static async create(
    settings: Partial<PlatformConfig['worker']> = {},
    config: PlatformConfig = testPlatformConfig(),
    databaseUrl = 'sqlite::memory:',
  ): Promise<ProcessingTestBed> {
    const dataSource = await openServiceDataSource(serviceDataSourceOptions(databaseUrl, WORKER_DATABASE));
    return new ProcessingTestBed(dataSource, { ...config, worker: { ...config.worker, reconcileGraceMs: 10_000, ...settings } });
  }

  /** A fresh set of services on the same database: what a restarted worker process has. */
  restart(): void {
    this.reconciler.stop();
    this.tracker.stop();
    this.executions.stop();
    this.wire();
  }

  async close(): Promise<void> {
    this.reconciler.stop();
    this.sweep.onApplicationShutdown();
    this.tracker.stop();
    await this.queue.onIdle();
    await this.dataSource.destroy();
  }

  private wire(): void {
    const settings = this.config.worker;
    this.store = new ExecutionStore(new UnitOfWork(this.dataSource), this.bus);
    this.queue = new KeyedSerialQueue(settings.maxConcurrency);
    this.reconciler = new OrderReconciler(
      this.store,
      this.brokers,
      this.queue,
      settings,
      this.clock,
      this.metrics,
      new ReconciliationGrace(this.config),
    );
    this.executions = new IntentExecutionService(
      this.store,
      this.brokers,
      this.queue,
      this.reconciler,
      this.config,
      this.clock,
      this.metrics,
    );
    this.recovery = new InFlightRecovery(this.store, this.executions, this.reconciler, this.clock);
    this.sweep = new ReconciliationSweep(this.store, this.reconciler, settings);
    this.tracker = new OpenOrderTracker(this.store, this.brokers, this.queue, this.reconciler, settings, this.clock, this.metrics);
  }
}
