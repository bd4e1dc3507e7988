import { once } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type {
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  ServerWritableStream,
} from '@grpc/grpc-js';
import { Metadata as GrpcMetadata } from '@grpc/grpc-js';
import { qtsGatewayV1 } from '@qts/grpc-contracts';
import { AccountService } from '../accounts/account.service';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import { parseCandleRange } from '../market-data/candle-range';
import { MarketDataService } from '../market-data/market-data.service';
import { parseIdempotencyKey } from '../orders/idempotency-key';
import { OrderService } from '../orders/order.service';
import { CandlesQuery } from '../rest/dto/candles.query';
import { PlaceOrderBody } from '../rest/dto/place-order.body';
import { AccountParams, BrokerParams, OrderParams, SymbolParams } from '../rest/dto/route-params';
import type { ApiKeyScope } from '../security/api-key-scope';
import { ApiKeyService } from '../security/api-key.service';
import type { ApiPrincipal } from '../security/api-principal';
import { validatePlain } from '../validation/validate-plain';
import {
  balanceToProto,
  brokerToProto,
  candleToProto,
  orderSideFromProto,
  orderToProto,
  orderTypeFromProto,
  positionToProto,
  quoteToProto,
  symbolToProto,
} from './gateway-proto-mapping';
import { toGrpcError } from './grpc-error-status';
import { StreamQuotesRequestDto } from './stream-quotes.request';

/** Candles per GetCandlesResponse message. */
export const CANDLES_PER_MESSAGE = 500;

/** Initial metadata of GetCandles: where the candles came from, as the REST header X-Data-Source. */
export const DATA_SOURCE_METADATA_KEY = 'x-data-source';

const API_KEY_METADATA_KEY = 'x-api-key';

/**
 * qts.gateway.v1.BrokerGatewayService over the same services as the REST API (validation, idempotency,
 * live-trading guard, offline mode). Callers authenticate with `x-api-key` metadata; failures are gRPC
 * statuses with the stable code in the `qts-error-code` trailer.
 */
