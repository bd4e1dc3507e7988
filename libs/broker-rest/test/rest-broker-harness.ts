import { AccountType, BrokerType } from '@qts/broker-domain';
import { resolveRateLimitConfig, SlidingWindowLimiter } from '@qts/rate-limit';
import type { RateLimitRule } from '@qts/rate-limit';
import { SecretText } from '../src/lib/credentials/secret-text';
import { createRestBroker, RestBrokerConnection } from '../src/lib/create-rest-broker';
import { permitsFromRateLimiter, RestCallPermits } from '../src/lib/permits/rest-call-permits';
import { InMemoryTokenStore } from '../src/lib/tokens/in-memory-token-store';
import type { TokenStore } from '../src/lib/tokens/token-store';
import type { RestEnvironment } from '../src/lib/transport/rest-transport-config';

export const KIS_ACCOUNT = '50012345-01';
export const KIWOOM_ACCOUNT = '5012345601';

/**
 * The platform's limiter for a preset (SlidingWindowLimiter of @qts/rate-limit) as lease permits: what every
 * REST request of these tests takes before it leaves, held until its answer plus one window.
 */
export function presetPermits(preset: string, rules: RateLimitRule[] = []): { permits: RestCallPermits; limiter: SlidingWindowLimiter } {
  const limiter = new SlidingWindowLimiter(resolveRateLimitConfig(rules.length === 0 ? { preset } : { preset, rules }));
  return { permits: permitsFromRateLimiter(limiter), limiter };
}

/** Permits that never wait: requests leave as fast as they are made (to prove the simulator counts violations). */
export const UNLIMITED_PERMITS: RestCallPermits = {
  acquire: async () => ({ complete: () => undefined }),
};

const stores = new Map<string, InMemoryTokenStore>();

/** One token store per app key for a whole test file: connections of one key share it, as replicas share Redis. */
export function tokenStoreOf(appKey: string): InMemoryTokenStore {
  let store = stores.get(appKey);
  if (store === undefined) {
    store = new InMemoryTokenStore();
    stores.set(appKey, store);
  }
  return store;
}

export interface ConnectOptions {
  brokerId?: string;
  brokerType: BrokerType.KIS | BrokerType.KIWOOM;
  baseUrl: string;
  environment?: RestEnvironment;
  permits: RestCallPermits;
  tokenStore?: TokenStore;
  appKey?: string;
  appSecret?: string;
  requestTimeoutMs?: number;
  permitTimeoutMs?: number;
  symbols?: string[];
  quotePollIntervalMs?: number;
}

/** A REST broker connection to the simulator, wired as createRestBroker wires it in the apps. */
export function connect(options: ConnectOptions): RestBrokerConnection {
  const kis = options.brokerType === BrokerType.KIS;
  return createRestBroker({
    brokerId: options.brokerId ?? (kis ? 'kis' : 'kiwoom'),
    brokerType: options.brokerType,
    accountId: kis ? KIS_ACCOUNT : KIWOOM_ACCOUNT,
    transport: {
      environment: options.environment ?? 'paper',
      baseUrl: options.baseUrl,
      credentials: { appKey: { env: 'UNUSED_APP_KEY' }, appSecret: { env: 'UNUSED_APP_SECRET' } },
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.permitTimeoutMs === undefined ? {} : { permitTimeoutMs: options.permitTimeoutMs }),
      ...(options.symbols === undefined ? {} : { symbols: options.symbols }),
      ...(options.quotePollIntervalMs === undefined ? {} : { quotePollIntervalMs: options.quotePollIntervalMs }),
    },
    credentials: {
      appKey: new SecretText(options.appKey ?? 'PS-test-app-key'),
      appSecret: new SecretText(options.appSecret ?? 'test-app-secret'),
    },
    permits: options.permits,
    tokenStore: options.tokenStore ?? tokenStoreOf(options.appKey ?? 'PS-test-app-key'),
  });
}

export { AccountType };
