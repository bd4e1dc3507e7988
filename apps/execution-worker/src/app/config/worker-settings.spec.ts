import { ConfigValidationError } from '@qts/platform-config';
import { DEFAULT_WORKER_SETTINGS, loadWorkerSettings } from './worker-settings';

describe('loadWorkerSettings', () => {
  it('uses the defaults when nothing is set: 16 intents at once, 30 s grace', () => {
    expect(loadWorkerSettings({}, 5_000)).toEqual(DEFAULT_WORKER_SETTINGS);
    expect(DEFAULT_WORKER_SETTINGS).toMatchObject({ maxConcurrency: 16, reconcileGraceMs: 30_000 });
  });

  it('reads every variable', () => {
    const settings = loadWorkerSettings(
      {
        WORKER_MAX_CONCURRENCY: '4',
        WORKER_RECONCILE_GRACE_MS: '8000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '1000',
        WORKER_RECONCILE_MAX_BLOCKING_MS: '20000',
        WORKER_RECONCILE_SWEEP_MS: '5000',
        WORKER_SHUTDOWN_GRACE_MS: '0',
        WORKER_OPEN_ORDER_POLL_MS: '500',
        WORKER_OPEN_ORDER_POLL_BATCH: '5',
      },
      2_000,
    );

    expect(settings).toEqual({
      maxConcurrency: 4,
      reconcileGraceMs: 8_000,
      reconcileInitialDelayMs: 100,
      reconcileMaxDelayMs: 1_000,
      reconcileMaxBlockingMs: 20_000,
      reconcileSweepMs: 5_000,
      shutdownGraceMs: 0,
      openOrderPollMs: 500,
      openOrderPollBatch: 5,
    });
  });

  it('reports every bad variable at once, by name', () => {
    let error: unknown;
    try {
      loadWorkerSettings({ WORKER_MAX_CONCURRENCY: 'many', WORKER_SHUTDOWN_GRACE_MS: '-1' }, 5_000);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems).toEqual([
      "WORKER_MAX_CONCURRENCY must be an integer between 1 and 1000, got 'many'",
      "WORKER_SHUTDOWN_GRACE_MS must be an integer between 0 and 600000, got '-1'",
    ]);
  });

  it('refuses a grace period that does not outlast the broker deadline', () => {
    expect(() => loadWorkerSettings({ WORKER_RECONCILE_GRACE_MS: '5000' }, 5_000)).toThrow(
      /WORKER_RECONCILE_GRACE_MS \(5000\) must be greater than BROKER_DEADLINE_MS \(5000\)/,
    );
  });

  it('refuses a maximum backoff below the initial one', () => {
    expect(() =>
      loadWorkerSettings({ WORKER_RECONCILE_INITIAL_DELAY_MS: '500', WORKER_RECONCILE_MAX_DELAY_MS: '100' }, 1_000),
    ).toThrow('WORKER_RECONCILE_MAX_DELAY_MS must be at least WORKER_RECONCILE_INITIAL_DELAY_MS');
  });

  it('polls open orders every 2 s, 20 at a time, by default; 0 disables polling, 1-99 ms is refused', () => {
    expect(DEFAULT_WORKER_SETTINGS).toMatchObject({ openOrderPollMs: 2_000, openOrderPollBatch: 20 });
    expect(loadWorkerSettings({ WORKER_OPEN_ORDER_POLL_MS: '0' }, 1_000).openOrderPollMs).toBe(0);
    expect(() => loadWorkerSettings({ WORKER_OPEN_ORDER_POLL_MS: '50' }, 1_000)).toThrow(
      "WORKER_OPEN_ORDER_POLL_MS must be 0 (disabled) or at least 100, got '50'",
    );
    expect(() => loadWorkerSettings({ WORKER_OPEN_ORDER_POLL_BATCH: '0' }, 1_000)).toThrow(
      "WORKER_OPEN_ORDER_POLL_BATCH must be an integer between 1 and 1000, got '0'",
    );
  });
});
