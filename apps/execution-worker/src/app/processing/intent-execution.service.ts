import { AccountDirectory } from '@qts/broker-accounts';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  AccountNotFoundError,
  BrokerEngine,
  canTransition,
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
import { IntentNotConfirmedError } from './intent-not-confirmed-error';
import { IntentNotPersistedError } from './intent-not-persisted-error';
import { intentResultOf, type IntentResult } from './intent-result';
import { KeyedSerialQueue } from '@qts/service-infra';
import { expiryOf, resolveIntentExpiry, type IntentExpiryRequest } from './intent-expiry';
import { IntentProgress } from './intent-progress';
import { OrderReconciler } from './order-reconciler';
import { isUnsent } from './order-progress';
import { orderingKey } from './ordering-key';
import { PENDING_REASON_TEXT, PendingReason } from './pending-reason';
import { WORKER_CLOCK, type WorkerClock } from './worker-clock';
import { WorkerStoppingError } from './worker-stopping-error';

export interface SubmitOutcome {
  result: IntentResult;
  /** True when the intent id was already known: the stored result is returned and nothing is sent again. */
  duplicate: boolean;
}

export interface SubmitOptions {
  /** Build and validate the payload, send nothing. */
  dryRun?: boolean;
  /** The expiry the strategy asked for; none: the default of the intent's order type. */
  expiry?: IntentExpiryRequest;
  /**
   * Answer by then at the latest (the caller's deadline minus a margin): when the outcome is not known by then, the
   * answer is the intent's current state, PENDING with its reason. Undefined: wait for the outcome.
   */
  answerBy?: Date;
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

/** A definite answer whose record is being committed; the key's next intent need not wait for it. */
interface RecordingExecution {
  recording: Promise<Execution>;
}

/**
 * Exactly-once execution of intents:
 * 1. an intent id seen before (running in this process, or stored) returns the first result, duplicate = true;
 * 2. a new intent is stored with its PENDING order (client_order_id = intent id) BEFORE the broker is called;
 * 3. it is executed in the queue of its (broker, account, symbol), strictly in arrival order;
 * 4. `submitted_at` is written just before the call through BROKER_FACTORY.engineFor(...), only by the worker that
 *    owns the intent (the one that stored it, or took it over from a worker that is gone), in the same transaction
 *    that checks the intent's expiry: an intent is either sent or refused as expired (FS050), never both, and the
 *    broker client never sends it after its expiry either (`sendBy`);
 * 5. the answer is stored with the order's new state; anything that is not a definite answer (a timeout, a thrown
 *    error) makes the order UNKNOWN, which is reconciled with the broker and never re-sent.
 * An intent still waiting in its queue when it expires (behind an unknown order of its key, say) is refused at its
 * expiry, without waiting for its turn. A caller's deadline is kept: when the outcome cannot be known by `answerBy`,
 * the intent's current state is answered (PENDING and why) and the outcome follows on the report stream.
 * Unknown brokers and accounts are refused before anything is stored (NOT_FOUND): such an intent can never execute.
 * An intent another live worker owns is never sent here: a submission of it waits for that worker's answer.
 */
@Injectable()
export class IntentExecutionService {
  private readonly logger = new Logger(IntentExecutionService.name);
  private readonly runs = new Map<string, Run>();
  private readonly progress = new IntentProgress();
  /** Expiry timers of intents waiting in a queue; aborted when their turn comes or the worker stops. */
  private readonly expiryWatches = new Set<AbortController>();
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
    // Accounts added at run time (any replica): absent in tests that build the service by hand, which then route to
    // the configured accounts only.
    @Optional() private readonly accounts?: AccountDirectory,
  ) {}

