import { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { MockBrokerGateway } from '@qts/broker-domain';
import type { AccountType, BrokerType } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { HealthImplementation } from 'grpc-health-check';
import { defaultAccountsFor } from '../config/broker-defaults';
import { BrokerFaults } from '../faults/broker-faults';
import type { BrokerFaultsSnapshot } from '../faults/broker-faults';
import { BrokerCallPipeline } from '../grpc/broker-call-pipeline';
import type { BrokerCallContext } from '../grpc/broker-call-pipeline';
import { bindServer, shutdownServer } from '../grpc/grpc-server-lifecycle';
import { JTS_SERVICE_NAMES } from '../grpc/jts-rpc';
import { createMarketDataService } from '../grpc/market-data-service';
import { createTradingService } from '../grpc/trading-service';
import type { SimulatorLogger } from '../logging/simulator-logger';
import { BrokerRateEnforcer } from '../rate/broker-rate-enforcer';
import type { SimulatorRateLimit } from '../rate/broker-rate-enforcer';
import { BrokerCallStats } from '../stats/broker-call-stats';

export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

export interface SimulatedAccount {
  id: string;
  type: AccountType;
}

export interface SimulatedBrokerOptions {
  id: string;
  type: BrokerType;
  host: string;
  /** 0 = pick a free port on the first start; later starts rebind the port picked then. */
  port: number;
  seed: number;
  /** Empty: the broker type's default paper account. */
  accounts: readonly SimulatedAccount[];
  rateLimit: SimulatorRateLimit;
  /** jts.v1 (+ health) definition for server reflection, loaded once per simulator. */
  reflection: PackageDefinition;
  logger: SimulatorLogger;
  quoteIntervalMs?: number;
  /** Wall clock of the mock market (quotes, order timestamps). */
  clock?: () => Date;
  /** Monotonic millisecond clock of the rate windows. */
  rateClock?: () => number;
}

export interface SimulatedBrokerState {
  id: string;
  type: BrokerType;
  port: number;
  up: boolean;
  faults: BrokerFaultsSnapshot;
  rateLimit: string;
}

/**
 * One simulated JTS broker: a MockBrokerGateway (its orders, cash and positions), the server-side rate
 * enforcement, injected faults and counters, and the gRPC server that exposes them on the broker's port.
 * The server can go down and come back up on the same port; everything else lives as long as the
 * simulator, so state survives a down/up cycle like it survives a JTS restart on the broker's side.
 */
export class SimulatedBroker implements BrokerCallContext {
  readonly id: string;
  readonly type: BrokerType;
  readonly gateway: MockBrokerGateway;
  readonly faults: BrokerFaults;
  readonly stats = new BrokerCallStats();
  readonly rateEnforcer: BrokerRateEnforcer;
  readonly logger: SimulatorLogger;

  private readonly host: string;
  private boundPort: number;
  private readonly health: HealthImplementation;
  private readonly reflection: ReflectionService;
  private readonly marketData: jtsV1.MarketDataServiceServer;
  private readonly trading: jtsV1.TradingServiceServer;
  private server: Server | undefined;
  private lifetimeController = new AbortController();
  /** Serialises up/down/stop so that concurrent admin calls cannot interleave half-done transitions. */
  private transition: Promise<unknown> = Promise.resolve();

  constructor(options: SimulatedBrokerOptions) {
    this.id = options.id;
    this.type = options.type;
    this.host = options.host;
    this.boundPort = options.port;
    this.logger = options.logger;
    this.gateway = new MockBrokerGateway({
      brokerId: options.id,
      brokerType: options.type,
      seed: options.seed,
      accounts: (options.accounts.length > 0 ? options.accounts : defaultAccountsFor(options.type)).map((account) => ({
        id: account.id,
        type: account.type,
      })),
      ...(options.quoteIntervalMs !== undefined && { quoteIntervalMs: options.quoteIntervalMs }),
      ...(options.clock !== undefined && { clock: options.clock }),
    });
    this.rateEnforcer = BrokerRateEnforcer.create(options.rateLimit, options.type, options.rateClock);
    this.faults = new BrokerFaults(options.seed, options.id);
    this.health = new HealthImplementation(
      Object.fromEntries(['', ...JTS_SERVICE_NAMES].map((service) => [service, 'SERVING' as const])),
    );
    this.reflection = new ReflectionService(options.reflection, {
      services: [...JTS_SERVICE_NAMES, HEALTH_SERVICE_NAME],
    });
    const pipeline = new BrokerCallPipeline(this);
    this.marketData = createMarketDataService(this.gateway, pipeline);
    this.trading = createTradingService(this.gateway, pipeline, this.stats);
    this.lifetimeController.abort();
  }

  get port(): number {
    return this.boundPort;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  get lifetime(): AbortSignal {
    return this.lifetimeController.signal;
  }

  /** Listens on the broker's port (the same one every time); resolves with it. No-op when up. */
  up(): Promise<number> {
    return this.serialise(async () => {
      if (this.server !== undefined) {
        return this.boundPort;
      }
      const server = new Server();
      server.addService(jtsV1.MarketDataServiceService, this.marketData);
      server.addService(jtsV1.TradingServiceService, this.trading);
      this.health.addToServer(server);
      this.reflection.addToServer(server);
      try {
        this.boundPort = await bindServer(server, this.host, this.boundPort, `broker ${this.id}`);
      } catch (error) {
        server.forceShutdown();
        throw error;
      }
      this.lifetimeController = new AbortController();
      this.server = server;
      this.logger.info(`broker ${this.id} (${this.type}) listening`, { host: this.host, port: this.boundPort });
      return this.boundPort;
    });
  }

  /**
   * Closes the port at once: new connections are refused, calls in flight (a stream, a PlaceOrder inside
   * its injected latency) fail with UNAVAILABLE, as when the JTS process dies after doing the work: the
   * order exists, the client cannot know. No-op when down.
   */
  down(): Promise<void> {
    return this.stopServer(0, 'down');
  }

  /** Graceful stop: calls in flight get up to `graceMs` to finish, then the rest fail as in down(). */
  stop(graceMs: number): Promise<void> {
    return this.stopServer(graceMs, 'stopped');
  }

  /** Applies the not-serving fault to the health service (SERVING again when it is cleared). */
  refreshHealth(): void {
    for (const service of ['', ...JTS_SERVICE_NAMES]) {
      this.health.setStatus(service, this.faults.isNotServing(service) ? 'NOT_SERVING' : 'SERVING');
    }
  }

  state(): SimulatedBrokerState {
    return {
      id: this.id,
      type: this.type,
      port: this.boundPort,
      up: this.isUp,
      faults: this.faults.snapshot(),
      rateLimit: this.rateEnforcer.label,
    };
  }

  private stopServer(graceMs: number, what: string): Promise<void> {
    return this.serialise(async () => {
      const server = this.server;
      if (server === undefined) {
        return;
      }
      this.server = undefined;
      await shutdownServer(server, graceMs, () => this.lifetimeController.abort());
      this.lifetimeController.abort();
      this.logger.info(`broker ${this.id} ${what}`, { port: this.boundPort });
    });
  }

  private serialise<T>(step: () => Promise<T>): Promise<T> {
    const next = this.transition.then(step, step);
    this.transition = next.catch(() => undefined);
    return next;
  }
}
