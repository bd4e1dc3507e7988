import { Inject, Injectable } from '@nestjs/common';
import { AccountType, BROKER_ERROR_CODES, OrderOutcomeUnknownError, type Order, type OrderJson } from '@qts/broker-domain';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { classifyError, KeyedSerialQueue, type ApiPrincipal, type ErrorBody } from '@qts/service-infra';
import { BrokerCallRunner } from '../brokers/broker-call-runner';
import { BrokerDirectory } from '../brokers/broker-directory';
import {
  IdempotencyConflictError,
  IdempotencyInProgressError,
  LiveTradingDisabledError,
  ReplayedFailureError,
} from '../errors/gateway-errors';
import type { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyStore } from './idempotency-store';
import {
  clientOrderIdFor,
  orderFingerprint,
  randomClientOrderId,
  toPlaceOrderCommand,
  type ManualOrderRequest,
} from './manual-order-request';

export interface PlaceOrderResult {
  statusCode: number;
  order: OrderJson;
  /** True when the answer is the stored result of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * A PENDING record older than this belongs to a request that died (a crashed replica): the next repeat
 * takes it over and reconciles. Far above the longest placement (permit wait + deadline).
 */
export const PENDING_TAKEOVER_MS = 120_000;

const CREATED = 201;

/**
 * Manual orders for REST and gRPC alike.
 *
 * Idempotency (Idempotency-Key, scoped per API key): the first request claims the key in the database, sends
 * the order with a client_order_id derived from the key, and stores its answer; repeats with the same order
 * get that answer (status and body) without a broker call, concurrent ones wait for it (one process) or get
 * 409 IDEMPOTENCY_IN_PROGRESS (another replica holds the key); another order under the key is 409
 * IDEMPOTENCY_CONFLICT. Outcomes:
 * - success and final refusals (400/404/422): stored and replayed;
 * - RATE_LIMITED: the broker did not take the request; the key is released for a retry;
 * - anything else (unknown outcome, timeout, unavailable, internal): the record is kept as UNKNOWN and a
 *   repeat first looks the order up by client_order_id, sending it only if the broker has none.
 */
@Injectable()
export class OrderService {
  /** Concurrent requests with one (API key, Idempotency-Key) run one after another: the first wins, the rest replay. */
  private readonly sameKey = new KeyedSerialQueue();

