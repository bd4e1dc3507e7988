import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EXECUTION_PROTO_FILES, loadPackageDefinition, qtsExecutionV1 } from '@qts/grpc-contracts';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { HealthImplementation } from 'grpc-health-check';
import { WORKER_SETTINGS, type WorkerSettings } from '../config/worker-settings';
import { InFlightRecovery } from '../processing/in-flight-recovery';
import { IntentExecutionService } from '../processing/intent-execution.service';
import { KeyedSerialQueue } from '../processing/keyed-serial-queue';
import { OpenOrderTracker } from '../processing/open-order-tracker';
import { OrderReconciler } from '../processing/order-reconciler';
import { ReconciliationSweep } from '../processing/reconciliation-sweep';
import { ExecutionGrpcService } from './execution-grpc.service';

export const EXECUTION_SERVICE_NAME = 'qts.execution.v1.ExecutionService';

/**
 * The worker's gRPC server (@grpc/grpc-js): ExecutionService, grpc.health.v1.Health ('' and the service name) and
 * server reflection. Start-up: recovery of the last run's unfinished intents is queued first, then the port is
 * bound, so no new intent can overtake an in-flight order of its key. Shutdown (SIGTERM): NOT_SERVING, no new calls,
 * in-progress intents get shutdownGraceMs to finish; whatever is cut short is reconciled at the next start.
 */
@Injectable()
export class WorkerGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerGrpcServer.name);
  private readonly health = new HealthImplementation({ '': 'NOT_SERVING', [EXECUTION_SERVICE_NAME]: 'NOT_SERVING' });
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly service: ExecutionGrpcService,
    private readonly recovery: InFlightRecovery,
    private readonly sweep: ReconciliationSweep,
    private readonly tracker: OpenOrderTracker,
    private readonly queue: KeyedSerialQueue,
    private readonly executions: IntentExecutionService,
    private readonly reconciler: OrderReconciler,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  /** The bound port (differs from WORKER_GRPC_PORT only when that is 0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recovery.recover();
    this.sweep.start();
    this.tracker.start();

    const server = new Server();
    server.addService(qtsExecutionV1.ExecutionServiceService, this.service.handlers());
    this.health.addToServer(server);
    new ReflectionService(loadPackageDefinition(EXECUTION_PROTO_FILES, { includeHealth: true })).addToServer(server);
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${hostForBinding(this.config.bindHost)}:${this.config.worker.grpcPort}`,
        ServerCredentials.createInsecure(),
        (error, port) => (error ? reject(error) : resolve(port)),
      ),
    );
    this.server = server;
    this.health.setStatus('', 'SERVING');
    this.health.setStatus(EXECUTION_SERVICE_NAME, 'SERVING');
    this.logger.log(`gRPC ${EXECUTION_SERVICE_NAME} listening on ${this.config.bindHost}:${this.boundPort}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.health.setStatus('', 'NOT_SERVING');
    this.health.setStatus(EXECUTION_SERVICE_NAME, 'NOT_SERVING');

    // Report streams end with OK; no new calls; queued intents are not sent any more; reconciliations stop at
    // their next step. Broker calls already made get the grace period to finish and record their answers.
    this.service.endStreams();
    const callsDone = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    this.executions.stop();
    this.reconciler.stop();
    this.tracker.stop();
    const graceMs = this.settings.shutdownGraceMs;
    const drained = await withinMs(Promise.all([this.queue.onIdle(), callsDone]), graceMs);
    if (!drained) {
      this.logger.warn(
        `Shutdown grace of ${graceMs} ms over with ${this.executions.runningCount} intent(s) in progress; ` +
          'their orders are reconciled at the next start',
      );
    }
    server.forceShutdown();
  }
}

/** IPv6 literals need brackets in a gRPC target. */
function hostForBinding(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
