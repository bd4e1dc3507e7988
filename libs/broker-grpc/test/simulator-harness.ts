import { AccountType, BrokerConfig, BrokerRegistry, BrokerType, ConnectionStatus, type JtsBrokerConfig } from '@qts/broker-domain';
import { RateLimitBackend, resolveRateLimitConfig, type RateLimitBackendSettings, type RateLimiter } from '@qts/rate-limit';
import { SimulatorBrokerSpec, SimulatorProcess, startSimulatorProcess, waitFor } from '@qts/test-support';
import { BrokerConnectionManager } from '../src/lib/connection/broker-connection-manager';
import { GrpcBrokerGateway } from '../src/lib/gateway/grpc-broker-gateway';
import { seededRandom } from '../src/lib/timing/seeded-random';

/**
 * The real simulator process plus the client side wired as the apps wire it (a limiter per broker from its
 * preset, of the backend `rateLimit` selects; a registry of GrpcBrokerGateways over one connection manager).
 */
export interface SimulatorHarness {
  sim: SimulatorProcess;
  manager: BrokerConnectionManager;
  registry: BrokerRegistry;
  limiters: ReadonlyMap<string, RateLimiter>;
  options: { deadlineMs: number };
  gateway(brokerId: string): GrpcBrokerGateway;
  waitForStatus(brokerId: string, status: ConnectionStatus, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SimulatorHarnessOptions {
  brokers: (SimulatorBrokerSpec & { preset: string; accountId: string })[];
  deadlineMs?: number;
  acquireTimeoutMs?: number;
  healthIntervalMs?: number;
  simulatorArgs?: string[];
  /** Where the limiters keep their grants; default memory. */
  rateLimit?: RateLimitBackendSettings;
  /** Rate-limit settings of the broker entries beyond the preset (e.g. tradingReserve). */
  brokerRateLimit?: Omit<BrokerConfig['rateLimit'], 'preset'>;
}

export async function startSimulatorHarness(options: SimulatorHarnessOptions): Promise<SimulatorHarness> {
  const sim = await startSimulatorProcess({
    brokers: options.brokers.map(({ id, type, preset, accountId }) => ({
      id,
      type,
      preset,
      accounts: [{ id: accountId, type: AccountType.PAPER }],
    })),
    seed: 42,
    args: ['--quote-interval-ms', '50', ...(options.simulatorArgs ?? [])],
  });
  const brokers: JtsBrokerConfig[] = options.brokers.map(({ id, type, preset, accountId }) => ({
    id,
    type: type as BrokerType,
    grpc: { host: '127.0.0.1', port: sim.brokerPorts[id] },
    rateLimit: { preset, ...options.brokerRateLimit },
    accounts: [{ id: accountId, name: 'paper', type: AccountType.PAPER, isDefault: true }],
    required: true,
    mock: false,
  }));
  const deadlineMs = options.deadlineMs ?? 3_000;
  const manager = new BrokerConnectionManager({ healthIntervalMs: options.healthIntervalMs ?? 1_000 });
  const backend = new RateLimitBackend(options.rateLimit ?? { mode: 'memory' });
  const limiters = new Map<string, RateLimiter>();
  const registry = new BrokerRegistry();
  brokers.forEach((broker, index) => {
    const limiter = backend.createLimiter({ ...resolveRateLimitConfig(broker.rateLimit, `brokers[${index}].rateLimit`), name: broker.id });
    limiters.set(broker.id, limiter);
    const gateway = new GrpcBrokerGateway({
      brokerId: broker.id,
      brokerType: broker.type,
      connections: manager,
      limiter,
      deadlineMs,
      acquireTimeoutMs: options.acquireTimeoutMs ?? 30_000,
      random: seededRandom(43 + index),
    });
    registry.register(gateway, { status: () => manager.getStatus(broker.id), rateLimitUsage: () => limiter.usage() });
    manager.connect(broker);
  });

  const harness: SimulatorHarness = {
    sim,
    manager,
    registry,
    limiters,
    options: { deadlineMs },
    gateway: (brokerId) => registry.require(brokerId) as GrpcBrokerGateway,
    waitForStatus: async (brokerId, status, timeoutMs = 10_000) => {
      await waitFor(() => manager.getStatus(brokerId) === status, {
        timeoutMs,
        intervalMs: 10,
        description: `broker ${brokerId} ${status}`,
      });
    },
    close: async () => {
      manager.disconnectAll();
      await backend.close();
      await sim.stop();
    },
  };
  for (const broker of brokers) await harness.waitForStatus(broker.id, ConnectionStatus.CONNECTED);
  return harness;
}