  /**
   * Submits an intent; resolves with its result once the broker answered (or the outcome became UNKNOWN), or by
   * `options.answerBy` with its current state. Throws InvalidArgumentError (bad input), BrokerNotFoundError /
   * AccountNotFoundError (not configured), IntentConflictError (known id, different payload), IntentNotPersistedError
   * (database down) or IntentNotConfirmedError (not confirmed stored by `answerBy`).
   */
  async submit(intent: ExecutionIntent, options: SubmitOptions = {}): Promise<SubmitOutcome> {
    validateExecutionIntent(intent);
    if (this.stopping) throw new WorkerStoppingError(intent.intentId);
    const dryRun = options.dryRun ?? false;
    const expiresAt = dryRun
      ? undefined
      : resolveIntentExpiry(options.expiry ?? {}, intent.orderType, this.clock.now(), this.config.worker);
    this.metrics.intentReceived();

    const running = this.runs.get(intent.intentId);
    if (running !== undefined) {
      assertSameSubmission(running, { intent, dryRun });
      const { result } = await this.inTime(running, options.answerBy);
      this.metrics.duplicateIntent();
      return { result, duplicate: true };
    }
    const run = this.start(intent, dryRun, () => this.storeAndExecute(intent, dryRun, expiresAt));
    const outcome = await this.inTime(run, options.answerBy);
    if (outcome.duplicate) this.metrics.duplicateIntent();
    return outcome;
  }

  /** The current result of a stored intent, or null. */
  async find(intentId: string): Promise<StoredIntent | null> {
    return this.store.findIntent(intentId);
  }

  /**
   * What the worker answers about a stored intent: its answer and order state, its expiry, and while its outcome is
   * not known yet why (PENDING: queued, blocked behind an unknown order, waiting for a permit, sent; UNKNOWN:
   * reconciling).
   */
  resultOf(stored: StoredIntent): IntentResult {
    const result = intentResultOf(stored);
    const expiresAt = expiryOf(stored, this.config.worker);
    const pendingReason = this.pendingReasonOf(stored);
    return {
      ...result,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(pendingReason === undefined ? {} : { pendingReason }),
      ...(stored.answer === undefined && pendingReason !== undefined ? { message: pendingMessage(pendingReason, expiresAt) } : {}),
    };
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
   * finish normally. Expiry stays in the database: whoever sends a handed-back intent checks it in the claim.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const watch of this.expiryWatches) watch.abort();
    this.expiryWatches.clear();
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
    for (const dispatch of waiting) {
      this.progress.forget(dispatch.intentId);
      dispatch.reject(new WorkerStoppingError(dispatch.intentId));
    }
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

  /**
   * Resolves with the run's outcome, or at `answerBy` with the intent's current state when the outcome is not known
   * by then. A run whose intent is not even confirmed stored by then fails with IntentNotConfirmedError (submitting
   * the same intent again tells what became of it).
   */
  private async inTime(run: Run, answerBy: Date | undefined): Promise<SubmitOutcome> {
    if (answerBy === undefined) return run.outcome;
    const stop = new AbortController();
    const settled = run.outcome.then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    const first = await Promise.race([settled, this.clock.waitUntil(answerBy, stop.signal).then(() => undefined)]);
    stop.abort();
    if (first !== undefined) {
      if ('error' in first) throw first.error;
      return first.outcome;
    }
    // Tracked while this process executes it; otherwise (another worker executes it) as stored.
    const current =
      this.progress.get(run.intent.intentId)?.stored ?? (await this.store.findIntent(run.intent.intentId).catch(() => null));
    if (current === null) throw new IntentNotConfirmedError(run.intent.intentId);
    const result = this.resultOf(current);
    this.metrics.pendingAnswer(result.pendingReason ?? PendingReason.QUEUED);
    return { result, duplicate: false };
  }

