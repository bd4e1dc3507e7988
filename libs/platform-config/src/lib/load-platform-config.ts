import { isAbsolute, resolve } from 'node:path';
import type { BrokerConfig } from '@qts/broker-domain';
import { RATE_LIMIT_MODES, type RateLimitBackendSettings, type RateLimitMode } from '@qts/rate-limit';
import { ConfigValidationError } from './config-validation-error';
import { loadBrokersConfig } from './load-brokers-config';
import {
  DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS,
  LOG_LEVELS,
  type GatewayWorkerLink,
  type LogLevel,
  type PlatformConfig,
  type PlatformRateLimitConfig,
} from './platform-config';
import { readSecuritySettings } from './security-settings';
import { readWorkerSettings } from './worker-settings';

export const DEFAULT_BROKERS_CONFIG = 'config/brokers.yaml';
export const DEFAULT_RATE_LIMIT_LEDGER = 'data/rate-limit.sqlite';

export interface LoadPlatformConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder that relative paths (BROKERS_CONFIG) are resolved against; default the working directory. */
  cwd?: string;
}

/**
 * Builds the validated configuration from the environment and the brokers YAML. Every environment problem is
 * reported at once, each naming its variable; the YAML is only read when the environment is valid.
 */
export function loadPlatformConfig(options: LoadPlatformConfigOptions = {}): PlatformConfig {
  const env = options.env ?? process.env;
  const reader = new EnvironmentReader(env);

  const cwd = options.cwd ?? process.cwd();
  const brokersConfig = reader.string('BROKERS_CONFIG') ?? DEFAULT_BROKERS_CONFIG;
  const brokersConfigPath = isAbsolute(brokersConfig) ? brokersConfig : resolve(cwd, brokersConfig);
  const brokerDeadlineMs = reader.integer('BROKER_DEADLINE_MS', 5_000, 100, 600_000);
  const gatewayShare = reader.share('GATEWAY_RATE_LIMIT_SHARE', 0.5);
  const redisUrl = reader.url('REDIS_URL', ['redis:', 'rediss:']);
  const partial = {
    // Loopback unless told otherwise: the container images set BIND_HOST=0.0.0.0 themselves.
    bindHost: reader.string('BIND_HOST') ?? '127.0.0.1',
    gateway: withoutUndefined({
      httpPort: reader.port('GATEWAY_HTTP_PORT', 3000),
      grpcPort: reader.port('GATEWAY_GRPC_PORT', 50051),
      worker: readGatewayWorkerLink(reader),
      consoleBalanceRefreshMs: reader.integer('GATEWAY_CONSOLE_BALANCE_REFRESH_MS', 10_000, 1_000, 3_600_000),
    }),
    worker: readWorkerSettings(reader, brokerDeadlineMs),
    databaseUrl: reader.databaseUrl('DATABASE_URL'),
    redisUrl,
    rateLimit: readRateLimit(reader, env, cwd, redisUrl, gatewayShare),
    liveTradingEnabled: reader.boolean('LIVE_TRADING_ENABLED', false),
    adminApiKey: reader.secret('ADMIN_API_KEY', 16),
    security: readSecuritySettings(reader, cwd),
    logLevel: reader.oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    brokerHealthIntervalMs: reader.integer('BROKER_HEALTH_INTERVAL_MS', 1_000, 50, 3_600_000),
    brokerDeadlineMs,
    accountsRefreshMs: reader.integer('ACCOUNTS_REFRESH_MS', 2_000, 100, 600_000),
    httpKeepAliveTimeoutMs: reader.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_KEEP_ALIVE_TIMEOUT_MS, 1_000, 3_600_000),
  };
  checkDatabaseOnKubernetes(reader, env, partial.databaseUrl);
  if (reader.problems.length > 0) throw new ConfigValidationError('environment', reader.problems);

  const brokers = loadBrokersConfig(brokersConfigPath);
  const graceProblems = reconcileGraceProblems(brokers, partial.worker.reconcileGraceMs, brokerDeadlineMs);
  if (graceProblems.length > 0) throw new ConfigValidationError(brokersConfigPath, graceProblems);
  return { brokersConfigPath, brokers, ...withoutUndefined(partial) };
}