@Injectable()
export class BrokerGatewayGrpcService {
  private readonly logger = new Logger(BrokerGatewayGrpcService.name);

  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly catalog: BrokerCatalogService,
    private readonly marketData: MarketDataService,
    private readonly accounts: AccountService,
    private readonly orders: OrderService,
  ) {}

  implementation(): qtsGatewayV1.BrokerGatewayServiceServer {
    return {
      listBrokers: this.unary('read', async () => ({ brokers: this.catalog.list().map(brokerToProto) })),
      getBroker: this.unary('read', async (request: qtsGatewayV1.GetBrokerRequest) => {
        const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
        return { broker: brokerToProto(this.catalog.get(brokerId)) };
      }),
      getSymbols: this.unary('read', async (request: qtsGatewayV1.GetSymbolsRequest) => {
        const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
        const symbols = await this.marketData.getSymbols(brokerId);
        return { symbols: symbols.map((symbol) => symbolToProto(symbol.toJSON())) };
      }),
      getCandles: this.serverStream('read', (call) => this.streamCandles(call)),
      getQuote: this.unary('read', async (request: qtsGatewayV1.GetQuoteRequest) => {
        const params = validatePlain(SymbolParams, { brokerId: request.brokerId, symbol: request.symbol });
        return { quote: quoteToProto((await this.marketData.getQuote(params.brokerId, params.symbol)).toJSON()) };
      }),
      streamQuotes: this.serverStream('read', (call) => this.streamQuotes(call)),
      getBalance: this.unary('read', async (request: qtsGatewayV1.GetBalanceRequest) => {
        const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
        return { balance: balanceToProto((await this.accounts.getBalance(params.brokerId, params.accountId)).toJSON()) };
      }),
      getPositions: this.unary('read', async (request: qtsGatewayV1.GetPositionsRequest) => {
        const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
        const positions = await this.accounts.getPositions(params.brokerId, params.accountId);
        return { positions: positions.map((position) => positionToProto(position.toJSON())) };
      }),
      placeOrder: this.unary('trade', (request: qtsGatewayV1.PlaceOrderRequest, principal) =>
        this.placeOrder(request, principal),
      ),
      getOrder: this.unary('read', async (request: qtsGatewayV1.GetOrderRequest) => {
        const params = validatePlain(OrderParams, { brokerId: request.brokerId, orderId: request.orderId });
        const order = await this.orders.getOrder(params.brokerId, params.orderId);
        return { order: orderToProto(order.toJSON(), params.brokerId) };
      }),
      cancelOrder: this.unary('trade', async (request: qtsGatewayV1.CancelOrderRequest) => {
        const params = validatePlain(OrderParams, { brokerId: request.brokerId, orderId: request.orderId });
        const order = await this.orders.cancelOrder(params.brokerId, params.orderId);
        return { order: orderToProto(order.toJSON(), params.brokerId) };
      }),
    };
  }

  private async placeOrder(
    request: qtsGatewayV1.PlaceOrderRequest,
    principal: ApiPrincipal,
  ): Promise<qtsGatewayV1.PlaceOrderResponse> {
    const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
    const body = validatePlain(PlaceOrderBody, {
      symbol: request.symbol,
      side: orderSideFromProto(request.side),
      orderType: orderTypeFromProto(request.orderType),
      quantity: request.quantity,
      ...(request.price === '' ? {} : { price: request.price }),
    });
    const idempotencyKey = request.idempotencyKey === '' ? undefined : parseIdempotencyKey(request.idempotencyKey);
    const result = await this.orders.placeOrder(
      principal,
      {
        brokerId: params.brokerId,
        accountId: params.accountId,
        symbol: body.symbol,
        side: body.side,
        orderType: body.orderType,
        quantity: body.quantity,
        ...(body.price === undefined ? {} : { price: body.price }),
      },
      idempotencyKey,
    );
    return { order: orderToProto(result.order, params.brokerId), duplicate: result.replayed };
  }

  private async streamCandles(
    call: ServerWritableStream<qtsGatewayV1.GetCandlesRequest, qtsGatewayV1.GetCandlesResponse>,
  ): Promise<void> {
    const request = call.request;
    const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
    const query = validatePlain(CandlesQuery, {
      symbol: request.symbol,
      timeframe: request.timeframe,
      start: request.startTime,
      end: request.endTime,
    });
    const range = parseCandleRange(query.timeframe, query.start, query.end);
    const answer = await this.marketData.getCandles(brokerId, query.symbol, range);
    const metadata = new GrpcMetadata();
    metadata.set(DATA_SOURCE_METADATA_KEY, answer.source);
    call.sendMetadata(metadata);
    for (let index = 0; index < answer.candles.length && !call.cancelled; index += CANDLES_PER_MESSAGE) {
      const candles = answer.candles.slice(index, index + CANDLES_PER_MESSAGE).map((candle) => candleToProto(candle.toJSON()));
      await write(call, { candles });
    }
  }

  private async streamQuotes(
    call: ServerWritableStream<qtsGatewayV1.StreamQuotesRequest, qtsGatewayV1.StreamQuotesResponse>,
  ): Promise<void> {
    const request = validatePlain(StreamQuotesRequestDto, {
      brokerId: call.request.brokerId,
      symbols: call.request.symbols,
    });
    const abort = new AbortController();
    const onCancelled = (): void => abort.abort();
    call.once('cancelled', onCancelled);
    try {
      const stream = await this.marketData.openQuoteStream(request.brokerId, request.symbols, abort.signal);
      try {
        await write(call, { quote: quoteToProto(stream.first.toJSON()) });
        while (!abort.signal.aborted) {
          const next = await stream.rest.next();
          if (next.done || abort.signal.aborted) break;
          await write(call, { quote: quoteToProto(next.value.toJSON()) });
        }
      } finally {
        await stream.rest.return?.().catch(() => undefined);
      }
    } finally {
      call.off('cancelled', onCancelled);
      abort.abort();
    }
  }

  private async authorize(metadata: Metadata, scope: ApiKeyScope): Promise<ApiPrincipal> {
    const values = metadata.get(API_KEY_METADATA_KEY);
    // Several keys in one call are refused as invalid rather than picking one.
    return this.apiKeys.authorize(values.length <= 1 ? values[0] : values, scope);
  }

  private unary<Req, Res>(
    scope: ApiKeyScope,
    handler: (request: Req, principal: ApiPrincipal) => Promise<Res>,
  ): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      this.authorize(call.metadata, scope)
        .then((principal) => handler(call.request, principal))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(this.failure(error)),
        );
    };
  }

  private serverStream<Req, Res>(
    scope: ApiKeyScope,
    handler: (call: ServerWritableStream<Req, Res>) => Promise<void>,
  ): handleServerStreamingCall<Req, Res> {
    return (call) => {
      this.authorize(call.metadata, scope)
        .then(() => handler(call))
        .then(
          () => {
            if (!call.cancelled) call.end();
          },
          (error: unknown) => {
            if (!call.cancelled) call.emit('error', this.failure(error));
          },
        );
    };
  }

  private failure(error: unknown): ReturnType<typeof toGrpcError> {
    const grpcError = toGrpcError(error);
    if (grpcError.classification.unexpected) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    return grpcError;
  }
}

/** Writes one message, waiting for 'drain' when the client reads slower than we produce. */
async function write<Req, Res>(call: ServerWritableStream<Req, Res>, message: Res): Promise<void> {
  if (call.cancelled) return;
  if (!call.write(message)) await Promise.race([once(call, 'drain'), once(call, 'cancelled')]);
}
