import {
  BROKER_ERROR_CODES,
  BrokerEngine,
  ExecutionIntent,
  ExecutionResponse,
  failSafeCodeForError,
  hasPayloadBuilder,
  InvalidArgumentError,
  isBrokerError,
  OrderAdapter,
  OrderOutcomeUnknownError,
  OrderRequest,
  OrderResponse,
  OrderSendOptions,
  orderRequestToCommand,
  OrderStatus,
  validateExecutionIntent,
} from '@qts/broker-domain';
import { isUnclassifiedBrokerError } from '@qts/broker-rest';
import { intentToOrderRequest, orderResponseToExecutionResponse } from './intent-order-bridge';

export interface OrderAdapterBrokerEngineOptions {
  /** Reported as ExecutionResponse.broker. */
  brokerId: string;
  /** Build and validate the payload, send nothing. */
  dryRun?: boolean;
}

/**
 * Wraps an OrderAdapter (JTS, KIS REST, Kiwoom REST) as a BrokerEngine.
 *
 * How it answers, which is what keeps "at most one order per intent" true:
 * - invalid intent (validateExecutionIntent, other broker) -> refused (FS048), nothing sent;
 * - dry run -> the adapter's payload is built and validated (buildPayload, or the domain's order rules
 *   for adapters without one), nothing sent, accepted with dryRun: true;
 * - a domain error from the adapter (a definite refusal) -> refused with failSafeCodeForError(error); one this
 *   platform made before sending (no rate-limit permit in time, the send-by time passed: FS043 / FS050) is
 *   marked refusedBeforeSending, so the consecutive-failure guard does not count it;
 *   UnclassifiedBrokerError (the broker refused with an unknown code) -> refused, FS049;
 * - OrderOutcomeUnknownError -> RE-THROWN: the caller marks the order UNKNOWN and reconciles it;
 * - BrokerTimeoutError or anything else thrown by the adapter, an UNKNOWN status, or an answer for
 *   another clientOrderId -> thrown as OrderOutcomeUnknownError: the order may exist, so it must be
 *   reconciled, not refused. So a refusal never carries FS042.
 */
export class OrderAdapterBrokerEngine implements BrokerEngine {
  readonly name: string;
  readonly brokerId: string;
  readonly dryRun: boolean;

  constructor(
    private readonly adapter: OrderAdapter,
    options: OrderAdapterBrokerEngineOptions,
  ) {
    if (typeof options.brokerId !== 'string' || options.brokerId.trim() === '') {
      throw new InvalidArgumentError('brokerId must be a non-empty string', { field: 'brokerId' });
    }
    this.brokerId = options.brokerId;
    this.dryRun = options.dryRun ?? false;
    this.name = this.dryRun ? `${options.brokerId} (dry run)` : options.brokerId;
  }

  async submitIntent(intent: ExecutionIntent, options?: OrderSendOptions): Promise<ExecutionResponse> {
    let request: OrderRequest;
    try {
      request = this.requestOf(intent);
    } catch (error) {
      return this.refusal(intent, error);
    }
    if (this.dryRun) {
      return this.dryRunAnswer(intent, request);
    }
    let response: OrderResponse;
    try {
      response = await this.adapter.placeOrder(request, options);
    } catch (error) {
      if (isOutcomeUnknown(error)) {
        throw error;
      }
      if (
        (isBrokerError(error) && error.code !== BROKER_ERROR_CODES.BROKER_TIMEOUT) ||
        isUnclassifiedBrokerError(error)
      ) {
        return this.refusal(intent, error);
      }
      // A timeout (which adapters should already report as an unknown outcome) or an unexpected exception.
      throw new OrderOutcomeUnknownError(
        `${this.brokerId}: the order call failed (${messageOf(error)}); reconcile it`,
        {
          clientOrderId: request.clientOrderId,
          details: { brokerId: this.brokerId },
          cause: error,
        },
      );
    }
    if (response.status === OrderStatus.UNKNOWN || response.clientOrderId !== request.clientOrderId) {
      throw new OrderOutcomeUnknownError(
        response.status === OrderStatus.UNKNOWN
          ? `${this.brokerId}: the broker reports the order outcome as unknown (${response.message})`
          : `${this.brokerId}: the broker answered for clientOrderId '${response.clientOrderId}' instead of '${request.clientOrderId}'`,
        { clientOrderId: request.clientOrderId, details: { brokerId: this.brokerId } },
      );
    }
    return orderResponseToExecutionResponse(intent, response, this.brokerId);
  }

  private requestOf(intent: ExecutionIntent): OrderRequest {
    validateExecutionIntent(intent);
    if (intent.brokerId !== this.brokerId) {
      throw new InvalidArgumentError(
        `intent for broker '${intent.brokerId}' reached the engine of '${this.brokerId}'`,
        {
          field: 'brokerId',
        },
      );
    }
    return intentToOrderRequest(intent);
  }

  private dryRunAnswer(intent: ExecutionIntent, request: OrderRequest): ExecutionResponse {
    let endpoint = `${this.brokerId} order`;
    try {
      if (hasPayloadBuilder(this.adapter)) {
        endpoint = this.adapter.buildPayload(request).endpoint;
      } else {
        orderRequestToCommand(request);
      }
    } catch (error) {
      return { ...this.refusal(intent, error), dryRun: true };
    }
    const price = request.price === undefined ? '' : ` @ ${request.price.toFixed()}`;
    return {
      intentId: intent.intentId,
      accepted: true,
      broker: this.brokerId,
      dryRun: true,
      message: `dry run: ${request.side} ${request.quantity} ${request.symbol} ${request.orderType}${price} -> ${endpoint}; payload valid, nothing sent`,
    };
  }

  private refusal(intent: ExecutionIntent, error: unknown): ExecutionResponse {
    return {
      intentId: intent.intentId,
      accepted: false,
      broker: this.brokerId,
      status: OrderStatus.REJECTED,
      failSafeCode: failSafeCodeForError(error),
      message: messageOf(error),
      ...(isRefusedBeforeSending(error) ? { refusedBeforeSending: true } : {}),
    };
  }
}

/**
 * Refusals this platform made itself, before sending, that say nothing about the broker: no rate-limit permit in
 * time (the limiter's, `details.source === 'client'`) and an order whose send-by time passed while it waited.
 * A rate-limit answer of the broker (EGW00201, RESOURCE_EXHAUSTED, HTTP 429) is not one of them.
 */
function isRefusedBeforeSending(error: unknown): boolean {
  if (!isBrokerError(error)) return false;
  if (error.code === BROKER_ERROR_CODES.ORDER_EXPIRED) return true;
  return error.code === BROKER_ERROR_CODES.RATE_LIMITED && error.details?.['source'] === 'client';
}

function isOutcomeUnknown(error: unknown): boolean {
  return isBrokerError(error) && error.code === BROKER_ERROR_CODES.ORDER_OUTCOME_UNKNOWN;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