/**
 * GATEWAY_WORKER_URL: the execution worker's HTTP address (http:// or https://), which the gateway tells of accounts
 * added at run time, or `none` when no worker trades these brokers' accounts. Its key: GATEWAY_WORKER_API_KEY (an
 * admin key of the worker), else the bootstrap ADMIN_API_KEY.
 */
function readGatewayWorkerLink(reader: EnvironmentReader): GatewayWorkerLink | undefined {
  const raw = reader.string('GATEWAY_WORKER_URL');
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'none') return { kind: 'none' };
  const url = reader.url('GATEWAY_WORKER_URL', ['http:', 'https:']);
  if (url === undefined) return undefined;
  const apiKey = reader.secret('GATEWAY_WORKER_API_KEY', 16);
  return withoutUndefined({ kind: 'http' as const, url: url.replace(/\/+$/, ''), apiKey });
}

/**
 * Each broker's reconciliation grace (its own `reconcileGraceMs`, else WORKER_RECONCILE_GRACE_MS) must exceed its
 * call deadline (`deadlineMs`, else BROKER_DEADLINE_MS): an order still in flight must not be declared "never
 * reached the broker".
 */
function reconcileGraceProblems(brokers: BrokerConfig[], defaultGraceMs: number, defaultDeadlineMs: number): string[] {
  const problems: string[] = [];
  brokers.forEach((broker, index) => {
    if (broker.reconcileGraceMs === undefined && broker.deadlineMs === undefined) return;
    const graceMs = broker.reconcileGraceMs ?? defaultGraceMs;
    const deadlineMs = broker.deadlineMs ?? defaultDeadlineMs;
    if (graceMs <= deadlineMs) {
      const grace = broker.reconcileGraceMs === undefined ? `WORKER_RECONCILE_GRACE_MS (${graceMs})` : `reconcileGraceMs (${graceMs})`;
      const deadline = broker.deadlineMs === undefined ? `BROKER_DEADLINE_MS (${deadlineMs})` : `deadlineMs (${deadlineMs})`;
      problems.push(
        `brokers[${index}].reconcileGraceMs: the grace of broker '${broker.id}', ${grace}, must be greater than its ${deadline}: ` +
          'an order still in flight must not be declared "never reached the broker"',
      );
    }
  });
  return problems;
}

/**
 * The rate-limit mode is chosen explicitly: RATE_LIMIT_MODE, or redis when only REDIS_URL is set, or else
 * the static split (safe for one gateway and one worker on any hosts, warned about at start-up). The
 * local shared file is never a default: on Kubernetes every pod has its own filesystem, so a default
 * local ledger would silently give every replica the whole budget.
 */
function readRateLimit(
  reader: EnvironmentReader,
  env: NodeJS.ProcessEnv,
  cwd: string,
  redisUrl: string | undefined,
  gatewayShare: number,
): PlatformRateLimitConfig {
  const explicit = reader.oneOf<RateLimitMode>('RATE_LIMIT_MODE', RATE_LIMIT_MODES, 'split');
  const modeSource = reader.string('RATE_LIMIT_MODE') !== undefined ? 'RATE_LIMIT_MODE' : redisUrl !== undefined ? 'REDIS_URL' : 'default';
  const mode: RateLimitMode = modeSource === 'REDIS_URL' ? 'redis' : explicit;
  const ledger = reader.string('RATE_LIMIT_LEDGER_PATH') ?? DEFAULT_RATE_LIMIT_LEDGER;
  const config: PlatformRateLimitConfig = {
    mode,
    modeSource,
    ledgerPath: isAbsolute(ledger) ? ledger : resolve(cwd, ledger),
    redisKeyPrefix: reader.pattern('RATE_LIMIT_REDIS_PREFIX', /^[A-Za-z0-9:._-]{1,64}$/, 'qts:rate-limit', "1-64 letters, digits or ':._-'"),
    ownerTtlMs: reader.integer('RATE_LIMIT_OWNER_TTL_MS', 5_000, 2_500, 600_000),
    gatewayShare,
    workerShare: reader.share('WORKER_RATE_LIMIT_SHARE', 0.5),
  };
  if (mode === 'redis' && redisUrl === undefined && reader.string('REDIS_URL') === undefined) {
    reader.problems.push('RATE_LIMIT_MODE=redis needs REDIS_URL (redis://host:6379)');
  }
  if (mode === 'local' && env['KUBERNETES_SERVICE_HOST'] && !reader.boolean('RATE_LIMIT_LEDGER_SHARED_BY_POD', false)) {
    reader.problems.push(
      'RATE_LIMIT_MODE=local shares the budget only between processes that open the same file on one host: on ' +
        'Kubernetes every replica would get the whole budget. Use RATE_LIMIT_MODE=redis, or set ' +
        'RATE_LIMIT_LEDGER_SHARED_BY_POD=true if every process using these broker accounts runs in this one pod',
    );
  }
  return config;
}

