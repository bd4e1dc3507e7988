import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AccountNotFoundError,
  BrokerEngine,
  BrokerNotFoundError,
  ExecutionIntent,
  ExecutionResponse,
  FailSafeCode,
  failSafeCodeForError,
  IllegalOrderTransitionError,
  OrderStatus,
  validateExecutionIntent,
} from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import { WorkerMetrics, type BrokerCallOutcome } from '../metrics/worker-metrics';
import { DuplicateIntentError } from '../persistence/duplicate-intent-error';
import { ExecutionStore, type AnswerPatch } from '../persistence/execution-store';
import type { OrderUpdate, StoredIntent } from '../persistence/stored-intent';
import { assertSameSubmission } from './intent-conflict-error';
import { IntentNotPersistedError } from './intent-not-persisted-error';
import { intentResultOf, type IntentResult } from './intent-result';
import { KeyedSerialQueue } from '@qts/service-infra';
import { OrderReconciler } from './order-reconciler';
import { isUnsent } from './order-progress';
import { orderingKey } from './ordering-key';
import { WORKER_CLOCK, type WorkerClock } from './worker-clock';
import { WorkerStoppingError } from './worker-stopping-error';

export interface SubmitOutcome {
  result: IntentResult;
  /** True when the intent id was already known: the stored result is returned and nothing is sent again. */
  duplicate: boolean;
}

/** An intent being stored or executed in this process; duplicates wait for it instead of racing it. */
interface Run {
  intent: ExecutionIntent;
  dryRun: boolean;
  outcome: Promise<SubmitOutcome>;
}

/** What one broker call produced, and whether the order must be reconciled afterwards. */
interface Execution {
  result: IntentResult;
  reconcile: boolean;
}

/**
 * Exactly-once execution of intents:
 * 1. an intent id seen before (running in this process, or stored) returns the first result, duplicate = true;
 * 2. a new intent is stored with its PENDING order (client_order_id = intent id) BEFORE the broker is called;
 * 3. it is executed in the queue of its (broker, account, symbol), strictly in arrival order;
 * 4. `submitted_at` is written just before the call through BROKER_FACTORY.engineFor(...);
 * 5. the answer is stored with the order's new state; anything that is not a definite answer (a timeout, a thrown
 *    error) makes the order UNKNOWN, which is reconciled with the broker and never re-sent.
 * Unknown brokers and accounts are refused before anything is stored (NOT_FOUND): such an intent can never execute.
 */
@Injectable()
export class IntentExecutionService {
  private readonly logger = new Logger(IntentExecutionService.name);
  private readonly runs = new Map<string, Run>();
  private stopping = false;

  constructor(
    private readonly store: ExecutionStore,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly queue: KeyedSerialQueue,
    private readonly reconciler: OrderReconciler,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(WORKER_CLOCK) private readonly clock: WorkerClock,
    private readonly metrics: WorkerMetrics,
  ) {}

  /**
   * Submits an intent; resolves with its result once the broker answered (or the outcome became UNKNOWN).
   * Throws InvalidArgumentError (bad input), BrokerNotFoundError / AccountNotFoundError (not configured),
   * IntentConflictError (known id, different payload) or IntentNotPersistedError (database down).
   */
  async submit(intent: ExecutionIntent, options: { dryRun?: boolean } = {}): Promise<SubmitOutcome> {
    validateExecutionIntent(intent);
    if (this.stopping) throw new WorkerStoppingError(intent.intentId);
    const dryRun = options.dryRun ?? false;
    this.metrics.intentReceived();

    const running = this.runs.get(intent.intentId);
    if (running !== undefined) {
      assertSameSubmission(running, { intent, dryRun });
      const { result } = await running.outcome;
      this.metrics.duplicateIntent();
      return { result, duplicate: true };
    }
    const outcome = await this.start(intent, dryRun, () => this.storeAndExecute(intent, dryRun)).outcome;
    if (outcome.duplicate) this.metrics.duplicateIntent();
    return outcome;
  }

  /** The current result of a stored intent, or null. */
  async find(intentId: string): Promise<StoredIntent | null> {
    return this.store.findIntent(intentId);
  }

  /**
   * Executes an intent that was stored but never sent (the worker stopped before calling the broker). Used by
   * start-up recovery, before any new intent is accepted, so it keeps its place in its key's order.
   */
  resume(stored: StoredIntent): Promise<SubmitOutcome> {
    return this.start(stored.intent, stored.dryRun, async () => ({
      result: await this.dispatch(stored),
      duplicate: false,
    })).outcome;
  }

