import type { ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { Controller, Inject, Logger } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { EXECUTION_INTENT_ID_LIMITS, InvalidArgumentError, OrderNotFoundError, quoteCallerValue, validateExecutionIntent } from '@qts/broker-domain';
import { qtsExecutionV1 } from '@qts/grpc-contracts';
import {
  actsForStrategy,
  CurrentPrincipal,
  GrpcCall,
  GrpcServerStreams,
  PLATFORM_ERROR_CODES,
  PlatformError,
  RequireScope,
  requireStrategyAccess,
  type ApiPrincipal,
} from '@qts/service-infra';
import type { Observable } from 'rxjs';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import type { StoredIntent } from '../persistence/stored-intent';
import type { ExecutionReport } from '../processing/execution-report';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { IntentExecutionService } from '../processing/intent-execution.service';
import type { IntentResult } from '../processing/intent-result';
import { protoOrderSide, protoOrderStatus, protoOrderType, protoPendingReason } from './proto-enum-mapping';
import { withProtoFieldNames } from './proto-field-names';
import { intentFromSubmitRequest } from './submit-intent-request-mapping';

/** A report stream whose client reads slower than this many buffered reports is ended (RESOURCE_EXHAUSTED). */
export const MAX_BUFFERED_REPORTS = 10_000;

export const EXECUTION_SERVICE_NAME = 'qts.execution.v1.ExecutionService';

const SERVICE = 'ExecutionService';

/** A strategy engine that reads its execution reports too slowly to keep up. */
export class ReportStreamOverflowError extends PlatformError {
  readonly code = PLATFORM_ERROR_CODES.RATE_LIMITED;

  constructor() {
    super(`the client reads execution reports too slowly (more than ${MAX_BUFFERED_REPORTS} waiting)`);
  }
}

/**
 * qts.execution.v1.ExecutionService: request mapping and access checks; the work is done by IntentExecutionService.
 * Failures become gRPC statuses through the service's exception filter. Every call needs an API key (`x-api-key`):
 * SubmitIntent the `submit` scope, GetIntent and StreamExecutionReports `read`, ResetFailSafe `admin`; a key acts
 * only for the strategies it is bound to (admin keys for every one).
 */
@Controller()
export class ExecutionGrpcController {
  private readonly logger = new Logger(ExecutionGrpcController.name);

  constructor(
    private readonly executions: IntentExecutionService,
    private readonly reports: ExecutionReportBus,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly streams: GrpcServerStreams,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  /**
   * Answers before the call's deadline: when the outcome cannot be known WORKER_SUBMIT_ANSWER_MARGIN_MS before it,
   * the intent's current state (PENDING and why) instead of DEADLINE_EXCEEDED.
   */
  @GrpcMethod(SERVICE, 'SubmitIntent')
  @RequireScope('submit')
  async submitIntent(
    @Payload() request: qtsExecutionV1.SubmitIntentRequest,
    @CurrentPrincipal() principal: ApiPrincipal,
    @GrpcCall() call: ServerUnaryCall<qtsExecutionV1.SubmitIntentRequest, qtsExecutionV1.SubmitIntentResponse>,
  ): Promise<qtsExecutionV1.SubmitIntentResponse> {
    try {
      const { intent, dryRun, expiry } = intentFromSubmitRequest(request);
      // Malformed first (INVALID_ARGUMENT naming the field), then whose it is (PERMISSION_DENIED).
      validateExecutionIntent(intent);
      requireStrategyAccess(principal, intent.strategyId);
      const answerBy = answerDeadline(call, this.settings.submitAnswerMarginMs, Date.now());
      const { result, duplicate } = await this.executions.submit(intent, {
        dryRun,
        expiry,
        ...(answerBy === undefined ? {} : { answerBy }),
      });
      return toSubmitIntentResponse(result, duplicate);
    } catch (error) {
      throw withProtoFieldNames(error);
    }
  }

  /** The intent, if the key acts for its strategy: another strategy's intent is NOT_FOUND, as an unknown one. */
  @GrpcMethod(SERVICE, 'GetIntent')
  @RequireScope('read')
  async getIntent(
    @Payload() request: qtsExecutionV1.GetIntentRequest,
    @CurrentPrincipal() principal: ApiPrincipal,
  ): Promise<qtsExecutionV1.GetIntentResponse> {
    const intentId = requireIdField(request.intentId, 'intent_id', EXECUTION_INTENT_ID_LIMITS.intentId, true);
    const stored = await this.executions.find(intentId);
    if (stored === null || !actsForStrategy(principal, stored.intent.strategyId)) {
      throw new OrderNotFoundError(`intent_id ${quoteCallerValue(intentId)} is not known`);
    }
    return toGetIntentResponse(stored, this.executions.resultOf(stored));
  }

  /**
   * Order state changes as they are committed, filtered by strategy and broker; ends with OK on shutdown. A key
   * bound to strategies gets only theirs (strategy_id empty: all of its strategies; another one: PERMISSION_DENIED).
   */
  @GrpcMethod(SERVICE, 'StreamExecutionReports')
  @RequireScope('read')
  streamExecutionReports(
    @Payload() request: qtsExecutionV1.StreamExecutionReportsRequest,
    @CurrentPrincipal() principal: ApiPrincipal,
    @GrpcCall() call: ServerWritableStream<qtsExecutionV1.StreamExecutionReportsRequest, qtsExecutionV1.ExecutionReport>,
  ): Observable<never> {
    const strategyId = requireIdField(request.strategyId, 'strategy_id', EXECUTION_INTENT_ID_LIMITS.strategyId, false);
    const brokerId = requireIdField(request.brokerId, 'broker_id', EXECUTION_INTENT_ID_LIMITS.brokerId, false);
    if (strategyId !== '') requireStrategyAccess(principal, strategyId);
    return this.streams.stream(call, ({ signal }) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return resolve();
        const unsubscribe = this.reports.subscribe((report) => {
          if (signal.aborted) return;
          if (strategyId !== '' && report.strategyId !== strategyId) return;
          if (!actsForStrategy(principal, report.strategyId)) return;
          if (brokerId !== '' && report.brokerId !== brokerId) return;
          if (call.writableLength >= MAX_BUFFERED_REPORTS) {
            unsubscribe();
            reject(new ReportStreamOverflowError());
            return;
          }
          call.write(toProtoReport(report));
        });
        signal.addEventListener('abort', () => {
          unsubscribe();
          resolve();
        });
      }),
    );
  }

  @GrpcMethod(SERVICE, 'ResetFailSafe')
  @RequireScope('admin')
  async resetFailSafe(request: qtsExecutionV1.ResetFailSafeRequest): Promise<qtsExecutionV1.ResetFailSafeResponse> {
    const { brokerId, reason } = request;
    const reset = this.brokers.resetFailSafe(brokerId === '' ? undefined : brokerId);
    this.logger.warn(
      `Fail-safe reset over gRPC for ${brokerId || 'every broker'} (${reason || 'no reason given'}): ` +
        `${reset.join(', ') || 'nothing was tripped'}`,
    );
    return { resetBrokerIds: reset };
  }
}

