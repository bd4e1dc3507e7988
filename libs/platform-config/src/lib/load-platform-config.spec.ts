import { join } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import { loadPlatformConfig, rateLimitBackendSettings } from './load-platform-config';

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
      bindHost: '127.0.0.1',
      gateway: { httpPort: 3000, grpcPort: 50051 },
      worker: { httpPort: 3001, grpcPort: 50052 },
      rateLimit: {
        mode: 'split',
        modeSource: 'default',
        ledgerPath: join(repoRoot, 'data/rate-limit.sqlite'),
        redisKeyPrefix: 'qts:rate-limit',
        ownerTtlMs: 5_000,
        gatewayShare: 0.5,
        workerShare: 0.5,
      },
      liveTradingEnabled: false,
      logLevel: 'info',
      httpKeepAliveTimeoutMs: 75_000,
      brokerHealthIntervalMs: 1_000,
      brokerDeadlineMs: 5_000,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.adminApiKey).toBeUndefined();
    expect(config.brokers.map((broker) => broker.id)).toEqual(['kis', 'creon', 'kiwoom', 'kis-rest', 'kiwoom-rest']);
  });

  it('reads every documented variable', () => {
    const config = loadPlatformConfig({
      cwd: repoRoot,
      env: {
        BROKERS_CONFIG: join(repoRoot, 'config/brokers.yaml'),
        BIND_HOST: '0.0.0.0',
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
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '620000',
      },
    });
    expect(config).toMatchObject({
      bindHost: '0.0.0.0',
      gateway: { httpPort: 8080, grpcPort: 9090 },
      worker: { httpPort: 8081, grpcPort: 9091 },
      databaseUrl: 'postgres://qts:secret@127.0.0.1:5432/qts',
      redisUrl: 'redis://127.0.0.1:6379',
      // REDIS_URL alone selects the shared Redis ledger.
      rateLimit: expect.objectContaining({ mode: 'redis', modeSource: 'REDIS_URL', gatewayShare: 0.25 }),
      liveTradingEnabled: true,
      adminApiKey: 'a-very-long-admin-key',
      logLevel: 'debug',
      brokerHealthIntervalMs: 1000,
      brokerDeadlineMs: 2500,
      httpKeepAliveTimeoutMs: 620_000,
    });
  });

  it('reads how the gateway reaches the worker for accounts added at run time, and the accounts refresh', () => {
    const defaults = loadPlatformConfig({ env: {}, cwd: repoRoot });
    expect(defaults.gateway.worker).toBeUndefined();
    expect(defaults.gateway.consoleBalanceRefreshMs).toBe(10_000);
    expect(defaults.accountsRefreshMs).toBe(2_000);

    const linked = loadPlatformConfig({
      cwd: repoRoot,
      env: {
        GATEWAY_WORKER_URL: 'http://execution-worker:3001/',
        GATEWAY_WORKER_API_KEY: 'worker-admin-key-0123456789',
        GATEWAY_CONSOLE_BALANCE_REFRESH_MS: '5000',
        ACCOUNTS_REFRESH_MS: '500',
      },
    });
    expect(linked.gateway.worker).toEqual({ kind: 'http', url: 'http://execution-worker:3001', apiKey: 'worker-admin-key-0123456789' });
    expect(linked.gateway.consoleBalanceRefreshMs).toBe(5_000);
    expect(linked.accountsRefreshMs).toBe(500);
    expect(loadPlatformConfig({ env: { GATEWAY_WORKER_URL: 'none' }, cwd: repoRoot }).gateway.worker).toEqual({ kind: 'none' });
    expect(loadPlatformConfig({ env: { GATEWAY_WORKER_URL: 'https://worker.qts' }, cwd: repoRoot }).gateway.worker).toEqual({
      kind: 'http',
      url: 'https://worker.qts',
    });

    const problems = environmentProblems({
      GATEWAY_WORKER_URL: 'ftp://worker',
      GATEWAY_WORKER_API_KEY: 'short',
      ACCOUNTS_REFRESH_MS: '10',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'GATEWAY_WORKER_URL must be a http:// or https:// URL',
        'ACCOUNTS_REFRESH_MS must be an integer between 100 and 600000, got \'10\'',
      ]),
    );
    expect(
      environmentProblems({ GATEWAY_WORKER_URL: 'http://worker:3001', GATEWAY_WORKER_API_KEY: 'short' }),
    ).toEqual(['GATEWAY_WORKER_API_KEY must be at least 16 characters long (value not shown)']);
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
      "GATEWAY_RATE_LIMIT_SHARE must be a number in (0, 1], got '1.5'",
      "GATEWAY_HTTP_PORT must be an integer between 1 and 65535, got 'eighty'",
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
      'REDIS_URL must be a redis:// or rediss:// URL',
      'DATABASE_URL must be sqlite:<path> or postgres://... (value not shown)',
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

  describe('the database on Kubernetes', () => {
    const kubernetes = { KUBERNETES_SERVICE_HOST: '10.96.0.1' };

    it.each([
      ['unset (the default SQLite file)', {}],
      ['sqlite:', { DATABASE_URL: 'sqlite:data/gateway.sqlite' }],
      ['file:', { DATABASE_URL: 'file:/app/data/worker.sqlite' }],
    ])('refuses SQLite, %s: replicas would each keep their own idempotency keys and intents', (_title, database) => {
      const problems = environmentProblems({ ...kubernetes, ...database });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^DATABASE_URL is unset or SQLite, .* an order could be placed twice\. Set DATABASE_URL to a postgres:\/\/ URL/);
      expect(problems[0]).toContain('DATABASE_SQLITE_SINGLE_REPLICA=true');
    });

    it('accepts PostgreSQL, and SQLite when DATABASE_SQLITE_SINGLE_REPLICA=true states one replica', () => {
      expect(loadPlatformConfig({ cwd: repoRoot, env: { ...kubernetes, DATABASE_URL: 'postgresql://qts@db/qts' } }).databaseUrl).toBe(
        'postgresql://qts@db/qts',
      );
      expect(loadPlatformConfig({ cwd: repoRoot, env: { ...kubernetes, DATABASE_SQLITE_SINGLE_REPLICA: 'true' } }).databaseUrl).toBeUndefined();
      expect(environmentProblems({ ...kubernetes, DATABASE_SQLITE_SINGLE_REPLICA: 'yes' })).toEqual([
        'DATABASE_SQLITE_SINGLE_REPLICA must be true or false, got \'yes\'',
        expect.stringMatching(/^DATABASE_URL is unset or SQLite/),
      ]);
    });

    it('leaves SQLite alone outside Kubernetes (npm start, one host)', () => {
      expect(loadPlatformConfig({ cwd: repoRoot, env: {} }).databaseUrl).toBeUndefined();
    });
  });

  describe('rate-limit mode', () => {
    const load = (env: NodeJS.ProcessEnv) => loadPlatformConfig({ env, cwd: repoRoot });

    it('is explicit: RATE_LIMIT_MODE wins, REDIS_URL alone means redis, else the warned-about static split', () => {
      expect(load({ RATE_LIMIT_MODE: 'local' }).rateLimit).toMatchObject({ mode: 'local', modeSource: 'RATE_LIMIT_MODE' });
      expect(load({ RATE_LIMIT_MODE: 'memory', REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimit?.mode).toBe('memory');
      expect(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimit).toMatchObject({ mode: 'redis', modeSource: 'REDIS_URL' });
      expect(load({}).rateLimit).toMatchObject({ mode: 'split', modeSource: 'default' });
    });

    it('reads the ledger path (relative to the working directory), the Redis prefix, the owner TTL and the shares', () => {
      const rateLimit = load({
        RATE_LIMIT_MODE: 'local',
        RATE_LIMIT_LEDGER_PATH: 'tmp/ledger.sqlite',
        RATE_LIMIT_REDIS_PREFIX: 'desk-a:rl',
        RATE_LIMIT_OWNER_TTL_MS: '8000',
        WORKER_RATE_LIMIT_SHARE: '0.3',
      }).rateLimit;
      expect(rateLimit).toMatchObject({
        ledgerPath: join(repoRoot, 'tmp/ledger.sqlite'),
        redisKeyPrefix: 'desk-a:rl',
        ownerTtlMs: 8_000,
        workerShare: 0.3,
      });
    });

    it('refuses an unknown mode, redis without REDIS_URL, a bad prefix and a TTL too short for the heartbeat', () => {
      expect(environmentProblems({ RATE_LIMIT_MODE: 'cluster' })).toEqual([
        "RATE_LIMIT_MODE must be one of memory, local, redis, split, got 'cluster'",
      ]);
      expect(environmentProblems({ RATE_LIMIT_MODE: 'redis' })).toEqual(['RATE_LIMIT_MODE=redis needs REDIS_URL (redis://host:6379)']);
      expect(environmentProblems({ RATE_LIMIT_REDIS_PREFIX: 'a b', RATE_LIMIT_OWNER_TTL_MS: '1000' })).toEqual([
        "RATE_LIMIT_REDIS_PREFIX must be 1-64 letters, digits or ':._-', got 'a b'",
        "RATE_LIMIT_OWNER_TTL_MS must be an integer between 2500 and 600000, got '1000'",
      ]);
    });

    it('refuses the local file on Kubernetes (every pod has its own), unless the pod holds every process', () => {
      const onKubernetes = { KUBERNETES_SERVICE_HOST: '10.0.0.1', DATABASE_URL: 'postgres://qts@db:5432/qts' };
      const problems = environmentProblems({ RATE_LIMIT_MODE: 'local', ...onKubernetes });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^RATE_LIMIT_MODE=local .* Use RATE_LIMIT_MODE=redis/);
      expect(load({ RATE_LIMIT_MODE: 'local', ...onKubernetes, RATE_LIMIT_LEDGER_SHARED_BY_POD: 'true' }).rateLimit?.mode).toBe(
        'local',
      );
    });

    it('turns into the settings of each process\'s backend', () => {
      const split = load({ GATEWAY_RATE_LIMIT_SHARE: '0.7', WORKER_RATE_LIMIT_SHARE: '0.3' });
      expect(rateLimitBackendSettings(split, 'gateway')).toEqual({ mode: 'split', share: 0.7 });
      expect(rateLimitBackendSettings(split, 'worker')).toEqual({ mode: 'split', share: 0.3 });
      expect(rateLimitBackendSettings(load({ RATE_LIMIT_MODE: 'local' }), 'worker')).toEqual({
        mode: 'local',
        ledgerPath: join(repoRoot, 'data/rate-limit.sqlite'),
        ownerTtlMs: 5_000,
      });
      expect(rateLimitBackendSettings(load({ REDIS_URL: 'redis://127.0.0.1:6390' }), 'gateway')).toEqual({
        mode: 'redis',
        redisUrl: 'redis://127.0.0.1:6390',
        redisKeyPrefix: 'qts:rate-limit',
        ownerTtlMs: 5_000,
      });
      expect(rateLimitBackendSettings(load({ RATE_LIMIT_MODE: 'memory' }), 'gateway')).toEqual({ mode: 'memory' });
      const handBuilt = { ...split };
      delete handBuilt.rateLimit;
      expect(rateLimitBackendSettings(handBuilt, 'gateway')).toEqual({ mode: 'memory' });
    });
  });

  it('stops on a missing brokers file, naming it', () => {
    expect(() => loadPlatformConfig({ cwd: repoRoot, env: { BROKERS_CONFIG: 'config/nope.yaml' } })).toThrow(
      /BROKERS_CONFIG cannot read .*config\/nope\.yaml \(ENOENT\)/,
    );
  });
});