  private async storeAndExecute(intent: ExecutionIntent, dryRun: boolean, expiresAt: Date | undefined): Promise<SubmitOutcome> {
    if (!(await this.isRoutable(intent))) {
      // A known intent keeps its stored result even if its broker or account left the configuration since.
      const known = await this.findStored(intent.intentId);
      if (known !== null) return this.continueKnown(intent, dryRun, known);
      await this.assertRoutable(intent);
    }
    // Stored first, looked up only when the id is taken: a new intent (the usual case) costs one write, no read.
    let stored: StoredIntent;
    try {
      stored = await this.store.createIntent({ ...intent, createdAt: this.clock.now() }, dryRun, this.clock.now(), expiresAt);
    } catch (error) {
      if (!(error instanceof DuplicateIntentError)) throw new IntentNotPersistedError(intent.intentId, error);
      // Submitted before (or by another process on the same database at the same time): its state is the answer.
      const known = await this.findStored(intent.intentId);
      if (known === null) throw new IntentNotPersistedError(intent.intentId, error);
      return this.continueKnown(intent, dryRun, known);
    }
    return { result: await this.dispatch(stored), duplicate: false };
  }

  /** A repeated submission of a stored intent: its result, or its execution when it was stored but never sent. */
  private async continueKnown(intent: ExecutionIntent, dryRun: boolean, known: StoredIntent): Promise<SubmitOutcome> {
    assertSameSubmission(known, { intent, dryRun });
    if (!isUnsent(known)) {
      if (known.answer !== undefined || known.ownerId === this.store.ownerId) return { result: this.resultOf(known), duplicate: true };
      // Sent by another worker that has not answered yet: its answer, once stored.
      return { result: await this.answerOfOtherWorker(intent.intentId), duplicate: true };
    }
    // Stored but never sent: by this worker (e.g. the database failed just before the call), or by a worker that is
    // gone or handed it back; sending it is safe, because the claim lets only its owner send it, once, and none once
    // it expired.
    if (known.ownerId === this.store.ownerId || (await this.store.claim(intent.intentId))) {
      return { result: await this.dispatch(known), duplicate: true };
    }
    return { result: await this.answerOfOtherWorker(intent.intentId), duplicate: true };
  }

  private async findStored(intentId: string): Promise<StoredIntent | null> {
    try {
      return await this.store.findIntent(intentId);
    } catch (error) {
      throw new IntentNotPersistedError(intentId, error);
    }
  }

  /** Its broker is configured and its account is one of the broker's, configured or added at run time. */
  private async isRoutable(intent: ExecutionIntent): Promise<boolean> {
    const broker = this.config.brokers.find((candidate) => candidate.id === intent.brokerId);
    if (broker === undefined) return false;
    try {
      return this.accounts === undefined
        ? broker.accounts.some((account) => account.id === intent.accountId)
        : (await this.accounts.resolveAccount(intent.brokerId, intent.accountId)) !== undefined;
    } catch (error) {
      // The accounts could not be read again (database down): nothing was stored, the same intent may come again.
      throw new IntentNotPersistedError(intent.intentId, error);
    }
  }

  /** Refuses an intent whose broker or account is unknown, naming the field. */
  private async assertRoutable(intent: ExecutionIntent): Promise<void> {
    const broker = this.config.brokers.find((candidate) => candidate.id === intent.brokerId);
    if (broker === undefined) {
      throw new BrokerNotFoundError(`broker_id '${intent.brokerId}' is not configured`, {
        details: { field: 'broker_id' },
      });
    }
    if (!(await this.isRoutable(intent))) {
      throw new AccountNotFoundError(`account_id '${intent.accountId}' is not configured for broker '${broker.id}'`, {
        details: { field: 'account_id' },
      });
    }
  }

