import { join } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import { loadPlatformConfig } from './load-platform-config';

const repoRoot = join(__dirname, '../../../..');

function environmentProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadPlatformConfig({ env, cwd: repoRoot });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return [...(error as ConfigValidationError).problems];
  }
  throw new Error('expected the environment to be refused');
}

describe('loadPlatformConfig', () => {
  it('applies the documented defaults and reads config/brokers.yaml', () => {
    const config = loadPlatformConfig({ env: {}, cwd: repoRoot });
    expect(config).toMatchObject({
      brokersConfigPath: join(repoRoot, 'config/brokers.yaml'),
      bindHost: '0.0.0.0',
      gateway: { httpPort: 3000, grpcPort: 50051, rateLimitShare: 0.5 },
      worker: { httpPort: 3001, grpcPort: 50052 },
      liveTradingEnabled: false,
      logLevel: 'info',
      brokerHealthIntervalMs: 30_000,
      brokerDeadlineMs: 5_000,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.adminApiKey).toBeUndefined();
    expect(config.brokers.map((broker) => broker.id)).toEqual(['kis', 'creon', 'kiwoom']);
  });

  it('reads every documented variable', () => {
    const config = loadPlatformConfig({
      cwd: repoRoot,
      env: {
        BROKERS_CONFIG: join(repoRoot, 'config/brokers.yaml'),
        BIND_HOST: '127.0.0.1',
        GATEWAY_HTTP_PORT: '8080',
        GATEWAY_GRPC_PORT: '9090',
        GATEWAY_RATE_LIMIT_SHARE: '0.25',
        WORKER_HTTP_PORT: '8081',
        WORKER_GRPC_PORT: '9091',
        DATABASE_URL: 'postgres://qts:secret@127.0.0.1:5432/qts',
        REDIS_URL: 'redis://127.0.0.1:6379',
        LIVE_TRADING_ENABLED: 'true',
        ADMIN_API_KEY: 'a-very-long-admin-key',
        LOG_LEVEL: 'debug',
        BROKER_HEALTH_INTERVAL_MS: '1000',
        BROKER_DEADLINE_MS: '2500',
      },
    });
    expect(config).toMatchObject({
      bindHost: '127.0.0.1',
      gateway: { httpPort: 8080, grpcPort: 9090, rateLimitShare: 0.25 },
      worker: { httpPort: 8081, grpcPort: 9091 },
      databaseUrl: 'postgres://qts:secret@127.0.0.1:5432/qts',
      redisUrl: 'redis://127.0.0.1:6379',
      liveTradingEnabled: true,
      adminApiKey: 'a-very-long-admin-key',
      logLevel: 'debug',
      brokerHealthIntervalMs: 1000,
      brokerDeadlineMs: 2500,
    });
  });

  it('lists every bad variable at once, by name', () => {
    expect(
      environmentProblems({
        GATEWAY_HTTP_PORT: 'eighty',
        WORKER_GRPC_PORT: '0',
        LIVE_TRADING_ENABLED: 'yes',
        LOG_LEVEL: 'verbose',
        GATEWAY_RATE_LIMIT_SHARE: '1.5',
      }),
    ).toEqual([
      "GATEWAY_HTTP_PORT must be an integer between 1 and 65535, got 'eighty'",
      "GATEWAY_RATE_LIMIT_SHARE must be a number in (0, 1], got '1.5'",
      "WORKER_GRPC_PORT must be an integer between 1 and 65535, got '0'",
      "LIVE_TRADING_ENABLED must be true or false, got 'yes'",
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'",
    ]);
  });

  it('never echoes secret values in its errors', () => {
    const problems = environmentProblems({
      ADMIN_API_KEY: 'short-key',
      DATABASE_URL: 'mysql://root:hunter2@db/qts',
      REDIS_URL: 'http://user:hunter2@cache',
    });
    expect(problems).toEqual([
      'DATABASE_URL must be sqlite:<path> or postgres://... (value not shown)',
      'REDIS_URL must be a redis:// or rediss:// URL',
      'ADMIN_API_KEY must be at least 16 characters long (value not shown)',
    ]);
    expect(problems.join('\n')).not.toMatch(/hunter2|short-key/);
  });

  it('accepts sqlite database URLs and "1"/"0" booleans', () => {
    const config = loadPlatformConfig({
      cwd: repoRoot,
      env: { DATABASE_URL: 'sqlite:data/test.sqlite', LIVE_TRADING_ENABLED: '0' },
    });
    expect(config.databaseUrl).toBe('sqlite:data/test.sqlite');
    expect(config.liveTradingEnabled).toBe(false);
  });

  it('stops on a missing brokers file, naming it', () => {
    expect(() => loadPlatformConfig({ cwd: repoRoot, env: { BROKERS_CONFIG: 'config/nope.yaml' } })).toThrow(
      /BROKERS_CONFIG cannot read .*config\/nope\.yaml \(ENOENT\)/,
    );
  });
});
