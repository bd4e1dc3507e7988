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

/** An intent waiting in its key's queue: not sent yet, handed back if the worker stops first. */
interface QueuedDispatch {
  intentId: string;
  reject: (error: unknown) => void;
}

/** How often a submission of an intent that another worker is executing looks for its answer. */
const OTHER_WORKER_POLL_MS = 100;

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
 * 4. `submitted_at` is written just before the call through BROKER_FACTORY.engineFor(...), only by the worker that
 *    owns the intent (the one that stored it, or took it over from a worker that is gone);
 * 5. the answer is stored with the order's new state; anything that is not a definite answer (a timeout, a thrown
 *    error) makes the order UNKNOWN, which is reconciled with the broker and never re-sent.
 * Unknown brokers and accounts are refused before anything is stored (NOT_FOUND): such an intent can never execute.
 * An intent another live worker owns is never sent here: a submission of it waits for that worker's answer.
 */
@Injectable()
export class IntentExecutionService {
  private readonly logger = new Logger(IntentExecutionService.name);
  private readonly runs = new Map<string, Run>();
  private readonly queued = new Set<QueuedDispatch>();
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
   * Shutdown: no new intents; intents still waiting in a queue are not sent by this worker: they are handed back in
   * the database first (any worker may take them at once: the other replica, or this one after its restart), then
   * their callers get WorkerStoppingError (UNAVAILABLE: submit again, to another replica). Broker calls already made
   * finish normally.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const waiting = [...this.queued];
    this.queued.clear();
    if (waiting.length === 0) return;
    try {
      const handedBack = await this.store.handBack(waiting.map((dispatch) => dispatch.intentId));
      this.logger.log(`Shutdown: ${handedBack.length} queued intent(s) handed back for another worker to send`);
    } catch (error) {
      // Still stored and owned by this worker: taken over once its lease is gone.
      this.logger.warn(`Shutdown: queued intents could not be handed back (${describe(error)}); taken over when this worker's lease ends`);
    }
    for (const dispatch of waiting) dispatch.reject(new WorkerStoppingError(dispatch.intentId));
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
      if (!isUnsent(known)) return { result: intentResultOf(known), duplicate: true };
      // Stored but never sent: by this worker (e.g. the database failed just before the call), or by a worker that
      // is gone or handed it back; sending it is safe, because markSubmitted lets only its owner send it, once.
      if (known.ownerId === this.store.ownerId || (await this.store.claim(intent.intentId))) {
        return { result: await this.dispatch(known), duplicate: true };
      }
      return { result: await this.answerOfOtherWorker(intent.intentId), duplicate: true };
    }

    this.assertRoutable(intent);
    let stored: StoredIntent;
    try {
      stored = await this.store.createIntent({ ...intent, createdAt: this.clock.now() }, dryRun, this.clock.now());
    } catch (error) {
      if (!(error instanceof DuplicateIntentError)) throw new IntentNotPersistedError(intent.intentId, error);
      // Another process stored it first (same database): its result is the result, once it has one.
      const winner = await this.findStored(intent.intentId);
      if (winner === null) throw new IntentNotPersistedError(intent.intentId, error);
      assertSameSubmission(winner, { intent, dryRun });
      if (winner.answer !== undefined) return { result: intentResultOf(winner), duplicate: true };
      return { result: await this.answerOfOtherWorker(intent.intentId), duplicate: true };
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
    const intentId = stored.intent.intentId;
    if (this.stopping) return this.handBackNow(intentId);
    return new Promise<IntentResult>((resolve, reject) => {
      const waiting: QueuedDispatch = { intentId, reject };
      this.queued.add(waiting);
      void this.queue.enqueue(orderingKey(stored.intent), async () => {
        // Not in the set any more: stop() handed it back and answered its caller.
        if (!this.queued.delete(waiting)) return;
        if (this.stopping) {
          reject(new WorkerStoppingError(intentId));
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

  /** An intent stored while the worker began to stop: handed back at once, its caller told to submit again. */
  private async handBackNow(intentId: string): Promise<IntentResult> {
    await this.store.handBack([intentId]).catch((error: unknown) =>
      this.logger.warn(`Intent '${intentId}' could not be handed back (${describe(error)}); taken over when this worker's lease ends`),
    );
    throw new WorkerStoppingError(intentId);
  }

  /**
   * The result of an intent another worker is executing (it stored it first, or owns it): its answer once stored,
   * or, if none comes within the longest a broker call takes (WORKER_SHUTDOWN_GRACE_MS), the current state
   * ("received; not processed yet", PENDING), which GetIntent and the report stream follow from there.
   */
  private async answerOfOtherWorker(intentId: string): Promise<IntentResult> {
    const giveUpAt = this.clock.now().getTime() + this.config.worker.shutdownGraceMs;
    for (;;) {
      const current = await this.findStored(intentId);
      if (current === null) throw new IntentNotPersistedError(intentId, new Error('the intent is no longer stored'));
      if (current.answer !== undefined || this.stopping || this.clock.now().getTime() >= giveUpAt) return intentResultOf(current);
      await this.clock.sleep(OTHER_WORKER_POLL_MS);
    }
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
      // Already sent by another run, or another worker's now: never a second time. That run records the answer.
      return { result: await this.answerOfOtherWorker(intent.intentId), reconcile: false };
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
