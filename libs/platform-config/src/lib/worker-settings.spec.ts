import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import { loadPlatformConfig } from './load-platform-config';
import { DEFAULT_WORKER_SETTINGS } from './worker-settings';

const repoRoot = join(__dirname, '../../../..');

/** The worker settings of the environment; BROKER_DEADLINE_MS defaults to 5000 unless given. */
function workerSettings(env: NodeJS.ProcessEnv) {
  return loadPlatformConfig({ env, cwd: repoRoot }).worker;
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadPlatformConfig({ env, cwd: repoRoot });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected the environment to be refused');
}

describe('the worker settings of the platform configuration', () => {
  it('uses the defaults when nothing is set: 16 keys at once, 30 s grace', () => {
    expect(workerSettings({})).toEqual(DEFAULT_WORKER_SETTINGS);
    expect(DEFAULT_WORKER_SETTINGS).toMatchObject({ maxConcurrency: 16, reconcileGraceMs: 30_000 });
  });

  it('reads every variable', () => {
    const settings = workerSettings({
      BROKER_DEADLINE_MS: '2000',
      WORKER_HTTP_PORT: '8081',
      WORKER_GRPC_PORT: '9091',
      WORKER_MAX_CONCURRENCY: '4',
      WORKER_RECONCILE_GRACE_MS: '8000',
      WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
      WORKER_RECONCILE_MAX_DELAY_MS: '1000',
      WORKER_RECONCILE_MAX_BLOCKING_MS: '20000',
      WORKER_RECONCILE_SWEEP_MS: '5000',
      WORKER_SHUTDOWN_GRACE_MS: '0',
      WORKER_OPEN_ORDER_POLL_MS: '500',
      WORKER_OPEN_ORDER_POLL_BATCH: '5',
      WORKER_INTENT_MAX_DELAY_MARKET_MS: '3000',
      WORKER_INTENT_MAX_DELAY_LIMIT_MS: '120000',
      WORKER_SUBMIT_ANSWER_MARGIN_MS: '400',
    });

    expect(settings).toEqual({
      httpPort: 8081,
      grpcPort: 9091,
      maxConcurrency: 4,
      reconcileGraceMs: 8_000,
      reconcileInitialDelayMs: 100,
      reconcileMaxDelayMs: 1_000,
      reconcileMaxBlockingMs: 20_000,
      reconcileSweepMs: 5_000,
      shutdownGraceMs: 0,
      openOrderPollMs: 500,
      openOrderPollBatch: 5,
      intentMaxDelayMarketMs: 3_000,
      intentMaxDelayLimitMs: 120_000,
      submitAnswerMarginMs: 400,
    });
  });

  it('reports every bad variable at once, by name', () => {
    expect(problemsOf({ WORKER_MAX_CONCURRENCY: 'many', WORKER_SHUTDOWN_GRACE_MS: '-1' })).toEqual([
      "WORKER_MAX_CONCURRENCY must be an integer between 1 and 1000, got 'many'",
      "WORKER_SHUTDOWN_GRACE_MS must be an integer between 0 and 600000, got '-1'",
    ]);
  });

  it('refuses a grace period that does not outlast the broker deadline', () => {
    expect(problemsOf({ WORKER_RECONCILE_GRACE_MS: '5000' })[0]).toMatch(
      /WORKER_RECONCILE_GRACE_MS \(5000\) must be greater than BROKER_DEADLINE_MS \(5000\)/,
    );
  });

  it('expires MARKET intents after 5 s and LIMIT intents after 60 s unless they say otherwise; answers 250 ms early', () => {
    expect(DEFAULT_WORKER_SETTINGS).toMatchObject({
      intentMaxDelayMarketMs: 5_000,
      intentMaxDelayLimitMs: 60_000,
      submitAnswerMarginMs: 250,
    });
    expect(problemsOf({ WORKER_INTENT_MAX_DELAY_MARKET_MS: '50', WORKER_INTENT_MAX_DELAY_LIMIT_MS: '86400001' })).toEqual([
      "WORKER_INTENT_MAX_DELAY_MARKET_MS must be an integer between 100 and 86400000, got '50'",
      "WORKER_INTENT_MAX_DELAY_LIMIT_MS must be an integer between 100 and 86400000, got '86400001'",
    ]);
  });

  describe('the reconciliation grace of one broker (brokers YAML reconcileGraceMs)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'grace-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function brokersFile(entry: string): string {
      const file = join(dir, 'brokers.yaml');
      writeFileSync(
        file,
        `brokers:\n  - id: kis\n    type: KIS\n    grpc: { host: 127.0.0.1, port: 50061 }\n    rateLimit: { preset: kis-paper }\n${entry}`,
      );
      return file;
    }

    it('is read per broker, beside the default of WORKER_RECONCILE_GRACE_MS', () => {
      const config = loadPlatformConfig({ env: { BROKERS_CONFIG: brokersFile('    reconcileGraceMs: 8000\n') }, cwd: dir });
      expect(config.brokers[0].reconcileGraceMs).toBe(8_000);
      expect(config.worker.reconcileGraceMs).toBe(30_000);
    });

    it("must outlast that broker's deadline, its own or BROKER_DEADLINE_MS", () => {
      expect(problemsOf({ BROKERS_CONFIG: brokersFile('    reconcileGraceMs: 4000\n') })).toEqual([
        "brokers[0].reconcileGraceMs: the grace of broker 'kis', reconcileGraceMs (4000), must be greater than its " +
          'BROKER_DEADLINE_MS (5000): an order still in flight must not be declared "never reached the broker"',
      ]);
      expect(problemsOf({ BROKERS_CONFIG: brokersFile('    deadlineMs: 40000\n') })[0]).toMatch(
        /WORKER_RECONCILE_GRACE_MS \(30000\), must be greater than its deadlineMs \(40000\)/,
      );
      expect(problemsOf({ BROKERS_CONFIG: brokersFile('    reconcileGraceMs: 50\n') })[0]).toMatch(/reconcileGraceMs/);
    });
  });

  it('refuses a maximum backoff below the initial one', () => {
    expect(problemsOf({ WORKER_RECONCILE_INITIAL_DELAY_MS: '500', WORKER_RECONCILE_MAX_DELAY_MS: '100' })).toEqual([
      'WORKER_RECONCILE_MAX_DELAY_MS must be at least WORKER_RECONCILE_INITIAL_DELAY_MS',
    ]);
  });

  it('polls open orders every 2 s, 20 at a time, by default; 0 disables polling, 1-99 ms is refused', () => {
    expect(DEFAULT_WORKER_SETTINGS).toMatchObject({ openOrderPollMs: 2_000, openOrderPollBatch: 20 });
    expect(workerSettings({ WORKER_OPEN_ORDER_POLL_MS: '0' }).openOrderPollMs).toBe(0);
    expect(problemsOf({ WORKER_OPEN_ORDER_POLL_MS: '50' })).toEqual([
      "WORKER_OPEN_ORDER_POLL_MS must be 0 (disabled) or at least 100, got '50'",
    ]);
    expect(problemsOf({ WORKER_OPEN_ORDER_POLL_BATCH: '0' })).toEqual([
      "WORKER_OPEN_ORDER_POLL_BATCH must be an integer between 1 and 1000, got '0'",
    ]);
  });
});