/** An id of a request, at most `maxLength` characters (the column's width); INVALID_ARGUMENT naming the field. */
function requireIdField(value: string, field: string, maxLength: number, required: boolean): string {
  if (required && value.trim() === '') throw new InvalidArgumentError(`${field} is required`, { field });
  if (value.length > maxLength) {
    throw new InvalidArgumentError(`${field} must be at most ${maxLength} characters (got ${value.length})`, { field });
  }
  return value;
}

export function toSubmitIntentResponse(result: IntentResult, duplicate: boolean): qtsExecutionV1.SubmitIntentResponse {
  return {
    intentId: result.intentId,
    accepted: result.accepted,
    broker: result.broker,
    orderId: result.orderId ?? '',
    status: protoOrderStatus(result.status),
    failSafeCode: result.failSafeCode ?? '',
    message: result.message,
    dryRun: result.dryRun,
    duplicate,
    pendingReason: protoPendingReason(result.pendingReason),
    expiresAt: result.expiresAt?.toISOString() ?? '',
  };
}

/** The stored intent as submitted, with `result`: its current answer, expiry and pending reason. */
export function toGetIntentResponse(stored: StoredIntent, result: IntentResult): qtsExecutionV1.GetIntentResponse {
  const { intent, order } = stored;
  return {
    intentId: intent.intentId,
    strategyId: intent.strategyId,
    brokerId: intent.brokerId,
    accountId: intent.accountId,
    symbol: intent.symbol,
    side: protoOrderSide(intent.side),
    quantity: intent.quantity,
    orderType: protoOrderType(intent.orderType),
    limitPrice: intent.limitPrice?.toFixed() ?? '',
    dryRun: stored.dryRun,
    accepted: result.accepted,
    broker: result.broker,
    orderId: result.orderId ?? '',
    status: protoOrderStatus(result.status),
    failSafeCode: result.failSafeCode ?? '',
    message: result.message,
    filledQuantity: order?.filledQuantity ?? 0,
    avgFillPrice: order?.avgFillPrice?.toFixed() ?? '',
    createdAt: stored.createdAt.toISOString(),
    updatedAt: latest(stored.updatedAt, order?.updatedAt).toISOString(),
    operatorFlag: order?.operatorFlag ?? '',
    expiresAt: result.expiresAt?.toISOString() ?? '',
    pendingReason: protoPendingReason(result.pendingReason),
    submittedAt: order?.submittedAt?.toISOString() ?? '',
  };
}

export function toProtoReport(report: ExecutionReport): qtsExecutionV1.ExecutionReport {
  return {
    intentId: report.intentId,
    orderId: report.orderId ?? '',
    status: protoOrderStatus(report.status),
    filledQuantity: report.filledQuantity,
    avgFillPrice: report.avgFillPrice?.toFixed() ?? '',
    message: report.message,
    timestamp: report.timestamp.toISOString(),
    sequence: report.sequence,
    strategyId: report.strategyId,
    brokerId: report.brokerId,
    failSafeCode: report.failSafeCode ?? '',
  };
}

/**
 * When SubmitIntent must answer at the latest: the call's deadline minus the margin, the margin taking at most half
 * of the time left (a caller with a very short deadline still gets a stored state rather than none). Undefined when
 * the caller set no deadline: it waits for the outcome.
 */
export function answerDeadline(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline'> | undefined,
  marginMs: number,
  nowMs: number,
): Date | undefined {
  const deadline = call?.getDeadline?.();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (!Number.isFinite(deadlineMs)) return undefined;
  return new Date(deadlineMs - Math.min(marginMs, Math.max(0, (deadlineMs - nowMs) / 2)));
}

function latest(a: Date, b: Date | undefined): Date {
  return b !== undefined && b.getTime() > a.getTime() ? b : a;
}
