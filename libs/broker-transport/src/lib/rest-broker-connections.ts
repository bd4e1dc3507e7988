import { dirname, join } from 'node:path';
import { isRestBrokerConfig, type OrderAdapter, type RestBrokerConfig } from '@qts/broker-domain';
import {
  createRestBroker,
  InMemoryTokenStore,
  permitsFromRateLimiter,
  RedisTokenStore,
  SqliteTokenStore,
  type RestBrokerConnection,
  type TokenStore,
} from '@qts/broker-rest';
import type { RateLimitBackendSettings, RateLimiter } from '@qts/rate-limit';
import { Redis } from 'ioredis';
import type { BrokerTransportModuleOptions } from './broker-transport-module-options';

/** The file of the shared token store in `local` mode: beside the rate-limit ledger every process of the host opens. */
export const LOCAL_TOKEN_STORE_FILE = 'broker-tokens.sqlite';

/** Where REST access tokens live, and how to let go of it. */
interface TokenStoreHandle {
  store: TokenStore;
  description: string;
  close(): Promise<void>;
}

/**
 * The REST broker connections of this process (one per configured REST broker that is not a mock): each takes
 * its permits from the broker's limiter (the same budget as every other process), keeps its access token in the
 * store the rate-limit mode implies, and tracks its health from its requests.
 */
export class RestBrokerConnections {
  private constructor(
    private readonly connections: ReadonlyMap<string, RestBrokerConnection>,
    private readonly tokens: TokenStoreHandle | undefined,
  ) {}

  /**
   * Connects every REST broker of the options. Credentials are read now, so a missing variable or file stops
   * start-up naming its field (e.g. `brokers[3].rest.credentials.appKey`), never its value.
   */
  static create(options: BrokerTransportModuleOptions, limiters: ReadonlyMap<string, RateLimiter>): RestBrokerConnections {
    const rest: Array<{ broker: RestBrokerConfig; index: number }> = [];
    options.brokers.forEach((broker, index) => {
      if (!broker.mock && isRestBrokerConfig(broker)) rest.push({ broker, index });
    });
    if (rest.length === 0) return new RestBrokerConnections(new Map(), undefined);
    const tokens = options.tokenStore === undefined ? tokenStoreFor(options.rateLimit) : external(options.tokenStore);
    const connections = new Map<string, RestBrokerConnection>();
    try {
      for (const { broker, index } of rest) {
        const limiter = limiters.get(broker.id);
        if (limiter === undefined) throw new Error(`broker '${broker.id}' has no rate limiter`);
        const requestTimeoutMs = broker.rest.requestTimeoutMs ?? broker.deadlineMs ?? options.deadlineMs;
        connections.set(
          broker.id,
          createRestBroker({
            brokerId: broker.id,
            brokerType: broker.type,
            accountId: broker.accounts[0]?.id ?? '',
            transport: { ...broker.rest, ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }) },
            permits: permitsFromRateLimiter(limiter),
            tokenStore: tokens.store,
            credentialsField: `brokers[${index}].rest.credentials`,
            ...(options.credentialReaders === undefined ? {} : { credentialReaders: options.credentialReaders }),
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
            health: {
              ...(options.healthIntervalMs === undefined ? {} : { intervalMs: options.healthIntervalMs }),
              ...(options.reachabilityProbe === undefined ? {} : { probe: options.reachabilityProbe }),
            },
          }),
        );
      }
    } catch (error) {
      void tokens.close();
      throw error;
    }
    return new RestBrokerConnections(connections, tokens);
  }

  get size(): number {
    return this.connections.size;
  }

  /** Where the access tokens are kept (for the start-up log); undefined without REST brokers. */
  get tokenStoreDescription(): string | undefined {
    return this.tokens?.description;
  }

  get(brokerId: string): RestBrokerConnection | undefined {
    return this.connections.get(brokerId);
  }

  values(): IterableIterator<RestBrokerConnection> {
    return this.connections.values();
  }

  /** The order adapter of each REST broker, by id. */
  orderAdapters(): ReadonlyMap<string, OrderAdapter> {
    return new Map([...this.connections].map(([brokerId, connection]) => [brokerId, connection.orders]));
  }

  /** Starts the health checks of every connection. */
  start(): void {
    for (const connection of this.connections.values()) connection.health.start();
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.health.stop();
    await this.tokens?.close();
  }
}

/** Redis when the budget is shared through Redis, a file beside the local ledger, else this process's memory. */
function tokenStoreFor(settings: RateLimitBackendSettings | undefined): TokenStoreHandle {
  if (settings?.mode === 'redis' && settings.redisUrl !== undefined) {
    const redis = new Redis(settings.redisUrl, {
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      commandTimeout: 2_000,
      connectTimeout: 2_000,
      disconnectTimeout: 200,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1_000),
    });
    // A Redis outage fails token reads and issuance (nothing is sent then); it must not crash the process.
    redis.on('error', () => undefined);
    const url = new URL(settings.redisUrl);
    return {
      store: new RedisTokenStore(redis),
      description: `redis ${url.hostname}:${url.port || '6379'}: one access token per app key for every process and replica`,
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  if (settings?.mode === 'local' && settings.ledgerPath !== undefined) {
    const path = join(dirname(settings.ledgerPath), LOCAL_TOKEN_STORE_FILE);
    const store = new SqliteTokenStore(path);
    return {
      store,
      description: `local: one access token per app key for every process of this host, kept in ${path}`,
      close: async () => store.close(),
    };
  }
  return {
    store: new InMemoryTokenStore(),
    description: 'memory: this process keeps its own access tokens',
    close: async () => undefined,
  };
}

function external(store: TokenStore): TokenStoreHandle {
  return { store, description: 'given by the application', close: async () => undefined };
}
