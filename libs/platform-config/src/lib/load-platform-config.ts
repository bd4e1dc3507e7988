import { isAbsolute, resolve } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import { loadBrokersConfig } from './load-brokers-config';
import { LOG_LEVELS, type LogLevel, type PlatformConfig } from './platform-config';
import { readWorkerSettings } from './worker-settings';

export const DEFAULT_BROKERS_CONFIG = 'config/brokers.yaml';

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

  const brokersConfig = reader.string('BROKERS_CONFIG') ?? DEFAULT_BROKERS_CONFIG;
  const brokersConfigPath = isAbsolute(brokersConfig) ? brokersConfig : resolve(options.cwd ?? process.cwd(), brokersConfig);
  const brokerDeadlineMs = reader.integer('BROKER_DEADLINE_MS', 5_000, 100, 600_000);
  const partial = {
    bindHost: reader.string('BIND_HOST') ?? '0.0.0.0',
    gateway: {
      httpPort: reader.port('GATEWAY_HTTP_PORT', 3000),
      grpcPort: reader.port('GATEWAY_GRPC_PORT', 50051),
      rateLimitShare: reader.share('GATEWAY_RATE_LIMIT_SHARE', 0.5),
    },
    worker: readWorkerSettings(reader, brokerDeadlineMs),
    databaseUrl: reader.databaseUrl('DATABASE_URL'),
    redisUrl: reader.url('REDIS_URL', ['redis:', 'rediss:']),
    liveTradingEnabled: reader.boolean('LIVE_TRADING_ENABLED', false),
    adminApiKey: reader.secret('ADMIN_API_KEY', 16),
    logLevel: reader.oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    brokerHealthIntervalMs: reader.integer('BROKER_HEALTH_INTERVAL_MS', 30_000, 50, 3_600_000),
    brokerDeadlineMs,
  };
  if (reader.problems.length > 0) throw new ConfigValidationError('environment', reader.problems);

  return { brokersConfigPath, brokers: loadBrokersConfig(brokersConfigPath), ...withoutUndefined(partial) };
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
