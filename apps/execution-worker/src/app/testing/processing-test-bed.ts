import { AccountType, BrokerType, Decimal, ExecutionIntent, OrderSide, OrderType } from '@qts/broker-domain';
import type { PlatformConfig } from '@qts/platform-config';
import type { DataSource } from 'typeorm';
import { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from '../config/worker-settings';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { ExecutionStore } from '../persistence/execution-store';
import { openWorkerDataSource } from '../persistence/open-worker-data-source';
import { workerDataSourceOptions } from '../persistence/worker-data-source-options';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import type { ExecutionReport } from '../processing/execution-report';
import { InFlightRecovery } from '../processing/in-flight-recovery';
import { IntentExecutionService } from '../processing/intent-execution.service';
import { KeyedSerialQueue } from '../processing/keyed-serial-queue';
import { OpenOrderTracker } from '../processing/open-order-tracker';
import { OrderReconciler } from '../processing/order-reconciler';
import { ReconciliationSweep } from '../processing/reconciliation-sweep';
import { ManualWorkerClock } from './manual-worker-clock';
import { ScriptedBrokerFactory } from './scripted-broker-factory';

export const TEST_ACCOUNT = '50012345-01';

/** A platform configuration with one KIS broker ('kis', one PAPER account) and nothing else. */
export function testPlatformConfig(overrides: Partial<PlatformConfig> = {}): PlatformConfig {
  return {
    brokersConfigPath: '/dev/null',
    brokers: [
      {
        id: 'kis',
        type: BrokerType.KIS,
        grpc: { host: '127.0.0.1', port: 50061 },
        rateLimit: { preset: 'kis-paper' },
        accounts: [{ id: TEST_ACCOUNT, name: 'paper', type: AccountType.PAPER, isDefault: true }],
        required: true,
        mock: true,
      },
    ],
    bindHost: '127.0.0.1',
    gateway: { httpPort: 3000, grpcPort: 50051 },
    worker: { httpPort: 3001, grpcPort: 50052 },
    databaseUrl: 'sqlite::memory:',
    liveTradingEnabled: false,
    logLevel: 'silent',
    brokerHealthIntervalMs: 30_000,
    brokerDeadlineMs: 5_000,
    ...overrides,
  };
}

/** A LIMIT buy of 10 Samsung Electronics at 70,100 KRW; overrides per test. */
export function testIntent(intentId: string, overrides: Partial<ExecutionIntent> = {}): ExecutionIntent {
  return {
    intentId,
    strategyId: 'momentum-kr',
    brokerId: 'kis',
    accountId: TEST_ACCOUNT,
    symbol: '005930',
    side: OrderSide.BUY,
    quantity: 10,
    orderType: OrderType.LIMIT,
    limitPrice: new Decimal('70100'),
    ...overrides,
  };
}

/**
 * The exactly-once core wired by hand over an in-memory SQLite database with the real migrations: store, queue,
 * reconciler, execution service, recovery, sweep and open-order tracker, a scripted broker factory and a manual clock.
 */
export class ProcessingTestBed {
  readonly clock = new ManualWorkerClock();
  readonly brokers = new ScriptedBrokerFactory();
  readonly reports: ExecutionReport[] = [];
  readonly metrics = new WorkerMetrics();
  readonly bus = new ExecutionReportBus();
  readonly settings: WorkerSettings;
  store!: ExecutionStore;
  queue!: KeyedSerialQueue;
  reconciler!: OrderReconciler;
  executions!: IntentExecutionService;
  recovery!: InFlightRecovery;
  sweep!: ReconciliationSweep;
  tracker!: OpenOrderTracker;
  private constructor(
    readonly dataSource: DataSource,
    settings: Partial<WorkerSettings>,
    readonly config: PlatformConfig,
  ) {
    this.settings = { ...DEFAULT_WORKER_SETTINGS, reconcileGraceMs: 10_000, ...settings };
    this.bus.subscribe((report) => this.reports.push(report));
    this.wire();
  }

  static async create(
    settings: Partial<WorkerSettings> = {},
    config: PlatformConfig = testPlatformConfig(),
    databaseUrl = 'sqlite::memory:',
  ): Promise<ProcessingTestBed> {
    const dataSource = await openWorkerDataSource(workerDataSourceOptions(databaseUrl));
    return new ProcessingTestBed(dataSource, settings, config);
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
    this.store = new ExecutionStore(this.dataSource, this.bus);
    this.queue = new KeyedSerialQueue(this.settings.maxConcurrency);
    this.reconciler = new OrderReconciler(this.store, this.brokers, this.queue, this.settings, this.clock, this.metrics);
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
    this.sweep = new ReconciliationSweep(this.store, this.reconciler, this.settings);
    this.tracker = new OpenOrderTracker(
      this.store,
      this.brokers,
      this.queue,
      this.reconciler,
      this.settings,
      this.clock,
      this.metrics,
    );
  }
}