/**
 * On Kubernetes, SQLite (DATABASE_URL unset or sqlite:/file:) is refused unless DATABASE_SQLITE_SINGLE_REPLICA=true
 * says that this Deployment runs one replica: every pod has its own filesystem, so each replica would keep its own
 * API keys, idempotency records and intents, and the same order could be placed once per replica. The check mirrors
 * RATE_LIMIT_MODE=local's. (A file on a shared volume is no answer either: SQLite's locking over a network file
 * system cannot be trusted.)
 */
function checkDatabaseOnKubernetes(reader: EnvironmentReader, env: NodeJS.ProcessEnv, databaseUrl: string | undefined): void {
  if (!env['KUBERNETES_SERVICE_HOST']) return;
  const sqlite = databaseUrl === undefined || /^(sqlite:|file:)/.test(databaseUrl);
  if (!sqlite || reader.boolean('DATABASE_SQLITE_SINGLE_REPLICA', false)) return;
  reader.problems.push(
    'DATABASE_URL is unset or SQLite, which on Kubernetes holds per pod: with more than one replica, idempotency keys ' +
      'and intent ids would be unique per replica only and an order could be placed twice. Set DATABASE_URL to a ' +
      'postgres:// URL shared by every replica, or DATABASE_SQLITE_SINGLE_REPLICA=true if this Deployment runs exactly ' +
      'one replica (with its data/ on a persistent volume)',
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * THE reader of environment variables: typed reads that collect problems instead of throwing at the first one,
 * each problem naming its variable, never echoing a secret.
 */
export class EnvironmentReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 1, 65535);
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got '${value}'`);
      return fallback;
    }
    return parsed;
  }

  pattern(name: string, pattern: RegExp, fallback: string, description: string): string {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (pattern.test(value)) return value;
    this.problems.push(`${name} must be ${description}, got '${value}'`);
    return fallback;
  }

  /** A fraction in (0, 1]. */
  share(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed > 0 && parsed <= 1)) {
      this.problems.push(`${name} must be a number in (0, 1], got '${value}'`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false, got '${value}'`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got '${value}'`);
    return fallback;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol === undefined || !protocols.includes(protocol)) {
      // The value may hold a password: name the variable, never echo it.
      this.problems.push(`${name} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
      return undefined;
    }
    return value;
  }

  databaseUrl(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (/^(sqlite:|file:)/.test(value) || /^postgres(ql)?:\/\//.test(value)) return value;
    this.problems.push(`${name} must be sqlite:<path> or postgres://... (value not shown)`);
    return undefined;
  }

  secret(name: string, minLength: number): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters long (value not shown)`);
      return undefined;
    }
    return value;
  }
}

/** What a process of `role` passes to its rate-limit backend (BrokerTransportModule's `rateLimit`). */
export function rateLimitBackendSettings(config: PlatformConfig, role: 'gateway' | 'worker'): RateLimitBackendSettings {
  const rateLimit = config.rateLimit;
  if (rateLimit === undefined) return { mode: 'memory' };
  switch (rateLimit.mode) {
    case 'local':
      return { mode: 'local', ledgerPath: rateLimit.ledgerPath, ownerTtlMs: rateLimit.ownerTtlMs };
    case 'redis':
      return {
        mode: 'redis',
        redisUrl: config.redisUrl as string,
        redisKeyPrefix: rateLimit.redisKeyPrefix,
        ownerTtlMs: rateLimit.ownerTtlMs,
      };
    case 'split':
      return { mode: 'split', share: role === 'gateway' ? rateLimit.gatewayShare : rateLimit.workerShare };
    default:
      return { mode: 'memory' };
  }
}