  constructor(
    private readonly directory: BrokerDirectory,
    private readonly calls: BrokerCallRunner,
    private readonly store: IdempotencyStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async placeOrder(principal: ApiPrincipal, request: ManualOrderRequest, idempotencyKey?: string): Promise<PlaceOrderResult> {
    try {
      return await this.place(principal, request, idempotencyKey);
    } catch (error) {
      if (error instanceof OrderOutcomeUnknownError) throw withRetryHint(error, idempotencyKey !== undefined);
      throw error;
    }
  }

  private async place(principal: ApiPrincipal, request: ManualOrderRequest, idempotencyKey?: string): Promise<PlaceOrderResult> {
    const account = await this.directory.requireAccount(request.brokerId, request.accountId);
    if (account.type === AccountType.REAL && !this.config.liveTradingEnabled) {
      throw new LiveTradingDisabledError(account.id);
    }
    if (idempotencyKey === undefined) {
      const order = await this.send(request, randomClientOrderId());
      return { statusCode: CREATED, order: order.toJSON(), replayed: false };
    }
    const scope = principal.keyId;
    return this.sameKey.enqueue(`${scope}\u0000${idempotencyKey}`, () =>
      this.placeIdempotent(scope, idempotencyKey, request),
    );
  }

  getOrder(brokerId: string, orderId: string): Promise<Order> {
    this.directory.requireBroker(brokerId);
    return this.calls.run(brokerId, 'getOrderStatus', (gateway) => gateway.getOrderStatus(orderId));
  }

  /**
   * Cancels an order. With live trading disabled, an order of a broker that has REAL accounts is looked up
   * first: one on a REAL (or unconfigured) account is refused like a placement would be.
   */
  async cancelOrder(brokerId: string, orderId: string): Promise<Order> {
    const broker = this.directory.requireBroker(brokerId);
    if (!this.config.liveTradingEnabled && broker.accounts.some((account) => account.type === AccountType.REAL)) {
      const order = await this.getOrder(brokerId, orderId);
      const account = broker.accounts.find((candidate) => candidate.id === order.accountId);
      if (account === undefined || account.type === AccountType.REAL) {
        throw new LiveTradingDisabledError(order.accountId);
      }
    }
    return this.calls.run(brokerId, 'cancelOrder', (gateway) => gateway.cancelOrder(orderId));
  }

  private async placeIdempotent(scope: string, key: string, request: ManualOrderRequest): Promise<PlaceOrderResult> {
    const fingerprint = orderFingerprint(request);
    let record = await this.store.find(scope, key);
    if (record === null) {
      const clientOrderId = clientOrderIdFor(scope, key);
      const claimed = await this.store.claim({
        scope,
        idempotencyKey: key,
        fingerprint,
        clientOrderId,
        brokerId: request.brokerId,
      });
      if (claimed) return this.sendAndRecord(scope, key, request, clientOrderId);
      record = await this.store.find(scope, key);
      if (record === null) throw new IdempotencyInProgressError();
    }
    if (record.fingerprint !== fingerprint) throw new IdempotencyConflictError();
    if (record.state === 'COMPLETED') return replay(record);
    if (record.state === 'PENDING' && Date.now() - record.updatedAt.getTime() < PENDING_TAKEOVER_MS) {
      throw new IdempotencyInProgressError();
    }
    return this.reconcileAndRecord(scope, key, request, record.clientOrderId);
  }

  /** An earlier attempt may have reached the broker: ask it before sending anything. */
  private async reconcileAndRecord(
    scope: string,
    key: string,
    request: ManualOrderRequest,
    clientOrderId: string,
  ): Promise<PlaceOrderResult> {
    await this.store.setState(scope, key, 'PENDING');
    let existing: Order | null;
    try {
      existing = await this.calls.run(request.brokerId, 'getOrderStatus', (gateway) =>
        gateway.findOrderByClientOrderId(clientOrderId),
      );
    } catch (error) {
      await this.store.setState(scope, key, 'UNKNOWN');
      throw error;
    }
    if (existing === null) return this.sendAndRecord(scope, key, request, clientOrderId);
    const order = existing.toJSON();
    await this.store.complete(scope, key, CREATED, order);
    return { statusCode: CREATED, order, replayed: true };
  }

  private async sendAndRecord(
    scope: string,
    key: string,
    request: ManualOrderRequest,
    clientOrderId: string,
  ): Promise<PlaceOrderResult> {
    let order: Order;
    try {
      order = await this.send(request, clientOrderId);
    } catch (error) {
      const classification = classifyError(error);
      if (classification.code === BROKER_ERROR_CODES.RATE_LIMITED) {
        await this.store.release(scope, key);
      } else if (classification.httpStatus >= 500) {
        await this.store.setState(scope, key, 'UNKNOWN');
      } else {
        const body: ErrorBody = {
          statusCode: classification.httpStatus,
          code: classification.code,
          message: classification.message,
        };
        await this.store.complete(scope, key, classification.httpStatus, body);
      }
      throw error;
    }
    const json = order.toJSON();
    await this.store.complete(scope, key, CREATED, json);
    return { statusCode: CREATED, order: json, replayed: false };
  }

  private send(request: ManualOrderRequest, clientOrderId: string): Promise<Order> {
    return this.calls.run(request.brokerId, 'placeOrder', (gateway) =>
      gateway.placeOrder(toPlaceOrderCommand(request, clientOrderId)),
    );
  }
}

const RETRY_WITH_KEY = 'Retry with the same Idempotency-Key: the gateway looks the order up before it sends anything again.';
const NO_KEY =
  'The order may exist: look it up before sending it again, and send orders with an Idempotency-Key so that a retry is safe.';

/** What a caller with an unknown outcome should do next. */
function withRetryHint(error: OrderOutcomeUnknownError, withKey: boolean): OrderOutcomeUnknownError {
  return new OrderOutcomeUnknownError(`${error.message.replace(/\.?$/, '.')} ${withKey ? RETRY_WITH_KEY : NO_KEY}`, {
    clientOrderId: error.clientOrderId,
    details: error.details,
    cause: error,
  });
}

function replay(record: IdempotencyRecordEntity): PlaceOrderResult {
  const statusCode = record.statusCode ?? CREATED;
  const body: unknown = JSON.parse(record.responseBody ?? 'null');
  if (statusCode >= 400) {
    const failure = body as ErrorBody;
    throw new ReplayedFailureError(statusCode, failure.code, failure.message);
  }
  return { statusCode, order: body as OrderJson, replayed: true };
}