  /**
   * Shutdown: intents still waiting in a queue are not sent any more (they stay stored and are sent after the
   * restart, in their place); broker calls already made finish normally.
   */
  stop(): void {
    this.stopping = true;
  }

  /** Intents being stored or executed right now. */
  get runningCount(): number {
    return this.runs.size;
  }

  private start(intent: ExecutionIntent, dryRun: boolean, body: () => Promise<SubmitOutcome>): Run {
    // Registered before the first await of `body`, so a concurrent duplicate always finds the run.
    const run: Run = { intent, dryRun, outcome: body() };
    this.runs.set(intent.intentId, run);
    const forget = () => {
      if (this.runs.get(intent.intentId) === run) this.runs.delete(intent.intentId);
    };
    run.outcome.then(forget, forget);
    return run;
  }

  private async storeAndExecute(intent: ExecutionIntent, dryRun: boolean): Promise<SubmitOutcome> {
    const known = await this.findStored(intent.intentId);
    if (known !== null) {
      assertSameSubmission(known, { intent, dryRun });
      // Stored but never sent (e.g. the database failed just before the call): sending it now is safe, because
      // markSubmitted lets only one run, in any process, send it.
      if (isUnsent(known)) return { result: await this.dispatch(known), duplicate: true };
      return { result: intentResultOf(known), duplicate: true };
    }

    this.assertRoutable(intent);
    let stored: StoredIntent;
    try {
      stored = await this.store.createIntent({ ...intent, createdAt: this.clock.now() }, dryRun, this.clock.now());
    } catch (error) {
      if (!(error instanceof DuplicateIntentError)) throw new IntentNotPersistedError(intent.intentId, error);
      // Another process stored it first (same database): its result is the result.
      const winner = await this.findStored(intent.intentId);
      if (winner === null) throw new IntentNotPersistedError(intent.intentId, error);
      assertSameSubmission(winner, { intent, dryRun });
      return { result: intentResultOf(winner), duplicate: true };
    }
    return { result: await this.dispatch(stored), duplicate: false };
  }

  private async findStored(intentId: string): Promise<StoredIntent | null> {
    try {
      return await this.store.findIntent(intentId);
    } catch (error) {
      throw new IntentNotPersistedError(intentId, error);
    }
  }

  private assertRoutable(intent: ExecutionIntent): void {
    const broker = this.config.brokers.find((candidate) => candidate.id === intent.brokerId);
    if (broker === undefined) {
      throw new BrokerNotFoundError(`broker_id '${intent.brokerId}' is not configured`, {
        details: { field: 'broker_id' },
      });
    }
    if (!broker.accounts.some((account) => account.id === intent.accountId)) {
      throw new AccountNotFoundError(`account_id '${intent.accountId}' is not configured for broker '${broker.id}'`, {
        details: { field: 'account_id' },
      });
    }
  }

  /**
   * Runs the intent in its key's queue. Resolves with the answer as soon as the broker call is done; the queue slot
   * is held until a needed reconciliation has finished, so the next intent of the key waits for it.
   */
  private dispatch(stored: StoredIntent): Promise<IntentResult> {
    return new Promise<IntentResult>((resolve, reject) => {
      void this.queue.enqueue(orderingKey(stored.intent), async () => {
        if (this.stopping) {
          reject(new WorkerStoppingError(stored.intent.intentId));
          return;
        }
        let execution: Execution;
        try {
          execution = await this.execute(stored);
        } catch (error) {
          reject(error);
          return;
        }
        resolve(execution.result);
        if (execution.reconcile) {
          try {
            await this.reconciler.reconcile(stored.intent.intentId);
          } catch (error) {
            this.logger.error(`Reconciling intent '${stored.intent.intentId}' failed: ${describe(error)}`);
          }
        }
      });
    });
  }

