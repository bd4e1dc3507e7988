import { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { JTS_PROTO_FILES, loadPackageDefinition, qtsSimulatorV1, SIMULATOR_PROTO_FILES } from '@qts/grpc-contracts';
import { HealthImplementation } from 'grpc-health-check';
import { createSimulatorAdminService } from './admin/simulator-admin-service';
import { HEALTH_SERVICE_NAME, SimulatedBroker } from './broker/simulated-broker';
import type { SimulatorConfig } from './config/simulator-config';
import { DEFAULT_INJECTED_STATUS } from './grpc/grpc-status-names';
import { bindServer, shutdownServer } from './grpc/grpc-server-lifecycle';
import { SILENT_LOGGER } from './logging/simulator-logger';
import type { SimulatorLogger } from './logging/simulator-logger';

export const ADMIN_SERVICE_NAME = 'qts.simulator.v1.SimulatorAdminService';

/** The line parent processes wait for (test-support, tools/scripts); exactly one, on stdout. */
export const READY_LINE_PREFIX = 'JTS_SIMULATOR_READY';

export interface JtsSimulatorOptions extends SimulatorConfig {
  logger?: SimulatorLogger;
  /** Wall clock of the mock markets (tests). */
  clock?: () => Date;
  /** Monotonic millisecond clock of the rate windows (tests). */
  rateClock?: () => number;
}

/** Grace of a normal stop: in-flight unary calls finish, streams are then cut. */
export const DEFAULT_STOP_GRACE_MS = 1_000;

/**
 * The JTS simulator: one gRPC server per broker (jts.v1 MarketDataService and TradingService, health,
 * reflection) and the admin server (qts.simulator.v1.SimulatorAdminService, health, reflection) on its own
 * port, which stays up while brokers go down and come back.
 */
export class JtsSimulator {
  private constructor(
    readonly brokers: ReadonlyMap<string, SimulatedBroker>,
    private readonly adminServer: Server,
    readonly adminPort: number,
    private readonly host: string,
    private readonly logger: SimulatorLogger,
  ) {}

  /** Starts the admin server and every broker; when it resolves every port listens (or is down by request). */
  static async start(options: JtsSimulatorOptions): Promise<JtsSimulator> {
    const logger = options.logger ?? SILENT_LOGGER;
    const ids = new Set<string>();
    for (const broker of options.brokers) {
      if (ids.has(broker.id)) {
        throw new Error(`broker id '${broker.id}' is listed twice`);
      }
      ids.add(broker.id);
    }
    const reflection = loadPackageDefinition(JTS_PROTO_FILES, { includeHealth: true });
    const brokers = new Map(
      options.brokers.map((config) => [
        config.id,
        new SimulatedBroker({
          ...config,
          host: options.host,
          seed: options.seed,
          reflection,
          logger,
          quoteIntervalMs: options.quoteIntervalMs,
          clock: options.clock,
          rateClock: options.rateClock,
        }),
      ]),
    );
    applyStartupFaults(brokers, options);

    const adminServer = createAdminServer(brokers, logger);
    let adminPort: number;
    try {
      adminPort = await bindServer(adminServer, options.host, options.adminPort, 'admin API');
    } catch (error) {
      adminServer.forceShutdown();
      throw error;
    }
    const simulator = new JtsSimulator(brokers, adminServer, adminPort, options.host, logger);
    try {
      // Each broker binds once even with --refuse: that fixes the port (a picked one for port 0) that a
      // later Up rebinds.
      for (const broker of brokers.values()) {
        await broker.up();
      }
      if (options.startDown) {
        await Promise.all([...brokers.values()].map((broker) => broker.down()));
      }
    } catch (error) {
      await simulator.stop(0);
      throw error;
    }
    logger.info('admin API listening', { host: options.host, port: adminPort });
    return simulator;
  }

  broker(id: string): SimulatedBroker {
    const broker = this.brokers.get(id);
    if (broker === undefined) {
      throw new Error(`no simulated broker '${id}'`);
    }
    return broker;
  }

  brokerPorts(): Record<string, number> {
    return Object.fromEntries([...this.brokers.values()].map((broker) => [broker.id, broker.port]));
  }

  /** `JTS_SIMULATOR_READY {"admin":50060,"brokers":{"kis":50061}}` */
  readyLine(): string {
    return `${READY_LINE_PREFIX} ${JSON.stringify({ admin: this.adminPort, brokers: this.brokerPorts() })}`;
  }

  /** Address clients dial for a broker, e.g. '127.0.0.1:50061'. */
  brokerAddress(id: string): string {
    return `${this.host}:${this.broker(id).port}`;
  }

  /** Stops every broker and the admin server: in-flight calls get `graceMs`, then everything is cut. */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    await Promise.all([...this.brokers.values()].map((broker) => broker.stop(graceMs)));
    await shutdownServer(this.adminServer, graceMs);
    this.logger.info('simulator stopped');
  }
}

function applyStartupFaults(brokers: ReadonlyMap<string, SimulatedBroker>, options: SimulatorConfig): void {
  const { latencyMs = 0, errorRate = 0, errorCode = DEFAULT_INJECTED_STATUS } = options.faults ?? {};
  for (const broker of brokers.values()) {
    broker.faults.setLatency({ latencyMs, rpcs: [] });
    broker.faults.setErrorRate({ rate: errorRate, failure: { code: errorCode }, rpcs: [] });
  }
}

function createAdminServer(brokers: ReadonlyMap<string, SimulatedBroker>, logger: SimulatorLogger): Server {
  const server = new Server();
  server.addService(qtsSimulatorV1.SimulatorAdminServiceService, createSimulatorAdminService(brokers, logger));
  new HealthImplementation({ '': 'SERVING', [ADMIN_SERVICE_NAME]: 'SERVING' }).addToServer(server);
  new ReflectionService(loadPackageDefinition(SIMULATOR_PROTO_FILES, { includeHealth: true }), {
    services: [ADMIN_SERVICE_NAME, HEALTH_SERVICE_NAME],
  }).addToServer(server);
  return server;
}
