import type { BrokerConfig } from '@qts/broker-domain';
import type { CredentialReaders, FetchFunction, ReachabilityProbe, TokenStore } from '@qts/broker-rest';
import type { RateLimitBackendSettings } from '@qts/rate-limit';

/** Options of BrokerTransportModule.forRoot / forRootAsync. */
export interface BrokerTransportModuleOptions {
  /**
   * The brokers to serve (validated configuration): each through its transport (JTS gRPC, or the broker's REST
   * API); `mock: true` ones in process.
   */
  brokers: BrokerConfig[];
  /** Health checks while CONNECTED (ms): JTS Health/Check, REST reachability while idle. Default 30 s. */
  healthIntervalMs?: number;
  /** Call deadline (ms), unless a broker sets its own `deadlineMs` (or `rest.requestTimeoutMs`). Default 5 s. */
  deadlineMs?: number;
  /** Deadline of a JTS candle stream (ms). Default 60 s. */
  streamDeadlineMs?: number;
  /** How long a JTS call may wait for a rate-limit permit (ms). Default 10 s; REST: `rest.permitTimeoutMs`. */
  acquireTimeoutMs?: number;
  /**
   * Where this process keeps its rate-limit grants (memory, a local shared file, Redis, or a static split share),
   * and so where REST access tokens are kept: Redis (mode redis) or a file beside the local ledger (mode local)
   * share one token per app key; otherwise each process keeps its own. Default: memory.
   */
  rateLimit?: RateLimitBackendSettings;
  /** Seed of the mock brokers' markets and of the backoff jitter; same seed, same run. */
  seed?: number;
  /** REST: where the access tokens live instead of the store the rate-limit mode implies. */
  tokenStore?: TokenStore;
  /** REST: how credentials are read (default: process.env and files). */
  credentialReaders?: CredentialReaders;
  /** REST: the HTTP client (default: Node's fetch). */
  fetch?: FetchFunction;
  /** REST: the reachability check of idle connections (default: a TCP connect). */
  reachabilityProbe?: ReachabilityProbe;
}
