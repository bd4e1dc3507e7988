import { Inject, Injectable } from '@nestjs/common';
import { OrderStatus } from '@qts/broker-domain';
import type { PlatformConfig } from '@qts/platform-config';
import { METRICS_REGISTRY } from '@qts/service-infra';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcome of one broker call for an intent. */
export type BrokerCallOutcome = 'accepted' | 'rejected' | 'unknown';

/** How a reconciliation of an order ended. */
export type ReconciliationOutcome =
  | 'found'
  | 'never_reached'
  | 'deferred'
  | 'no_adapter'
  | 'aborted'
  | 'settled'
  /** Several broker orders match an order sent without a client order id: left UNKNOWN for an operator. */
  | 'ambiguous';

/** What one look at an open order found. */
export type OpenOrderCheckOutcome = 'unchanged' | 'changed' | 'broker_error' | 'not_found' | 'illegal' | 'skipped';

/** Snapshot sources read at scrape time (database counts, guard states, keys held by reconciliations). */
export interface MetricsSources {
  ordersByStatus(): Promise<Map<OrderStatus, number>>;
  /** `account`: the label of the account (accountMetricLabel), never its number. */
  failSafeStatus(): { brokerId: string; account: string; tripped: boolean }[];
  /** Orders only an operator can settle, by flag (AMBIGUOUS_MATCH). */
  ordersByOperatorFlag?(): Promise<Map<string, number>>;
  /** Per broker, when its longest-unknown UNKNOWN order was sent. */
  oldestUnknownOrders?(): Promise<Map<string, Date>>;
  /** The current time (the worker's clock). */
  now?(): Date;
}

/**
 * How metrics name a broker account: its position in the broker's `accounts` list of the brokers YAML, from 1.
 * Metrics are scraped and stored without access control, so they carry no account numbers.
 */
export function accountMetricLabel(config: PlatformConfig, brokerId: string, accountId: string): string {
  const accounts = config.brokers.find((broker) => broker.id === brokerId)?.accounts ?? [];
  const index = accounts.findIndex((account) => account.id === accountId);
  return index === -1 ? 'unconfigured' : String(index + 1);
}

/**
 * The worker's Prometheus metrics, in the service's registry (GET /metrics; tests give each instance a registry of
 * its own). Names start with `execution_worker_`.
 */
@Injectable()
export class WorkerMetrics {
  private sources: MetricsSources | undefined;
  private blockedKeys: (() => Map<string, number>) | undefined;

  private readonly intentsReceived: Counter<string>;
  private readonly intentsDuplicate: Counter<string>;
  private readonly intentsAccepted: Counter<string>;
  private readonly intentsRejected: Counter<string>;
  private readonly intentsUnknown: Counter<string>;
  private readonly brokerCallSeconds: Histogram<string>;
  private readonly reconciliationRuns: Counter<string>;
  private readonly reconciliationOutcomes: Counter<string>;