  /**
   * Runs the intent in its key's queue. Resolves with the answer as soon as the broker call is done, or with the
   * expiry refusal as soon as the intent expires while it waits; the queue slot is held until a needed reconciliation
   * has finished, so the next intent of the key waits for it.
   */
  private dispatch(stored: StoredIntent): Promise<IntentResult> {
    const intentId = stored.intent.intentId;
    if (this.stopping) return this.handBackNow(intentId);
    const key = orderingKey(stored.intent);
    const expiresAt = expiryOf(stored, this.config.worker);
    this.progress.track(stored, key);
    return new Promise<IntentResult>((resolve, reject) => {
      const waiting: QueuedDispatch = { intentId, reject };
      this.queued.add(waiting);
      const watch = new AbortController();
      if (expiresAt !== undefined) this.watchExpiry(stored, expiresAt, watch, resolve);
      void this.queue.enqueue(key, async () => {
        // From here on the claim decides between sending and expiring.
        watch.abort();
        this.expiryWatches.delete(watch);
        // Not in the set any more: stop() handed it back and answered its caller.
        if (!this.queued.delete(waiting)) return;
        if (this.stopping) {
          this.progress.forget(intentId);
          reject(new WorkerStoppingError(intentId));
          return;
        }
        let execution: Execution;
        try {
          const done = await this.execute(stored, expiresAt);
          if ('recording' in done) {
            // A definite answer that fits the order: the key's next intent may be claimed while this one's record is
            // committed. Its settle is queued ahead of that claim, so it is durable before the next order is sent.
            done.recording.then(
              (recorded) => resolve(recorded.result),
              (error: unknown) => reject(error),
            ).finally(() => this.progress.forget(intentId));
            return;
          }
          execution = done;
        } catch (error) {
          this.progress.forget(intentId);
          reject(error);
          return;
        }
        this.progress.forget(intentId);
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

  /**
   * At the intent's expiry, refuses it if it is still waiting (the compare-and-set loses to a claim for sending, and
   * to any other settlement), and answers the waiting callers at once.
   */
  private watchExpiry(
    stored: StoredIntent,
    expiresAt: Date,
    watch: AbortController,
    answer: (result: IntentResult) => void,
  ): void {
    const intentId = stored.intent.intentId;
    this.expiryWatches.add(watch);
    void this.clock.waitUntil(expiresAt, watch.signal).then(async () => {
      this.expiryWatches.delete(watch);
      if (watch.signal.aborted) return;
      const waitedFor = this.pendingReasonOf(stored) ?? PendingReason.QUEUED;
      const message = `expired at ${expiresAt.toISOString()} while ${PENDING_REASON_TEXT[waitedFor]}; not sent, and never will be`;
      try {
        const expired = await this.store.expireUnsent(intentId, this.clock.now(), message);
        if (expired === null) return;
        this.progress.forget(intentId);
        this.metrics.intentAnswered({ accepted: false, unknown: false, failSafeCode: FailSafeCode.FS050 });
        this.logger.warn(`Intent '${intentId}' ${message}`);
        answer(this.resultOf(expired));
      } catch (error) {
        // Its turn will come: the claim checks the expiry again.
        this.logger.error(`Expiring intent '${intentId}' failed: ${describe(error)}`);
      }
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
   * ("received; not processed yet", PENDING), which GetIntent and the report stream follow from there. A caller's
   * deadline cuts this wait short (SubmitOptions.answerBy).
   */
  private async answerOfOtherWorker(intentId: string): Promise<IntentResult> {
    const giveUpAt = this.clock.now().getTime() + this.config.worker.shutdownGraceMs;
    for (;;) {
      const current = await this.findStored(intentId);
      if (current === null) throw new IntentNotPersistedError(intentId, new Error('the intent is no longer stored'));
      if (current.answer !== undefined || this.stopping || this.clock.now().getTime() >= giveUpAt) return this.resultOf(current);
      await this.clock.sleep(OTHER_WORKER_POLL_MS);
    }
  }

  private async execute(stored: StoredIntent, expiresAt: Date | undefined): Promise<Execution | RecordingExecution> {
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
    if (!dryRun) {
      const claimedAt = this.clock.now();
      const claim = await this.store.claimForSending(
        intent.intentId,
        claimedAt,
        expiresAt,
        `expired at ${expiresAt?.toISOString()} before its turn to be sent came; not sent, and never will be`,
      );
      if (claim.kind === 'expired') {
        this.metrics.intentAnswered({ accepted: false, unknown: false, failSafeCode: FailSafeCode.FS050 });
        this.logger.warn(`Intent '${intent.intentId}' expired at ${expiresAt?.toISOString()} before it was sent`);
        return { result: this.resultOf(claim.stored), reconcile: false };
      }
      if (claim.kind === 'not-pending') {
        // Already sent by another run, another worker's now, or expired meanwhile: never a second time. The run that
        // sent it records the answer.
        return { result: await this.answerOfOtherWorker(intent.intentId), reconcile: false };
      }
      this.progress.advance(intent.intentId, 'sending');
    }

    const startedAt = performance.now();
    let response: ExecutionResponse;
    try {
      response = await engine.submitIntent(intent, {
        ...(dryRun || expiresAt === undefined ? {} : { sendBy: expiresAt }),
        onStage: (stage) => this.progress.advance(intent.intentId, stage),
      });
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
      return this.recordDefinite(stored, answerOf(response), { status: OrderStatus.REJECTED, message: response.message });
    }
    const status = response.status ?? OrderStatus.ACCEPTED;
    const order: OrderUpdate = {
      status,
      ...(response.orderId ? { brokerOrderId: response.orderId } : {}),
      ...(status === OrderStatus.FILLED ? { filledQuantity: intent.quantity } : {}),
      message: response.message,
    };
    // A broker that says "received, not acknowledged yet" (PENDING) is asked again until it settles.
    if (status === OrderStatus.PENDING) return this.record(stored, answerOf(response), order, true);
    return this.recordDefinite(stored, answerOf(response), order);
  }

  /**
   * Records a definite broker answer (accepted or refused) of an order this worker claimed and sent. While its order is
   * claimed and in flight nothing else writes it, so an answer the state machine allows from PENDING is recorded as
   * is, and the key need not wait for the commit. Anything else is recorded the careful way (record), holding the key.
   */
  private recordDefinite(stored: StoredIntent, answer: AnswerPatch, order: OrderUpdate): Promise<Execution> | RecordingExecution {
    if (!canTransition(OrderStatus.PENDING, order.status)) return this.record(stored, answer, order, false);
    return { recording: this.record(stored, answer, order, false) };
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
      return { result: this.resultOf(settled), reconcile };
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
    return { result: this.resultOf(settled), reconcile: true };
  }

  /** Why the outcome of a stored intent is not known yet; undefined once it is (or for a dry run already answered). */
  private pendingReasonOf(stored: StoredIntent): PendingReason | undefined {
    const { order } = stored;
    const intentId = stored.intent.intentId;
    if (order === undefined) return stored.answer === undefined ? PendingReason.QUEUED : undefined;
    if (this.reconciler.isReconciling(intentId) || order.status === OrderStatus.UNKNOWN) return PendingReason.RECONCILING;
    if (order.status !== OrderStatus.PENDING) return undefined;
    const tracked = this.progress.get(intentId);
    if (tracked?.stage === 'awaiting-permit') return PendingReason.RATE_LIMIT_WAIT;
    if (tracked?.stage === 'sending' || order.submittedAt !== undefined) return PendingReason.AWAITING_BROKER;
    return this.reconciler.isKeyBlocked(orderingKey(stored.intent)) ? PendingReason.BLOCKED_BY_UNKNOWN_ORDER : PendingReason.QUEUED;
  }
}

/** The message of a PENDING answer: why, and until when an intent not sent yet may still be sent. */
function pendingMessage(reason: PendingReason, expiresAt: Date | undefined): string {
  const unsent = reason === PendingReason.QUEUED || reason === PendingReason.BLOCKED_BY_UNKNOWN_ORDER || reason === PendingReason.RATE_LIMIT_WAIT;
  const expiry = unsent && expiresAt !== undefined ? `; refused as expired unless sent by ${expiresAt.toISOString()}` : '';
  return `pending: ${PENDING_REASON_TEXT[reason]}${expiry}`;
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
