import type { EnvironmentReader } from './load-platform-config';

/**
 * The execution worker's part of the configuration: its ports, how many intents run at once and how unknown order
 * outcomes are reconciled. (Its share of the brokers' request budget is part of `rateLimit`.)
 */
export interface WorkerSettings {
  /** WORKER_HTTP_PORT: health, metrics and admin. */
  httpPort: number;
  /** WORKER_GRPC_PORT: qts.execution.v1.ExecutionService. */
  grpcPort: number;
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
  /** On SIGTERM, how long in-progress intents and gRPC calls may take to finish before the process closes anyway. */
  shutdownGraceMs: number;
  /**
   * Interval at which orders still open at the broker (ACCEPTED, PARTIAL) are asked for their current state, so
   * fills and cancellations made at the broker reach the database and the report stream. 0 disables it.
   */
  openOrderPollMs: number;
  /** At most this many open orders are asked per round (oldest-checked first), to spare the broker's budget. */
  openOrderPollBatch: number;
  /**
   * Default expiry of a MARKET intent that names none: it is not sent later than this after the worker received it
   * (a market order sent late executes at whatever the price has become).
   */
  intentMaxDelayMarketMs: number;
  /** Default expiry of a LIMIT intent that names none (its price bounds the damage of a late execution). */
  intentMaxDelayLimitMs: number;
  /**
   * SubmitIntent answers with the intent's current state (PENDING and why) this long before the caller's deadline
   * when the broker's answer has not arrived by then, so the answer still reaches the caller in time.
   */
  submitAnswerMarginMs: number;
}

export const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  httpPort: 3001,
  grpcPort: 50052,
  maxConcurrency: 16,
  reconcileGraceMs: 30_000,
  reconcileInitialDelayMs: 250,
  reconcileMaxDelayMs: 5_000,
  reconcileMaxBlockingMs: 60_000,
  reconcileSweepMs: 30_000,
  shutdownGraceMs: 10_000,
  openOrderPollMs: 2_000,
  openOrderPollBatch: 20,
  intentMaxDelayMarketMs: 5_000,
  intentMaxDelayLimitMs: 60_000,
  submitAnswerMarginMs: 250,
});

/** The furthest an intent's expiry may lie after its arrival (a request asking for more is refused). */
export const MAX_INTENT_EXPIRY_MS = 86_400_000;

/** Below this a poll interval would spend the broker's budget on asking; 0 (disabled) is allowed. */
const MIN_OPEN_ORDER_POLL_MS = 100;

/**
 * Reads the WORKER_* variables. `brokerDeadlineMs` (BROKER_DEADLINE_MS) bounds the grace period from below: an
 * order still in flight when the grace period ends could otherwise be declared "never reached" and then arrive.
 */
export function readWorkerSettings(reader: EnvironmentReader, brokerDeadlineMs: number): WorkerSettings {
  const defaults = DEFAULT_WORKER_SETTINGS;
  const problemsBefore = reader.problems.length;
  const settings: WorkerSettings = {
    httpPort: reader.port('WORKER_HTTP_PORT', defaults.httpPort),
    grpcPort: reader.port('WORKER_GRPC_PORT', defaults.grpcPort),
    maxConcurrency: reader.integer('WORKER_MAX_CONCURRENCY', defaults.maxConcurrency, 1, 1_000),
    reconcileGraceMs: reader.integer('WORKER_RECONCILE_GRACE_MS', defaults.reconcileGraceMs, 100, 3_600_000),
    reconcileInitialDelayMs: reader.integer('WORKER_RECONCILE_INITIAL_DELAY_MS', defaults.reconcileInitialDelayMs, 10, 600_000),
    reconcileMaxDelayMs: reader.integer('WORKER_RECONCILE_MAX_DELAY_MS', defaults.reconcileMaxDelayMs, 10, 600_000),
    reconcileMaxBlockingMs: reader.integer('WORKER_RECONCILE_MAX_BLOCKING_MS', defaults.reconcileMaxBlockingMs, 100, 86_400_000),
    reconcileSweepMs: reader.integer('WORKER_RECONCILE_SWEEP_MS', defaults.reconcileSweepMs, 100, 86_400_000),
    shutdownGraceMs: reader.integer('WORKER_SHUTDOWN_GRACE_MS', defaults.shutdownGraceMs, 0, 600_000),
    openOrderPollMs: reader.integer('WORKER_OPEN_ORDER_POLL_MS', defaults.openOrderPollMs, 0, 86_400_000),
    openOrderPollBatch: reader.integer('WORKER_OPEN_ORDER_POLL_BATCH', defaults.openOrderPollBatch, 1, 1_000),
    intentMaxDelayMarketMs: reader.integer(
      'WORKER_INTENT_MAX_DELAY_MARKET_MS',
      defaults.intentMaxDelayMarketMs,
      100,
      MAX_INTENT_EXPIRY_MS,
    ),
    intentMaxDelayLimitMs: reader.integer('WORKER_INTENT_MAX_DELAY_LIMIT_MS', defaults.intentMaxDelayLimitMs, 100, MAX_INTENT_EXPIRY_MS),
    submitAnswerMarginMs: reader.integer('WORKER_SUBMIT_ANSWER_MARGIN_MS', defaults.submitAnswerMarginMs, 0, 10_000),
  };
  // Relations between settings are only worth checking once each of them is valid.
  if (reader.problems.length > problemsBefore) return settings;
  if (settings.reconcileGraceMs <= brokerDeadlineMs) {
    reader.problems.push(
      `WORKER_RECONCILE_GRACE_MS (${settings.reconcileGraceMs}) must be greater than BROKER_DEADLINE_MS ` +
        `(${brokerDeadlineMs}): an order still in flight must not be declared "never reached the broker"`,
    );
  }
  if (settings.openOrderPollMs > 0 && settings.openOrderPollMs < MIN_OPEN_ORDER_POLL_MS) {
    reader.problems.push(
      `WORKER_OPEN_ORDER_POLL_MS must be 0 (disabled) or at least ${MIN_OPEN_ORDER_POLL_MS}, got '${settings.openOrderPollMs}'`,
    );
  }
  if (settings.reconcileMaxDelayMs < settings.reconcileInitialDelayMs) {
    reader.problems.push('WORKER_RECONCILE_MAX_DELAY_MS must be at least WORKER_RECONCILE_INITIAL_DELAY_MS');
  }
  return settings;
}
