import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidArgumentError, OrderNotFoundError } from '@qts/broker-domain';
import { qtsExecutionV1 } from '@qts/grpc-contracts';
import { BROKER_FACTORY, type BrokerFactory } from '../execution';
import type { StoredIntent } from '../persistence/stored-intent';
import type { ExecutionReport } from '../processing/execution-report';
import { ExecutionReportBus } from '../processing/execution-report-bus';
import { IntentExecutionService } from '../processing/intent-execution.service';
import { intentResultOf, type IntentResult } from '../processing/intent-result';
import { AdminApiKey } from './admin-api-key';
import { grpcStatusForError } from './grpc-status-for-error';
import { protoOrderSide, protoOrderStatus, protoOrderType } from './proto-enum-mapping';
import { intentFromSubmitRequest } from './submit-intent-request-mapping';

/** A report stream whose client reads slower than this many buffered reports is ended (RESOURCE_EXHAUSTED). */
export const MAX_BUFFERED_REPORTS = 10_000;

/**
 * qts.execution.v1.ExecutionService on a plain @grpc/grpc-js server: request mapping, status mapping and admin
 * checks; the work is done by IntentExecutionService.
 */
@Injectable()
export class ExecutionGrpcService {
  private readonly logger = new Logger(ExecutionGrpcService.name);
  /** Open report streams and how to end each. */
  private readonly openStreams = new Set<() => void>();

  constructor(
    private readonly executions: IntentExecutionService,
    private readonly reports: ExecutionReportBus,
    @Inject(BROKER_FACTORY) private readonly brokers: BrokerFactory,
    private readonly adminKey: AdminApiKey,
  ) {}

  /** The handlers for `server.addService(qtsExecutionV1.ExecutionServiceService, ...)`. */
  handlers(): qtsExecutionV1.ExecutionServiceServer {
    return {
      submitIntent: (call, callback) => this.respond(callback, () => this.submitIntent(call.request)),
      getIntent: (call, callback) => this.respond(callback, () => this.getIntent(call.request)),
      streamExecutionReports: (call) => this.streamExecutionReports(call),
      resetFailSafe: (call, callback) => this.respond(callback, () => this.resetFailSafe(call)),
    };
  }

  async submitIntent(request: qtsExecutionV1.SubmitIntentRequest): Promise<qtsExecutionV1.SubmitIntentResponse> {
    const { intent, dryRun } = intentFromSubmitRequest(request);
    const { result, duplicate } = await this.executions.submit(intent, { dryRun });
    return toSubmitIntentResponse(result, duplicate);
  }

  async getIntent(request: qtsExecutionV1.GetIntentRequest): Promise<qtsExecutionV1.GetIntentResponse> {
    if (request.intentId.trim() === '') {
      throw new InvalidArgumentError('intent_id is required', { field: 'intentId' });
    }
    const stored = await this.executions.find(request.intentId);
    if (stored === null) throw new OrderNotFoundError(`intent_id '${request.intentId}' is not known`);
    return toGetIntentResponse(stored);
  }

  streamExecutionReports(
    call: ServerWritableStream<qtsExecutionV1.StreamExecutionReportsRequest, qtsExecutionV1.ExecutionReport>,
  ): void {
    const { strategyId, brokerId } = call.request;
    let closed = false;
    const unsubscribe = this.reports.subscribe((report) => {
      if (closed) return;
      if (strategyId !== '' && report.strategyId !== strategyId) return;
      if (brokerId !== '' && report.brokerId !== brokerId) return;
      if (call.writableLength >= MAX_BUFFERED_REPORTS) {
        close();
        call.emit('error', { code: status.RESOURCE_EXHAUSTED, details: 'the client reads execution reports too slowly' });
        return;
      }
      call.write(toProtoReport(report));
    });
    const close = () => {
      closed = true;
      unsubscribe();
      this.openStreams.delete(endStream);
    };
    const endStream = () => {
      close();
      call.end();
    };
    this.openStreams.add(endStream);
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
  }

  /** Shutdown: ends every report stream with OK, so the server can close. */
  endStreams(): void {
    for (const end of [...this.openStreams]) end();
  }

  get openStreamCount(): number {
    return this.openStreams.size;
  }

  async resetFailSafe(
    call: ServerUnaryCall<qtsExecutionV1.ResetFailSafeRequest, qtsExecutionV1.ResetFailSafeResponse>,
  ): Promise<qtsExecutionV1.ResetFailSafeResponse> {
    const presented = call.metadata.get('x-api-key')[0];
    const verdict = this.adminKey.verify(typeof presented === 'string' ? presented : presented?.toString('utf8'));
    if (verdict !== 'granted') {
      throw new AdminRefusal(verdict === 'disabled' ? 'admin calls are disabled (no ADMIN_API_KEY)' : 'a valid x-api-key is required');
    }
    const { brokerId, reason } = call.request;
    const reset = this.brokers.resetFailSafe(brokerId === '' ? undefined : brokerId);
    this.logger.warn(`Fail-safe reset over gRPC for ${brokerId || 'every broker'} (${reason || 'no reason given'}): ${reset.join(', ') || 'nothing was tripped'}`);
    return { resetBrokerIds: reset };
  }

  private respond<T>(callback: sendUnaryData<T>, work: () => Promise<T>): void {
    work().then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (error instanceof AdminRefusal) {
          callback({ code: status.UNAUTHENTICATED, details: error.message, metadata: new Metadata() }, null);
          return;
        }
        const mapped = grpcStatusForError(error);
        if (mapped.code === status.INTERNAL || mapped.code === status.UNAVAILABLE) {
          this.logger.error(`ExecutionService call failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        callback({ ...mapped, metadata: new Metadata() }, null);
      },
    );
  }
}

/** Missing, wrong or disabled admin key: UNAUTHENTICATED. */
class AdminRefusal extends Error {}

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
  };
}

export function toGetIntentResponse(stored: StoredIntent): qtsExecutionV1.GetIntentResponse {
  const { intent, order } = stored;
  const result = intentResultOf(stored);
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
  };
}

function latest(a: Date, b: Date | undefined): Date {
  return b !== undefined && b.getTime() > a.getTime() ? b : a;
}