  private async execute(stored: StoredIntent): Promise<Execution> {
    const { intent, dryRun } = stored;
    let engine: BrokerEngine;
    try {
      engine = this.brokers.engineFor(intent.brokerId, intent.accountId, { dryRun });
    } catch (error) {
      // Nothing was sent: a definite refusal.
      const message = `no broker engine for this intent: ${describe(error)}`;
      const answer: AnswerPatch = { accepted: false, handledBy: 'worker', failSafeCode: failSafeCodeForError(error), message };
      return this.record(stored, answer, dryRun ? undefined : { status: OrderStatus.REJECTED, message }, false);
    }
    if (!dryRun && !(await this.store.markSubmitted(intent.intentId, this.clock.now()))) {
      // Already sent by another run: never a second time. That run records the answer.
      const current = await this.store.findIntent(intent.intentId);
      return { result: intentResultOf(current ?? stored), reconcile: false };
    }

    const startedAt = performance.now();
    let response: ExecutionResponse;
    try {
      response = await engine.submitIntent(intent);
    } catch (error) {
      this.metrics.brokerCall(intent.brokerId, 'unknown', (performance.now() - startedAt) / 1000);
      return this.recordThrown(stored, engine.name, error);
    }
    const unknown = !dryRun && isOutcomeUnknown(response);
    const outcome: BrokerCallOutcome = unknown ? 'unknown' : response.accepted ? 'accepted' : 'rejected';
    this.metrics.brokerCall(intent.brokerId, outcome, (performance.now() - startedAt) / 1000);

    if (dryRun) return this.record(stored, answerOf(response), undefined, false);
    if (unknown) return this.recordUnknown(stored, response.broker || engine.name, response.message);
    if (!response.accepted) {
      return this.record(stored, answerOf(response), { status: OrderStatus.REJECTED, message: response.message }, false);
    }
    const status = response.status ?? OrderStatus.ACCEPTED;
    const order: OrderUpdate = {
      status,
      ...(response.orderId ? { brokerOrderId: response.orderId } : {}),
      ...(status === OrderStatus.FILLED ? { filledQuantity: intent.quantity } : {}),
      message: response.message,
    };
    // A broker that says "received, not acknowledged yet" (PENDING) is asked again until it settles.
    return this.record(stored, answerOf(response), order, status === OrderStatus.PENDING);
  }

  private async record(
    stored: StoredIntent,
    answer: AnswerPatch,
    order: OrderUpdate | undefined,
    reconcile: boolean,
  ): Promise<Execution> {
    try {
      const settled = await this.store.settle(
        stored.intent.intentId,
        { answer, ...(order === undefined ? {} : { order }) },
        'broker',
        this.clock.now(),
      );
      this.metrics.intentAnswered({ accepted: answer.accepted, unknown: false, failSafeCode: answer.failSafeCode });
      return { result: intentResultOf(settled), reconcile };
    } catch (error) {
      if (!(error instanceof IllegalOrderTransitionError)) throw error;
      // The answer does not fit the order's state machine: do not guess, ask the broker.
      this.logger.warn(`Intent '${stored.intent.intentId}': ${error.message}; reconciling instead`);
      return this.recordUnknown(stored, answer.handledBy, answer.message);
    }
  }

  private recordThrown(stored: StoredIntent, engineName: string, error: unknown): Promise<Execution> {
    if (stored.dryRun) {
      // Nothing is ever sent for a dry run: a failure is a plain refusal.
      return this.record(
        stored,
        { accepted: false, handledBy: engineName, failSafeCode: failSafeCodeForError(error), message: describe(error) },
        undefined,
        false,
      );
    }
    return this.recordUnknown(stored, engineName, describe(error));
  }

  private async recordUnknown(stored: StoredIntent, handledBy: string, reason: string): Promise<Execution> {
    const message = `order outcome unknown (${reason}); reconciling with the broker, never re-sent`;
    const settled = await this.store.settle(
      stored.intent.intentId,
      {
        answer: { accepted: false, handledBy, failSafeCode: FailSafeCode.FS042, message },
        order: { status: OrderStatus.UNKNOWN, message },
      },
      'broker',
      this.clock.now(),
    );
    this.metrics.intentAnswered({ accepted: false, unknown: true, failSafeCode: FailSafeCode.FS042 });
    return { result: intentResultOf(settled), reconcile: true };
  }
}

/** FS042 (timeout class) or status UNKNOWN: the order may or may not be at the broker. */
function isOutcomeUnknown(response: ExecutionResponse): boolean {
  return response.status === OrderStatus.UNKNOWN || (!response.accepted && response.failSafeCode === FailSafeCode.FS042);
}

function answerOf(response: ExecutionResponse): AnswerPatch {
  return {
    accepted: response.accepted,
    handledBy: response.broker,
    ...(response.failSafeCode === undefined ? {} : { failSafeCode: response.failSafeCode }),
    message: response.message,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
