import { BrokerType } from '../enums/broker-type';
import { ConnectionStatus } from '../enums/connection-status';
import { BrokerNotFoundError, InvalidArgumentError } from '../errors/broker-errors';
import { BrokerGateway } from '../ports/broker-gateway';
import { BrokerRateLimitUsage } from './broker-rate-limit-usage';

export interface BrokerRegistration {
  /** Must match gateway.brokerType; defaults to it. */
  type?: BrokerType;
  /** Live connection status. Without it the gateway is taken as always CONNECTED (e.g. the mock). */
  status?: () => ConnectionStatus;
  rateLimitUsage?: () => BrokerRateLimitUsage;
  /** True while the broker is served from a fallback (offline mode). */
  offline?: () => boolean;
  /** When the broker's health was last checked (a probe answered or failed); undefined before the first. */
  lastHealthCheck?: () => Date | undefined;
  mock?: boolean;
}

/** What the dashboard and GET /brokers show about one broker. */
export interface BrokerInfo {
  brokerId: string;
  type: BrokerType;
  status: ConnectionStatus;
  rateLimitUsage: BrokerRateLimitUsage | null;
  offline: boolean;
  mock: boolean;
  /** When the broker's health was last checked; null before the first check and for brokers never checked (mock). */
  lastHealthCheckAt: Date | null;
}

interface RegistryEntry {
  gateway: BrokerGateway;
  type: BrokerType;
  registration: BrokerRegistration;
}

/**
 * The brokers this process can talk to, by id. A plain class: the apps wrap it in a Nest provider.
 * Status probes that throw are reported as DISCONNECTED rather than breaking the listing.
 */
export class BrokerRegistry {
  private readonly entries = new Map<string, RegistryEntry>();

  register(gateway: BrokerGateway, info: BrokerRegistration = {}): void {
    const brokerId = gateway?.brokerId;
    if (typeof brokerId !== 'string' || brokerId.trim().length === 0) {
      throw new InvalidArgumentError('gateway.brokerId must be a non-empty string', { field: 'brokerId' });
    }
    if (this.entries.has(brokerId)) {
      throw new InvalidArgumentError(`broker '${brokerId}' is already registered`, { field: 'brokerId' });
    }
    const type = info.type ?? gateway.brokerType;
    if (type !== gateway.brokerType) {
      throw new InvalidArgumentError(
        `broker '${brokerId}' registered with type ${type} but its gateway has type ${gateway.brokerType}`,
        { field: 'type' },
      );
    }
    this.entries.set(brokerId, { gateway, type, registration: { ...info } });
  }

  /** Returns whether a broker was removed. */
  unregister(brokerId: string): boolean {
    return this.entries.delete(brokerId);
  }

  get(brokerId: string): BrokerGateway | undefined {
    return this.entries.get(brokerId)?.gateway;
  }

  require(brokerId: string): BrokerGateway {
    const gateway = this.get(brokerId);
    if (gateway === undefined) {
      throw new BrokerNotFoundError(`broker '${brokerId}' is not configured`, { details: { brokerId } });
    }
    return gateway;
  }

  has(brokerId: string): boolean {
    return this.entries.has(brokerId);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  getInfo(brokerId: string): BrokerInfo | undefined {
    const entry = this.entries.get(brokerId);
    return entry === undefined ? undefined : this.describe(brokerId, entry);
  }

  /** All brokers in registration order. */
  listAll(): BrokerInfo[] {
    return [...this.entries].map(([brokerId, entry]) => this.describe(brokerId, entry));
  }

  /** Gateways whose status is CONNECTED. */
  getHealthy(): BrokerGateway[] {
    return [...this.entries.values()]
      .filter((entry) => this.statusOf(entry) === ConnectionStatus.CONNECTED)
      .map((entry) => entry.gateway);
  }

  private describe(brokerId: string, entry: RegistryEntry): BrokerInfo {
    return {
      brokerId,
      type: entry.type,
      status: this.statusOf(entry),
      rateLimitUsage: this.usageOf(entry),
      offline: this.offlineOf(entry),
      mock: entry.registration.mock ?? false,
      lastHealthCheckAt: this.lastHealthCheckOf(entry),
    };
  }

  private statusOf(entry: RegistryEntry): ConnectionStatus {
    const probe = entry.registration.status;
    if (probe === undefined) {
      return ConnectionStatus.CONNECTED;
    }
    try {
      return probe();
    } catch {
      return ConnectionStatus.DISCONNECTED;
    }
  }

  private usageOf(entry: RegistryEntry): BrokerRateLimitUsage | null {
    const probe = entry.registration.rateLimitUsage;
    if (probe === undefined) {
      return null;
    }
    try {
      return probe();
    } catch {
      return null;
    }
  }

  private lastHealthCheckOf(entry: RegistryEntry): Date | null {
    try {
      return entry.registration.lastHealthCheck?.() ?? null;
    } catch {
      return null;
    }
  }

  private offlineOf(entry: RegistryEntry): boolean {
    const probe = entry.registration.offline;
    if (probe === undefined) {
      return false;
    }
    try {
      return probe();
    } catch {
      return false;
    }
  }
}
