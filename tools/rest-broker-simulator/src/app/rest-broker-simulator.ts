import { BrokerType } from '@qts/broker-domain';
import { SimulatedRestBroker } from './broker/simulated-rest-broker';
import { AdminApi } from './admin/admin-api';
import type { RestSimulatorConfig } from './config/rest-simulator-config';
import { kisDialect } from './kis/kis-api';
import { kiwoomDialect } from './kiwoom/kiwoom-api';
import type { SimulatorLogger } from './logging/simulator-logger';
import { SILENT_LOGGER } from './logging/simulator-logger';

export const READY_PREFIX = 'REST_BROKER_SIMULATOR_READY ';

/**
 * The REST broker simulator: one HTTP server per broker (KIS-shaped or Kiwoom-shaped) and the admin API,
 * all on `host` (127.0.0.1 by default). Port 0 picks a free port; the READY line reports the ones chosen.
 */
export class RestBrokerSimulator {
  private constructor(
    readonly brokers: ReadonlyMap<string, SimulatedRestBroker>,
    private readonly admin: AdminApi,
  ) {}

  static async start(config: RestSimulatorConfig, logger: SimulatorLogger = SILENT_LOGGER): Promise<RestBrokerSimulator> {
    const brokers = new Map<string, SimulatedRestBroker>();
    for (const broker of config.brokers) {
      const simulated = new SimulatedRestBroker({
        config: broker,
        host: config.host,
        seed: config.seed,
        tokenTtlMs: config.tokenTtlMs,
        acceptedAppKeys: config.acceptedAppKeys,
        dialect: broker.type === BrokerType.KIS ? kisDialect : kiwoomDialect,
        logger,
      });
      if (config.latencyMs > 0) simulated.faults.setLatency(config.latencyMs);
      if (config.errorRate > 0) simulated.faults.setErrorRate(config.errorRate, { status: config.errorStatus });
      brokers.set(broker.id, simulated);
    }
    const admin = new AdminApi(brokers);
    const simulator = new RestBrokerSimulator(brokers, admin);
    try {
      await admin.listen(config.host, config.adminPort);
      for (const broker of brokers.values()) {
        // Bound even with --refuse, so the READY line can report the port; then closed until "up".
        await broker.up();
        if (config.refuse) await broker.down();
      }
    } catch (error) {
      await simulator.stop();
      throw error;
    }
    return simulator;
  }

  get adminPort(): number {
    return this.admin.port;
  }

  brokerPorts(): Record<string, number> {
    return Object.fromEntries([...this.brokers].map(([id, broker]) => [id, broker.port]));
  }

  readyLine(): string {
    return `${READY_PREFIX}${JSON.stringify({ admin: this.adminPort, brokers: this.brokerPorts() })}`;
  }

  async stop(): Promise<void> {
    for (const broker of this.brokers.values()) {
      broker.faults.clear();
      await broker.down();
    }
    await this.admin.close();
  }
}
