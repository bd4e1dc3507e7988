import { ConfigValidationError } from '@qts/platform-config';

/**
 * Settings of the execution worker beyond the shared platform configuration (brief section 7): how many intents
 * run at once and how unknown order outcomes are reconciled. (Its rate-limit mode and share are platform settings.)
 */
export interface WorkerSettings {
  /** Intents of different (broker, account, symbol) keys processed at the same time. */
  maxConcurrency: number;
  /**
   * How long after an order was sent a broker that does not know it may still receive it. Only past this grace
   * period is a missing order declared REJECTED ("never reached the broker"). Must exceed the broker deadline.
   */
  reconcileGraceMs: number;
  /** First wait between two reconciliation queries of one order; doubled each time up to reconcileMaxDelayMs. */
  reconcileInitialDelayMs: number;
  reconcileMaxDelayMs: number;
  /**
   * How long one reconciliation may hold its (broker, account, symbol) queue while the broker cannot answer. After
   * that the order stays UNKNOWN, later intents of the key proceed and the periodic sweep keeps reconciling it.
   */
  reconcileMaxBlockingMs: number;
  /** Interval of the sweep that reconciles orders still UNKNOWN. */
  reconcileSweepMs: number;
  /** On SIGTERM, how long in-progress intents may take to finish before the process closes anyway. */
  shutdownGraceMs: number;
  /**
   * Interval at which orders still open at the broker (ACCEPTED, PARTIAL) are asked for their current state, so
   * fills and cancellations made at the broker reach the database and the report stream. 0 disables it.
   */
  openOrderPollMs: number;
  /** At most this many open orders are asked per round (oldest-checked first), to spare the broker's budget. */
  openOrderPollBatch: number;
}

export const WORKER_SETTINGS = Symbol('WORKER_SETTINGS');

export const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  maxConcurrency: 16,
  reconcileGraceMs: 30_000,
  reconcileInitialDelayMs: 250,
  reconcileMaxDelayMs: 5_000,
  reconcileMaxBlockingMs: 60_000,
  reconcileSweepMs: 30_000,
  shutdownGraceMs: 10_000,
  openOrderPollMs: 2_000,
  openOrderPollBatch: 20,
});

/** Environment variable of each setting. */
export const WORKER_SETTINGS_ENV: Readonly<Record<keyof WorkerSettings, string>> = Object.freeze({
  maxConcurrency: 'WORKER_MAX_CONCURRENCY',
  reconcileGraceMs: 'WORKER_RECONCILE_GRACE_MS',
  reconcileInitialDelayMs: 'WORKER_RECONCILE_INITIAL_DELAY_MS',
  reconcileMaxDelayMs: 'WORKER_RECONCILE_MAX_DELAY_MS',
  reconcileMaxBlockingMs: 'WORKER_RECONCILE_MAX_BLOCKING_MS',
  reconcileSweepMs: 'WORKER_RECONCILE_SWEEP_MS',
  shutdownGraceMs: 'WORKER_SHUTDOWN_GRACE_MS',
  openOrderPollMs: 'WORKER_OPEN_ORDER_POLL_MS',
  openOrderPollBatch: 'WORKER_OPEN_ORDER_POLL_BATCH',
});

const INTEGER_RANGES: Readonly<Record<keyof WorkerSettings, [number, number]>> = {
  maxConcurrency: [1, 1_000],
  reconcileGraceMs: [100, 3_600_000],
  reconcileInitialDelayMs: [10, 600_000],
  reconcileMaxDelayMs: [10, 600_000],
  reconcileMaxBlockingMs: [100, 86_400_000],
  reconcileSweepMs: [100, 86_400_000],
  shutdownGraceMs: [0, 600_000],
  openOrderPollMs: [0, 86_400_000],
  openOrderPollBatch: [1, 1_000],
};

/** Below this a poll interval would spend the broker's budget on asking; 0 (disabled) is allowed. */
const MIN_OPEN_ORDER_POLL_MS = 100;

/**
 * Reads and validates the worker settings. Every problem is reported at once, naming its variable.
 * `brokerDeadlineMs` (BROKER_DEADLINE_MS) bounds the grace period from below: an order still in flight when the
 * grace period ends could otherwise be declared "never reached" and then arrive.
 */
export function loadWorkerSettings(env: NodeJS.ProcessEnv, brokerDeadlineMs: number): WorkerSettings {
  const problems: string[] = [];
  const settings: WorkerSettings = { ...DEFAULT_WORKER_SETTINGS };

  for (const key of Object.keys(INTEGER_RANGES) as (keyof typeof INTEGER_RANGES)[]) {
    const name = WORKER_SETTINGS_ENV[key];
    const value = env[name]?.trim();
    if (!value) continue;
    const [min, max] = INTEGER_RANGES[key];
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got '${value}'`);
    } else {
      settings[key] = parsed;
    }
  }

  if (problems.length === 0) {
    if (settings.reconcileGraceMs <= brokerDeadlineMs) {
      problems.push(
        `${WORKER_SETTINGS_ENV.reconcileGraceMs} (${settings.reconcileGraceMs}) must be greater than BROKER_DEADLINE_MS ` +
          `(${brokerDeadlineMs}): an order still in flight must not be declared "never reached the broker"`,
      );
    }
    if (settings.openOrderPollMs > 0 && settings.openOrderPollMs < MIN_OPEN_ORDER_POLL_MS) {
      problems.push(
        `${WORKER_SETTINGS_ENV.openOrderPollMs} must be 0 (disabled) or at least ${MIN_OPEN_ORDER_POLL_MS}, ` +
          `got '${settings.openOrderPollMs}'`,
      );
    }
    if (settings.reconcileMaxDelayMs < settings.reconcileInitialDelayMs) {
      problems.push(
        `${WORKER_SETTINGS_ENV.reconcileMaxDelayMs} must be at least ${WORKER_SETTINGS_ENV.reconcileInitialDelayMs}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigValidationError('environment', problems);
  return settings;
}