  private readonly pendingAnswers: Counter<string>;
  private readonly openOrderPolls: Counter<string>;
  private readonly openOrderChecks: Counter<string>;
  private readonly openOrderChanges: Counter<string>;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    this.intentsReceived = new Counter({
      name: 'execution_worker_intents_received_total',
      help: 'SubmitIntent calls that passed validation, duplicates included',
      registers: [registry],
    });
    this.intentsDuplicate = new Counter({
      name: 'execution_worker_intents_duplicate_total',
      help: 'Submissions of an intent id that was already known: answered with the stored result, nothing sent',
      registers: [registry],
    });
    this.intentsAccepted = new Counter({
      name: 'execution_worker_intents_accepted_total',
      help: 'Intents the broker accepted (dry runs included)',
      registers: [registry],
    });
    this.intentsRejected = new Counter({
      name: 'execution_worker_intents_rejected_total',
      help: 'Intents refused by the broker, a fail-safe or the worker, by fail-safe code',
      labelNames: ['fail_safe_code'] as const,
      registers: [registry],
    });
    this.intentsUnknown = new Counter({
      name: 'execution_worker_intents_unknown_total',
      help: 'Intents whose order outcome was unknown when answered (reconciled afterwards, never re-sent)',
      registers: [registry],
    });
    this.brokerCallSeconds = new Histogram({
      name: 'execution_worker_broker_call_duration_seconds',
      help: 'Duration of the broker call of an intent (rate-limit wait included)',
      labelNames: ['broker_id', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.reconciliationRuns = new Counter({
      name: 'execution_worker_reconciliation_runs_total',
      help: 'Reconciliations of orders whose outcome was unknown',
      registers: [registry],
    });
    this.reconciliationOutcomes = new Counter({
      name: 'execution_worker_reconciliation_outcomes_total',
      help: 'How reconciliations ended: found at the broker, never reached it, deferred (broker not answering) ...',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.pendingAnswers = new Counter({
      name: 'execution_worker_submit_pending_answers_total',
      help: "SubmitIntent calls answered PENDING because the outcome could not be known before the caller's deadline, by reason",
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    this.openOrderPolls = new Counter({
      name: 'execution_worker_open_order_polls_total',
      help: 'Rounds of asking the broker for the current state of orders still open (ACCEPTED, PARTIAL)',
      registers: [registry],
    });
    this.openOrderChecks = new Counter({
      name: 'execution_worker_open_order_checks_total',
      help: 'Open orders asked for, by what was found: unchanged, changed, broker_error, not_found, illegal, skipped',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.openOrderChanges = new Counter({
      name: 'execution_worker_open_order_changes_total',
      help: 'State changes of open orders found at the broker (fills, cancellations), by new status',
      labelNames: ['status'] as const,
      registers: [registry],
    });
    const sources = (): MetricsSources | undefined => this.sources;
    const blockedKeys = (): Map<string, number> => this.blockedKeys?.() ?? new Map<string, number>();
    new Gauge({
      name: 'execution_worker_orders',
      help: 'Orders in the database by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = (await sources()?.ordersByStatus()) ?? new Map<OrderStatus, number>();
        for (const status of Object.values(OrderStatus)) this.set({ status }, counts.get(status) ?? 0);
      },
    });
    new Gauge({
      name: 'execution_worker_orders_needing_operator',
      help:
        'Orders the worker cannot settle on its own, by flag (AMBIGUOUS_MATCH: several broker orders match an order sent ' +
        'without a client order id); they stay UNKNOWN, are never re-sent, and wait for an operator to settle them at the broker',
      labelNames: ['flag'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = (await sources()?.ordersByOperatorFlag?.()) ?? new Map<string, number>();
        this.set({ flag: 'AMBIGUOUS_MATCH' }, counts.get('AMBIGUOUS_MATCH') ?? 0);
        for (const [flag, count] of counts) if (flag !== 'AMBIGUOUS_MATCH') this.set({ flag }, count);
      },
    });
    new Gauge({
      name: 'execution_worker_blocked_keys',
      help: '(broker, account, symbol) keys whose next intents wait for the reconciliation of an order whose outcome is unknown',
      labelNames: ['broker_id'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [brokerId, count] of blockedKeys()) this.set({ broker_id: brokerId }, count);
      },
    });
    new Gauge({
      name: 'execution_worker_oldest_unknown_order_age_seconds',
      help: 'Age (since it was sent) of the oldest order still UNKNOWN, per broker; absent when there is none',
      labelNames: ['broker_id'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const current = sources();
        const oldest = (await current?.oldestUnknownOrders?.()) ?? new Map<string, Date>();
        const now = (current?.now?.() ?? new Date()).getTime();
        for (const [brokerId, since] of oldest) this.set({ broker_id: brokerId }, Math.max(0, (now - since.getTime()) / 1000));
      },
    });
    new Gauge({
      name: 'execution_worker_fail_safe_tripped',
      help:
        '1 while the consecutive-failure guard of a broker account is tripped (orders refused until an admin reset); ' +
        'account: its position in the broker\'s accounts list',
      labelNames: ['broker_id', 'account'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const guard of sources()?.failSafeStatus() ?? []) {
          this.set({ broker_id: guard.brokerId, account: guard.account }, guard.tripped ? 1 : 0);
        }
      },
    });
  }

  /** Connects the scrape-time sources (set once the database and the broker factory exist). */
  useSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** Per broker, the (broker, account, symbol) keys whose next intents wait for a reconciliation (the reconciler's). */
  useBlockedKeys(source: () => Map<string, number>): void {
    this.blockedKeys = source;
  }

  intentReceived(): void {
    this.intentsReceived.inc();
  }

  duplicateIntent(): void {
    this.intentsDuplicate.inc();
  }

  intentAnswered(answer: { accepted: boolean; unknown: boolean; failSafeCode?: string }): void {
    if (answer.unknown) this.intentsUnknown.inc();
    else if (answer.accepted) this.intentsAccepted.inc();
    else this.intentsRejected.inc({ fail_safe_code: answer.failSafeCode ?? 'none' });
  }

  pendingAnswer(reason: string): void {
    this.pendingAnswers.inc({ reason });
  }

  brokerCall(brokerId: string, outcome: BrokerCallOutcome, seconds: number): void {
    this.brokerCallSeconds.observe({ broker_id: brokerId, outcome }, seconds);
  }

  reconciliationStarted(): void {
    this.reconciliationRuns.inc();
  }

  reconciliationEnded(outcome: ReconciliationOutcome): void {
    this.reconciliationOutcomes.inc({ outcome });
  }

  openOrderPoll(): void {
    this.openOrderPolls.inc();
  }

  openOrderChecked(outcome: OpenOrderCheckOutcome, newStatus?: OrderStatus): void {
    this.openOrderChecks.inc({ outcome });
    if (outcome === 'changed' && newStatus !== undefined) this.openOrderChanges.inc({ status: newStatus });
  }
}
